using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using DropboxProvisioning.Mapping.Expressions;

namespace DropboxProvisioning.Mapping.Scoping
{
    /// <summary>One condition on one source attribute: "department EQUALS Sales".</summary>
    public sealed class ScopingClause
    {
        // What Value means for the current operator (regex, integer), rebuilt only when Operator or Value change.
        private Prepared prepared;

        public ScopingClause() { }

        public ScopingClause(string sourceAttribute, ScopingOperator op, string value = null)
        {
            SourceAttribute = sourceAttribute;
            Operator = op;
            Value = value;
        }

        public string SourceAttribute { get; set; }

        public ScopingOperator Operator { get; set; }

        /// <summary>The clause value; unused by IS TRUE, IS FALSE, IS NULL and IS NOT NULL.</summary>
        public string Value { get; set; }

        public override string ToString() =>
            ScopingOperators.RequiresValue(Operator)
                ? $"{SourceAttribute} {ScopingOperators.ToEntraName(Operator)} \"{Value}\""
                : $"{SourceAttribute} {ScopingOperators.ToEntraName(Operator)}";

        /// <summary>The problem with this clause, as (error id, message), or null when it is valid.</summary>
        internal KeyValuePair<string, string>? FindProblem()
        {
            if (!Enum.IsDefined(typeof(ScopingOperator), Operator))
            {
                return Problem(ScopingErrorIds.UnknownOperator, $"Operator {(int)Operator} is not a scoping operator.");
            }

            if (string.IsNullOrWhiteSpace(SourceAttribute))
            {
                return Problem(ScopingErrorIds.MissingAttribute, "The clause names no source attribute.");
            }

            if (!ScopingOperators.RequiresValue(Operator))
            {
                return null;
            }

            if (string.IsNullOrEmpty(Value))
            {
                return Problem(ScopingErrorIds.MissingValue, $"Operator {ScopingOperators.ToEntraName(Operator)} needs a value.");
            }

            var state = GetPrepared();
            return state.Error == null ? (KeyValuePair<string, string>?)null : Problem(state.ErrorId, state.Error);
        }

        /// <summary>
        /// Evaluates the clause. As documented, every operator is false on a null or empty value except IS NULL (true)
        /// and IS NOT NULL (false); multi-valued attributes are not supported by filtering and also count as false.
        /// </summary>
        internal bool Evaluate(object value, string filterName, int clauseIndex)
        {
            var empty = IsNullOrEmpty(value);
            switch (Operator)
            {
                case ScopingOperator.IsNull: return empty;
                case ScopingOperator.IsNotNull: return !empty;
            }

            if (empty || value is IReadOnlyList<string> || value is IReadOnlyList<AppRoleAssignmentValue>)
            {
                return false;
            }

            switch (Operator)
            {
                case ScopingOperator.IsTrue: return AsBool(value) == true;
                case ScopingOperator.IsFalse: return AsBool(value) == false;
            }

            var state = GetPrepared();
            if (state.Error != null)
            {
                throw new ScopingException(state.ErrorId, $"Clause {this}: {state.Error}", filterName, clauseIndex);
            }

            var text = AsText(value);
            switch (Operator)
            {
                case ScopingOperator.Equals: return string.Equals(text, Value, StringComparison.Ordinal);
                case ScopingOperator.NotEquals: return !string.Equals(text, Value, StringComparison.Ordinal);
                case ScopingOperator.RegexMatch: return Match(state.Regex, text, filterName, clauseIndex);
                case ScopingOperator.NotRegexMatch: return !Match(state.Regex, text, filterName, clauseIndex);
                case ScopingOperator.GreaterThan: return TryInteger(value, out var gt) && gt > state.Integer;
                case ScopingOperator.GreaterThanOrEquals: return TryInteger(value, out var ge) && ge >= state.Integer;
                case ScopingOperator.Includes: return text.IndexOf(Value, StringComparison.Ordinal) >= 0;
                case ScopingOperator.EndsWith: return text.EndsWith(Value, StringComparison.Ordinal);
                case ScopingOperator.Exists: return Value.IndexOf(text, StringComparison.Ordinal) >= 0;
                case ScopingOperator.NotExists: return Value.IndexOf(text, StringComparison.Ordinal) < 0;
                default: throw new ScopingException(ScopingErrorIds.UnknownOperator, $"Operator {(int)Operator} is not a scoping operator.", filterName, clauseIndex);
            }
        }

