using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>
    /// The part of OData $filter that directory clients use: clauses joined by "and", each
    /// <c>prop eq|ne literal</c>, <c>startswith(prop,'x')</c> or <c>prop in ('a','b')</c>. String comparison is
    /// case-insensitive, as in Entra. Anything else is refused as Graph refuses an unsupported filter.
    /// </summary>
    internal static class ODataFilter
    {
        private static readonly Regex Comparison = new Regex(@"^\s*(\w+)\s+(eq|ne)\s+(.+?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex StartsWith = new Regex(@"^\s*startswith\(\s*(\w+)\s*,\s*('(?:[^']|'')*')\s*\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex In = new Regex(@"^\s*(\w+)\s+in\s+\((.*)\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public static Func<T, bool> Parse<T>(string filter, EntityShape<T> shape)
        {
            if (string.IsNullOrWhiteSpace(filter)) return null;
            var predicates = SplitAnd(filter).Select(clause => ParseClause(clause, shape)).ToList();
            return item => predicates.All(p => p(item));
        }

        private static Func<T, bool> ParseClause<T>(string clause, EntityShape<T> shape)
        {
            Match m;
            if ((m = StartsWith.Match(clause)).Success)
            {
                var get = Property(m.Groups[1].Value, shape);
                var prefix = (string)Literal(m.Groups[2].Value);
                return item => (Value(get(item)) as string)?.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) == true;
            }
            if ((m = In.Match(clause)).Success)
            {
                var get = Property(m.Groups[1].Value, shape);
                var values = SplitList(m.Groups[2].Value).Select(Literal).ToList();
                return item => values.Any(v => Same(Value(get(item)), v));
            }
            if ((m = Comparison.Match(clause)).Success)
            {
                var get = Property(m.Groups[1].Value, shape);
                var literal = Literal(m.Groups[3].Value);
                var negate = m.Groups[2].Value.Equals("ne", StringComparison.OrdinalIgnoreCase);
                return item => Same(Value(get(item)), literal) != negate;
            }
            throw GraphException.BadRequest($"Invalid filter clause: '{clause.Trim()}'.", "Request_UnsupportedQuery");
        }

        private static Func<T, JToken> Property<T>(string name, EntityShape<T> shape)
        {
            var get = shape.Getter(name);
            if (get == null)
                throw GraphException.BadRequest($"Unsupported or invalid query filter clause specified for property '{name}' of resource '{shape.ResourceName}'.", "Request_UnsupportedQuery");
            return get;
        }

        private static object Value(JToken token) => token is JValue v ? v.Value : null;

        private static bool Same(object actual, object literal)
        {
            if (actual == null || literal == null) return actual == null && literal == null;
            if (actual is string s && literal is string l) return string.Equals(s, l, StringComparison.OrdinalIgnoreCase);
            if (actual is bool b && literal is bool lb) return b == lb;
            if (actual is DateTime dt && literal is string ls && DateTime.TryParse(ls, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed))
                return dt.ToUniversalTime() == parsed;
            return string.Equals(Convert.ToString(actual, CultureInfo.InvariantCulture), Convert.ToString(literal, CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
        }

        private static object Literal(string text)
        {
            text = text.Trim();
            if (text.Length >= 2 && text[0] == '\'' && text[text.Length - 1] == '\'')
                return text.Substring(1, text.Length - 2).Replace("''", "'");
            if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
            if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
            if (text.Equals("null", StringComparison.OrdinalIgnoreCase)) return null;
            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)) return number;
            throw GraphException.BadRequest($"Syntax error at position 0 in '{text}'.", "BadRequest");
        }

        // Splits on " and " outside string literals.
        private static IEnumerable<string> SplitAnd(string filter)
        {
            var start = 0;
            var inString = false;
            for (var i = 0; i < filter.Length; i++)
            {
                if (filter[i] == '\'') inString = !inString;
                else if (!inString && i + 5 <= filter.Length && string.Compare(filter, i, " and ", 0, 5, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    yield return filter.Substring(start, i - start);
                    start = i + 5;
                    i += 4;
                }
            }
            yield return filter.Substring(start);
        }

        private static IEnumerable<string> SplitList(string list)
        {
            var start = 0;
            var inString = false;
            for (var i = 0; i < list.Length; i++)
            {
                if (list[i] == '\'') inString = !inString;
                else if (!inString && list[i] == ',')
                {
                    yield return list.Substring(start, i - start);
                    start = i + 1;
                }
            }
            if (list.Substring(start).Trim().Length > 0) yield return list.Substring(start);
        }
    }
}
