using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>Single-string functions: Append, Left, Mid, InStr, Word, PCase, StripSpaces, ToLower, ToUpper, encodings.</summary>
    internal static class StringFunctions
    {
        private const long VbBinaryCompare = 0;
        private const long VbTextCompare = 1;

        public static object Append(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.StringArg(0, scope);
            if (source == null)
            {
                // Doc silent; like Entra's other string functions a missing source yields no value.
                return null;
            }

            var suffix = call.StringArg(1, scope);
            return suffix == null ? source : source + suffix;
        }

        public static object Left(FunctionNode call, in EvaluationScope scope)
        {
            // Documented: null string -> empty string; numChars 0 -> empty; numChars < 0 -> the input.
            var text = call.StringArg(0, scope) ?? string.Empty;
            var count = call.LongArg(1, scope);
            if (count == null || count < 0)
            {
                return text;
            }

            return count >= text.Length ? text : text.Substring(0, (int)count.Value);
        }

        public static object Mid(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.StringArg(0, scope);
            var start = call.LongArg(1, scope);
            var length = call.LongArg(2, scope);
            if (source == null || start == null || length == null)
            {
                return null;
            }

            if (start < 1)
            {
                throw Values.InvalidArgument($"Mid: start must be 1 or more but was {start}", call.ArgPosition(1));
            }

            if (length < 0)
            {
                throw Values.InvalidArgument($"Mid: length must be 0 or more but was {length}", call.ArgPosition(2));
            }

            if (start > source.Length)
            {
                return string.Empty;
            }

            var from = (int)start.Value - 1;
            // Documented: a length past the end returns the rest of the string.
            var take = (int)Math.Min(length.Value, source.Length - from);
            return source.Substring(from, take);
        }

        /// <summary>
        /// InStr(value1, value2, start, compareType): 1-based position of value2 in value1, 0 when absent.
        /// Follows VB's InStr where the doc is silent: empty value1 -> 0, empty value2 -> start, start past the end -> 0.
        /// </summary>
        public static object InStr(FunctionNode call, in EvaluationScope scope)
        {
            var text = call.StringArg(0, scope);
            var find = call.StringArg(1, scope);
            var start = call.LongArg(2, scope) ?? 1;
            var compare = call.State is long prepared ? prepared : ParseCompareType(call.Arg(3, scope), call.ArgPosition(3));
            if (start < 1)
            {
                throw Values.InvalidArgument($"InStr: start must be 1 or more but was {start}", call.ArgPosition(2));
            }

            if (string.IsNullOrEmpty(text) || start > text.Length)
            {
                return Values.Box(0L);
            }

            if (string.IsNullOrEmpty(find))
            {
                return Values.Box(start);
            }

            var index = compare == VbTextCompare
                ? CultureInfo.InvariantCulture.CompareInfo.IndexOf(text, find, (int)start - 1, CompareOptions.IgnoreCase)
                : text.IndexOf(find, (int)start - 1, StringComparison.Ordinal);
            return Values.Box(index + 1L);
        }

        public static void PrepareInStr(FunctionNode call)
        {
            if (call.HasArgument(3) && call.Arguments[3] is ConstantNode constant)
            {
                call.State = ParseCompareType(constant.Value, constant.Position);
            }
        }

        private static long ParseCompareType(object value, int position)
        {
            switch (value)
            {
                case null: return VbBinaryCompare;
                case long l when l == VbBinaryCompare || l == VbTextCompare: return l;
                case string s when s == "vbBinaryCompare" || s == "0": return VbBinaryCompare;
                case string s when s == "vbTextCompare" || s == "1": return VbTextCompare;
                default:
                    throw Values.InvalidArgument(
                        $"InStr: compareType must be vbBinaryCompare or vbTextCompare but was '{value}'", position);
            }
        }

        /// <summary>
        /// Word(string, wordNumber, delimiters). Documented: number &lt; 1, null string, or too few words -> "".
        /// Runs of delimiters separate words once (a word has at least one character), as in MIM's Word.
        /// </summary>
        public static object Word(FunctionNode call, in EvaluationScope scope)
        {
            var text = call.StringArg(0, scope);
            var number = call.LongArg(1, scope);
            var delimiters = call.StringArg(2, scope);
            if (string.IsNullOrEmpty(text) || number == null || number < 1)
            {
                return string.Empty;
            }

            if (string.IsNullOrEmpty(delimiters))
            {
                return number == 1 ? text : string.Empty;
            }

            var wordIndex = 0;
            var i = 0;
            while (i < text.Length)
            {
                while (i < text.Length && delimiters.IndexOf(text[i]) >= 0)
                {
                    i++;
                }

                if (i == text.Length)
                {
                    break;
                }

                var start = i;
                while (i < text.Length && delimiters.IndexOf(text[i]) < 0)
                {
                    i++;
                }

                if (++wordIndex == number)
                {
                    return text.Substring(start, i - start);
                }
            }

            return string.Empty;
        }

        /// <summary>
        /// PCase(source, wordSeparators). Without separators Entra uses .NET ToTitleCase; the input is lower-cased
        /// first because ToTitleCase leaves all-caps words alone, and the documented "PABLO GONSALVES (SECOND)"
        /// becomes "Pablo Gonsalves (Second)".
        /// </summary>
        public static object PCase(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.StringArg(0, scope);
            if (source == null)
            {
                return null;
            }

            if (!call.HasArgument(1))
            {
                return CultureInfo.InvariantCulture.TextInfo.ToTitleCase(source.ToLowerInvariant());
            }

            var separators = call.StringArg(1, scope) ?? string.Empty;
            var chars = source.ToCharArray();
            var startOfWord = true;
            for (var i = 0; i < chars.Length; i++)
            {
                var c = chars[i];
                if (separators.IndexOf(c) >= 0)
                {
                    startOfWord = true;
                    continue;
                }

                chars[i] = startOfWord ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
                startOfWord = false;
            }

            return new string(chars);
        }

        public static object StripSpaces(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.StringArg(0, scope);
            // Documented: removes space (" ") characters only, not tabs or other whitespace.
            return source == null || source.IndexOf(' ') < 0 ? source : source.Replace(" ", string.Empty);
        }

        public static object ToLower(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.StringArg(0, scope);
            return source?.ToLower(Culture(call, scope));
        }

        public static object ToUpper(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.StringArg(0, scope);
            return source?.ToUpper(Culture(call, scope));
        }

        /// <summary>Resolves a literal culture name once at parse time.</summary>
        public static void PrepareCulture(FunctionNode call)
        {
            if (call.LiteralArg(1) is string name)
            {
                call.State = ResolveCulture(call, name, call.ArgPosition(1));
            }
        }

        private static CultureInfo Culture(FunctionNode call, in EvaluationScope scope)
        {
            if (call.State is CultureInfo prepared)
            {
                return prepared;
            }

            // Documented: no culture -> invariant culture.
            return call.HasArgument(1) ? ResolveCulture(call, call.StringArg(1, scope), call.ArgPosition(1)) : CultureInfo.InvariantCulture;
        }

        private static CultureInfo ResolveCulture(FunctionNode call, string name, int position)
        {
            if (string.IsNullOrEmpty(name))
            {
                return CultureInfo.InvariantCulture;
            }

            try
            {
                if (KnownCultures.Value.Count <= 1 || KnownCultures.Value.Contains(name))
                {
                    return CultureInfo.GetCultureInfo(name);
                }
            }
            catch (CultureNotFoundException)
            {
            }

            throw Values.InvalidArgument($"{call.Function.Name}: '{name}' is not a known culture name (e.g. en-US)", position);
        }

        // ICU happily invents cultures for any well-formed name; only predefined ones are accepted. In invariant
        // globalization mode there is nothing to check against, so any name .NET accepts is taken.
        private static readonly Lazy<HashSet<string>> KnownCultures = new Lazy<HashSet<string>>(() =>
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var culture in CultureInfo.GetCultures(CultureTypes.AllCultures))
            {
                names.Add(culture.Name);
            }

            return names;
        });

        public static object NormalizeDiacritics(FunctionNode call, in EvaluationScope scope) =>
            Diacritics.Normalize(call.StringArg(0, scope));

        /// <summary>Documented: base64 of the string's UTF-16LE ("Unicode") bytes.</summary>
        public static object ConvertToBase64(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.StringArg(0, scope);
            return source == null ? null : Convert.ToBase64String(Encoding.Unicode.GetBytes(source));
        }

        /// <summary>Documented: upper-case hex of the UTF-8 bytes ("Hello world!" -> 48656C6C6F20776F726C6421).</summary>
        public static object ConvertToUTF8Hex(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.StringArg(0, scope);
            if (source == null)
            {
                return null;
            }

            const string digits = "0123456789ABCDEF";
            var bytes = Encoding.UTF8.GetBytes(source);
            var chars = new char[bytes.Length * 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[i * 2] = digits[bytes[i] >> 4];
                chars[(i * 2) + 1] = digits[bytes[i] & 0xF];
            }

            return new string(chars);
        }
    }
}