        private bool Match(Regex regex, string text, string filterName, int clauseIndex)
        {
            try
            {
                return regex.IsMatch(text);
            }
            catch (RegexMatchTimeoutException e)
            {
                // Neither true nor false: guessing "out of scope" could deprovision the user.
                throw new ScopingException(
                    ScopingErrorIds.RegexTimeout,
                    $"Clause {this} took longer than {SafeRegex.MatchTimeout.TotalMilliseconds} ms to match and was abandoned.",
                    filterName,
                    clauseIndex,
                    e);
            }
        }

        private Prepared GetPrepared()
        {
            var state = prepared;
            if (state != null && state.Operator == Operator && ReferenceEquals(state.Value, Value))
            {
                return state;
            }

            state = new Prepared(Operator, Value);
            prepared = state; // a single reference write: safe to race, the worst case is preparing twice
            return state;
        }

        private static bool IsNullOrEmpty(object value) =>
            value == null
            || (value is string text && text.Length == 0)
            || (value is IReadOnlyList<string> list && list.Count == 0)
            || (value is IReadOnlyList<AppRoleAssignmentValue> roles && roles.Count == 0);

        private static bool? AsBool(object value)
        {
            switch (value)
            {
                case bool b: return b;
                case string text when bool.TryParse(text.Trim(), out var parsed): return parsed;
                default: return null;
            }
        }

        /// <summary>Integers only, as documented; "12.5", "abc" or a boolean make the clause false.</summary>
        private static bool TryInteger(object value, out long result)
        {
            switch (value)
            {
                case long l: result = l; return true;
                case int i: result = i; return true;
                case string text: return long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
                default: result = 0; return false;
            }
        }

        private static string AsText(object value)
        {
            switch (value)
            {
                case string text: return text;
                case bool b: return b ? "True" : "False";
                case long l: return l.ToString(CultureInfo.InvariantCulture);
                case int i: return i.ToString(CultureInfo.InvariantCulture);
                case DateTimeOffset date: return date.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                default: return value.ToString();
            }
        }

        private static KeyValuePair<string, string> Problem(string id, string message) => new KeyValuePair<string, string>(id, message);

        private sealed class Prepared
        {
            public Prepared(ScopingOperator op, string value)
            {
                Operator = op;
                Value = value;
                if (value == null)
                {
                    if (ScopingOperators.RequiresValue(op))
                    {
                        // Evaluated without validation first (a filter built in code): refused, never a NullReferenceException.
                        ErrorId = ScopingErrorIds.MissingValue;
                        Error = $"Operator {ScopingOperators.ToEntraName(op)} needs a value.";
                    }

                    return;
                }

                if (ScopingOperators.IsRegex(op))
                {
                    if (SafeRegex.TryCreate(value, out var regex, out var error))
                    {
                        Regex = regex;
                    }
                    else
                    {
                        ErrorId = ScopingErrorIds.InvalidRegex;
                        Error = $"\"{value}\" is not a valid regular expression: {error}";
                    }
                }
                else if (ScopingOperators.IsInteger(op))
                {
                    if (long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    {
                        Integer = integer;
                    }
                    else
                    {
                        ErrorId = ScopingErrorIds.NonIntegerValue;
                        Error = $"{ScopingOperators.ToEntraName(op)} needs an integer value but \"{value}\" is not one.";
                    }
                }
            }

            public ScopingOperator Operator { get; }

            public string Value { get; }

            public Regex Regex { get; }

            public long Integer { get; }

            public string ErrorId { get; }

            public string Error { get; }
        }
    }
}
