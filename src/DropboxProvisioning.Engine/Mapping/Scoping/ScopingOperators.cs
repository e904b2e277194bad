using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Scoping
{
    /// <summary>Names of <see cref="ScopingOperator"/> as the portal and Graph write them, and which operators take a value.</summary>
    public static class ScopingOperators
    {
        private static readonly Dictionary<string, ScopingOperator> ByName = new Dictionary<string, ScopingOperator>(StringComparer.OrdinalIgnoreCase)
        {
            ["EQUALS"] = ScopingOperator.Equals,
            ["NOT_EQUALS"] = ScopingOperator.NotEquals,
            ["IS_TRUE"] = ScopingOperator.IsTrue,
            ["IS_FALSE"] = ScopingOperator.IsFalse,
            ["IS_NULL"] = ScopingOperator.IsNull,
            ["IS_NOT_NULL"] = ScopingOperator.IsNotNull,
            ["REGEX_MATCH"] = ScopingOperator.RegexMatch,
            ["NOT_REGEX_MATCH"] = ScopingOperator.NotRegexMatch,
            ["GREATER_THAN"] = ScopingOperator.GreaterThan,
            ["GREATER_THAN_OR_EQUALS"] = ScopingOperator.GreaterThanOrEquals,
            ["INCLUDES"] = ScopingOperator.Includes,
            ["ENDS_WITH"] = ScopingOperator.EndsWith,
            ["&"] = ScopingOperator.Exists,
            ["!&"] = ScopingOperator.NotExists,
        };

        /// <summary>
        /// Parses "EQUALS", "NOT EQUALS", "NOT_EQUALS", "NotEquals", "&amp;", "!&amp;"... (case-insensitive; spaces and
        /// underscores interchangeable).
        /// </summary>
        public static bool TryParse(string text, out ScopingOperator op)
        {
            op = default;
            if (string.IsNullOrWhiteSpace(text))
            {
                return false;
            }

            var trimmed = text.Trim();
            if (ByName.TryGetValue(trimmed.Replace(' ', '_'), out op))
            {
                return true;
            }

            // Enum names (NotEquals); digits are rejected so "7" does not become an undefined operator.
            return !char.IsDigit(trimmed[0]) && trimmed[0] != '-'
                && Enum.TryParse(trimmed, true, out op) && Enum.IsDefined(typeof(ScopingOperator), op);
        }

        /// <summary>The Entra name: EQUALS, NOT_EQUALS, ..., &amp;, !&amp;.</summary>
        public static string ToEntraName(ScopingOperator op)
        {
            foreach (var pair in ByName)
            {
                if (pair.Value == op)
                {
                    return pair.Key;
                }
            }

            return op.ToString();
        }

        /// <summary>False for the unary operators (IS TRUE, IS FALSE, IS NULL, IS NOT NULL), true for the rest.</summary>
        public static bool RequiresValue(ScopingOperator op) =>
            op != ScopingOperator.IsTrue && op != ScopingOperator.IsFalse && op != ScopingOperator.IsNull && op != ScopingOperator.IsNotNull;

        internal static bool IsInteger(ScopingOperator op) =>
            op == ScopingOperator.GreaterThan || op == ScopingOperator.GreaterThanOrEquals;

        internal static bool IsRegex(ScopingOperator op) =>
            op == ScopingOperator.RegexMatch || op == ScopingOperator.NotRegexMatch;
    }
}
