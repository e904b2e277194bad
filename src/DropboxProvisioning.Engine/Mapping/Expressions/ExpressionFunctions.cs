using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// Every function of Entra's attribute-mapping expression language, with its arity and documented signature.
    /// <see cref="All"/> is what the PowerShell layer lists for admins.
    /// </summary>
    public static class ExpressionFunctions
    {
        private const int N = ExpressionFunction.Unbounded;

        private static readonly Dictionary<string, ExpressionFunction> ByName;

        static ExpressionFunctions()
        {
            var all = new[]
            {
                F("Append", 2, 2, "Append(source, suffix)", "Appends suffix to the end of source.", StringFunctions.Append),
                F("AppRoleAssignmentsComplex", 1, 1, "AppRoleAssignmentsComplex([appRoleAssignments])",
                    "All app roles of the user as SCIM roles (primary = false); the target is updated with PATCH add (roles are never removed).",
                    RoleFunctions.AppRoleAssignmentsComplex),
                F("AssertiveAppRoleAssignmentsComplex", 1, 1, "AssertiveAppRoleAssignmentsComplex([appRoleAssignments])",
                    "All app roles of the user as SCIM roles (primary = false); the target is updated with PATCH replace (roles not assigned in Entra are removed).",
                    RoleFunctions.AssertiveAppRoleAssignmentsComplex),
                F("BitAnd", 2, 2, "BitAnd(value1, value2)", "Bitwise AND of two integers (&H hex literals allowed).", ConversionFunctions.BitAnd),
                F("CBool", 1, 1, "CBool(expression)", "True when the expression is true or a non-zero number, else False.", LogicFunctions.CBool),
                F("CDate", 1, 1, "CDate(expression)", "Parses a date/time string into a UTC date (shown as M/d/yyyy h:mm:ss tt).", DateFunctions.CDate),
                F("Coalesce", 1, N, "Coalesce(source1, source2, ..., defaultValue)",
                    "The first value that is not null or empty; otherwise the last argument (the default).", LogicFunctions.Coalesce),
                F("ConvertToBase64", 1, 1, "ConvertToBase64(source)", "Base64 of the string's UTF-16 (Unicode) bytes.", StringFunctions.ConvertToBase64),
                F("ConvertToUTF8Hex", 1, 1, "ConvertToUTF8Hex(source)", "Upper-case hex of the string's UTF-8 bytes.", StringFunctions.ConvertToUTF8Hex),
                F("Count", 1, 1, "Count(attribute)", "Number of values of a multi-valued attribute.", MultiValueFunctions.Count),
                F("CStr", 1, 1, "CStr(value)", "Converts a number, boolean, date or reference to a string.", ConversionFunctions.CStr),
                F("DateAdd", 3, 3, "DateAdd(interval, value, dateTime)",
                    "Adds value intervals (yyyy, m, d, ww, h, n, s) to dateTime; result in M/d/yyyy h:mm:ss tt.",
                    DateFunctions.DateAdd, DateFunctions.PrepareInterval),
                F("DateDiff", 3, 3, "DateDiff(interval, date1, date2)",
                    "Number of intervals (yyyy, m, d, ww, h, n, s) from date1 to date2; negative when date2 is earlier.",
                    DateFunctions.DateDiff, DateFunctions.PrepareInterval),
                F("DateFromNum", 1, 1, "DateFromNum(value)", "Converts an AD date number (FILETIME) to a date.", DateFunctions.DateFromNum),
                F("FormatDateTime", 4, 4, "FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat)",
                    "Parses source with the .NET inputFormat and writes it with outputFormat; dateTimeStyles may be left empty.",
                    DateFunctions.FormatDateTime, DateFunctions.PrepareFormatDateTime, required: new[] { 0, 2, 3 }),
                F("Guid", 0, 0, "Guid()", "A new random GUID.", GeneratorFunctions.Guid, nonDeterministic: true),
                F("IgnoreFlowIfNullOrEmpty", 1, 1, "IgnoreFlowIfNullOrEmpty(expression)",
                    "Drops the attribute from the flow when the expression is null or empty.", LogicFunctions.IgnoreFlowIfNullOrEmpty),
                F("IIF", 3, 3, "IIF(condition, valueIfTrue, valueIfFalse)",
                    "valueIfTrue when condition is true, else valueIfFalse. Conditions may use = <> > >= < <=. If an attribute in the condition is null or empty the condition check fails (no value).",
                    LogicFunctions.IIF, LogicFunctions.PrepareIIF),
                F("InStr", 2, 4, "InStr(value1, value2, start, compareType)",
                    "1-based position of value2 in value1 (0 when absent); compareType vbBinaryCompare (default) or vbTextCompare.",
                    StringFunctions.InStr, StringFunctions.PrepareInStr),
                F("IsNull", 1, 1, "IsNull(expression)", "True when the expression is null (attribute absent).", LogicFunctions.IsNull),
                F("IsNullOrEmpty", 1, 1, "IsNullOrEmpty(expression)", "True when the expression is null or an empty string.", LogicFunctions.IsNullOrEmpty),
                F("IsPresent", 1, 1, "IsPresent(expression)", "True when the expression is neither null nor empty.", LogicFunctions.IsPresent),
                F("IsString", 1, 1, "IsString(expression)", "True when the expression evaluates to a string.", LogicFunctions.IsString),
                F("Item", 2, 2, "Item(attribute, index)", "The index-th (1-based) value of a multi-valued attribute.", MultiValueFunctions.Item),
                F("Join", 2, N, "Join(separator, source1, source2, ...)",
                    "Joins all non-empty values (multi-valued sources expanded) with separator.", MultiValueFunctions.Join, required: new[] { 0 }),
                F("Left", 2, 2, "Left(String, NumChars)", "The first NumChars characters of String.", StringFunctions.Left),
                F("Mid", 3, 3, "Mid(source, start, length)", "length characters of source starting at 1-based start.", StringFunctions.Mid),
                F("NormalizeDiacritics", 1, 1, "NormalizeDiacritics(source)", "Replaces accented characters with unaccented equivalents.", StringFunctions.NormalizeDiacritics),
                F("Not", 1, 1, "Not(source)", "False when source is True, otherwise True.", LogicFunctions.Not),
                F("Now", 0, 0, "Now()", "The current UTC date and time (M/d/yyyy h:mm:ss tt).", DateFunctions.Now, nonDeterministic: true),
                F("NumFromDate", 1, 1, "NumFromDate(value)", "Converts an ISO 8601 date to AD's date number (FILETIME), e.g. for accountExpires.", DateFunctions.NumFromDate),
                F("PCase", 1, 2, "PCase(source, wordSeparators)",
                    "Upper-cases the first letter of each word and lower-cases the rest; wordSeparators overrides the default separators.",
                    StringFunctions.PCase),
                F("RandomString", 5, 6,
                    "RandomString(Length, MinimumNumbers, MinimumSpecialCharacters, MinimumCapital, MinimumLowerCase, CharactersToAvoid)",
                    "A random string meeting the given minimums (Length at most 256), without CharactersToAvoid.",
                    GeneratorFunctions.RandomString, GeneratorFunctions.PrepareRandomString, nonDeterministic: true),
                F("Redact", 1, 1, "Redact(attribute/value)", "Flows the value unchanged but shows \"[Redact]\" in provisioning logs.", GeneratorFunctions.Redact),
                F("RemoveDuplicates", 1, 1, "RemoveDuplicates(attribute)", "The values of a multi-valued attribute without duplicates.", MultiValueFunctions.RemoveDuplicates),
                F("Replace", 1, 7,
                    "Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template)",
                    "Case-sensitive replacement by literal oldValue, template or regular expression (with named groups).",
                    ReplaceFunction.Evaluate, ReplaceFunction.Prepare),
                F("SelectUniqueValue", 2, N, "SelectUniqueValue(uniqueValueRule1, uniqueValueRule2, ...)",
                    "The first rule value that does not already exist in the target; must be the whole expression.",
                    GeneratorFunctions.SelectUniqueValue, topLevelOnly: true),
                F("SingleAppRoleAssignment", 1, 1, "SingleAppRoleAssignment([appRoleAssignments])",
                    "The user's single app role (primary = true); use when a user holds one role.", RoleFunctions.SingleAppRoleAssignment),
                F("Split", 2, 2, "Split(source, delimiter)", "Splits source at delimiter into a multi-valued result.", MultiValueFunctions.Split),
                F("StripSpaces", 1, 1, "StripSpaces(source)", "Removes all space characters.", StringFunctions.StripSpaces),
                F("Switch", 4, N, "Switch(source, defaultValue, key1, value1, key2, value2, ...)",
                    "The value paired with the first key equal (case-sensitive) to source, else defaultValue.",
                    LogicFunctions.Switch, LogicFunctions.PrepareSwitch, required: new[] { 0 }),
                F("ToLower", 1, 2, "ToLower(source, culture)", "Lower-cases source (invariant culture unless culture, e.g. en-US, is given).",
                    StringFunctions.ToLower, StringFunctions.PrepareCulture),
                F("ToUpper", 1, 2, "ToUpper(source, culture)", "Upper-cases source (invariant culture unless culture is given).",
                    StringFunctions.ToUpper, StringFunctions.PrepareCulture),
                F("Word", 3, 3, "Word(String, WordNumber, Delimiters)",
                    "The WordNumber-th (1-based) word of String, words being separated by any character of Delimiters.", StringFunctions.Word),
            };

            All = all.OrderBy(f => f.Name, StringComparer.Ordinal).ToArray();
            ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);
        }

        /// <summary>All functions, sorted by name.</summary>
        public static IReadOnlyList<ExpressionFunction> All { get; }

        /// <summary>Looks a function up by its exact, case-sensitive name.</summary>
        public static bool TryGet(string name, out ExpressionFunction function) =>
            ByName.TryGetValue(name ?? string.Empty, out function);

        /// <summary>
        /// The known name closest to <paramref name="name"/>: the same name in another case first, else the nearest
        /// by edit distance when it is close enough to be a plausible typo; null otherwise.
        /// </summary>
        public static string SuggestName(string name)
        {
            var sameLetters = All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (sameLetters != null)
            {
                return sameLetters.Name;
            }

            string best = null;
            var bestDistance = int.MaxValue;
            foreach (var function in All)
            {
                var distance = EditDistance(name.ToLowerInvariant(), function.Name.ToLowerInvariant());
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = function.Name;
                }
            }

            return bestDistance <= Math.Max(1, name.Length / 3) ? best : null;
        }

        private static ExpressionFunction F(
            string name,
            int min,
            int max,
            string signature,
            string description,
            FunctionBody body,
            FunctionPrepare prepare = null,
            int[] required = null,
            bool topLevelOnly = false,
            bool nonDeterministic = false) =>
            new ExpressionFunction(name, min, max, signature, description, body, prepare, required, topLevelOnly, nonDeterministic);

        private static int EditDistance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }

                var swap = previous;
                previous = current;
                current = swap;
            }

            return previous[b.Length];
        }
    }
}
