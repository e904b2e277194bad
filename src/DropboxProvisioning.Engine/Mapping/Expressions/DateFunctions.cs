using System;
using System.Globalization;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// CDate, Now, DateAdd, DateDiff, DateFromNum, NumFromDate, FormatDateTime. Dates travel between nested calls as
    /// UTC <see cref="DateTimeOffset"/>; when a date is the final result it is rendered as Entra documents it,
    /// "M/d/yyyy h:mm:ss tt" in UTC (see <see cref="ParsedExpression.Evaluate"/>).
    /// </summary>
    internal static class DateFunctions
    {
        private const DateTimeStyles DefaultParseStyles =
            DateTimeStyles.RoundtripKind | DateTimeStyles.AllowLeadingWhite | DateTimeStyles.AllowTrailingWhite;

        public static object CDate(FunctionNode call, in EvaluationScope scope)
        {
            var date = call.DateArg(0, scope);
            return date.HasValue ? (object)date.Value : null;
        }

        /// <summary>Documented: current UTC time in M/d/yyyy h:mm:ss tt, so whole seconds.</summary>
        public static object Now(FunctionNode call, in EvaluationScope scope)
        {
            var now = scope.Context.UtcNow();
            return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        }

        public static void PrepareInterval(FunctionNode call)
        {
            if (call.LiteralArg(0) is string text)
            {
                call.State = ParseInterval(call, text, call.ArgPosition(0));
            }
        }

        public static object DateAdd(FunctionNode call, in EvaluationScope scope)
        {
            var interval = Interval(call, scope);
            var amount = call.LongArg(1, scope);
            var date = call.DateArg(2, scope);
            if (interval == null || amount == null || date == null)
            {
                return null;
            }

            try
            {
                return DateIntervals.Add(interval.Value, amount.Value, date.Value);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException || e is OverflowException)
            {
                throw Values.InvalidArgument($"DateAdd: adding {amount} to {Values.FormatDate(date.Value)} is outside the supported date range", call.Position);
            }
        }

        public static object DateDiff(FunctionNode call, in EvaluationScope scope)
        {
            var interval = Interval(call, scope);
            var date1 = call.DateArg(1, scope);
            var date2 = call.DateArg(2, scope);
            if (interval == null || date1 == null || date2 == null)
            {
                return null;
            }

            return Values.Box(DateIntervals.Difference(interval.Value, date1.Value, date2.Value));
        }

        /// <summary>
        /// DateFromNum(value): an AD FILETIME (100-ns ticks since 1601 UTC) to a date. 0 and the "never" value
        /// (0x7FFFFFFFFFFFFFFF, e.g. accountExpires) have no date: null.
        /// </summary>
        public static object DateFromNum(FunctionNode call, in EvaluationScope scope)
        {
            var value = call.LongArg(0, scope);
            if (value == null || value <= 0 || value > DateTime.MaxValue.ToFileTimeUtc())
            {
                return null;
            }

            return new DateTimeOffset(DateTime.FromFileTimeUtc(value.Value), TimeSpan.Zero);
        }

        /// <summary>NumFromDate(value): an ISO 8601 date string (or date) to AD FILETIME, e.g. for accountExpires.</summary>
        public static object NumFromDate(FunctionNode call, in EvaluationScope scope)
        {
            var date = call.DateArg(0, scope);
            if (date == null)
            {
                return null;
            }

            try
            {
                return date.Value.ToFileTime();
            }
            catch (ArgumentOutOfRangeException)
            {
                throw Values.InvalidArgument($"NumFromDate: {Values.FormatDate(date.Value)} is before 1601 and has no AD value", call.ArgPosition(0));
            }
        }

        public static void PrepareFormatDateTime(FunctionNode call)
        {
            if (call.LiteralArg(1) is string styles)
            {
                call.State = ParseStyles(styles, call.ArgPosition(1));
            }
        }

        /// <summary>
        /// FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat): .NET ParseExact with inputFormat, then
        /// ToString(outputFormat), invariant culture. Entra runs in UTC, so a parsed offset converts the value to UTC
        /// (RoundtripKind is turned into AdjustToUniversal to make that independent of this machine's time zone).
        /// </summary>
        public static object FormatDateTime(FunctionNode call, in EvaluationScope scope)
        {
            var source = call.Arg(0, scope);
            if (Values.IsNullOrEmpty(source))
            {
                return null;
            }

            var outputFormat = call.StringArg(3, scope);
            DateTime parsed;
            if (source is DateTimeOffset date)
            {
                parsed = date.UtcDateTime;
            }
            else
            {
                var text = Values.ToText(source, call.ArgPosition(0));
                var inputFormat = call.StringArg(2, scope);
                var styles = call.State is DateTimeStyles prepared
                    ? prepared
                    : call.HasArgument(1) ? ParseStyles(call.StringArg(1, scope), call.ArgPosition(1)) : DefaultParseStyles;
                bool matched;
                try
                {
                    matched = DateTime.TryParseExact(text, inputFormat, CultureInfo.InvariantCulture, ToUtcServerStyles(styles), out parsed);
                }
                catch (ArgumentException)
                {
                    // Styles that cannot go together (AssumeLocal with AssumeUniversal, and the like).
                    throw Values.InvalidArgument($"FormatDateTime: the DateTimeStyles '{styles}' cannot be used together", call.ArgPosition(1));
                }
                catch (FormatException)
                {
                    // An input format .NET cannot read (an unclosed quote, a lone backslash, ...).
                    throw Values.InvalidArgument($"FormatDateTime: '{inputFormat}' is not a valid input format", call.ArgPosition(2));
                }

                if (!matched)
                {
                    throw Values.InvalidArgument($"FormatDateTime: '{text}' does not match the input format '{inputFormat}'", call.ArgPosition(0));
                }
            }

            try
            {
                // Format through an offset of zero so "zzz"/"K" print +00:00 as on Entra's UTC servers.
                return new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Unspecified), TimeSpan.Zero)
                    .ToString(outputFormat, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw Values.InvalidArgument($"FormatDateTime: '{outputFormat}' is not a valid output format", call.ArgPosition(3));
            }
        }

        /// <summary>Accepts "RoundtripKind, AllowLeadingWhite", "DateTimeStyles.AdjustToUniversal | AssumeUniversal" and the like.</summary>
        private static DateTimeStyles ParseStyles(string text, int position)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return DefaultParseStyles;
            }

            var styles = DateTimeStyles.None;
            foreach (var part in text.Split(',', '|'))
            {
                var name = part.Trim();
                if (name.StartsWith("DateTimeStyles.", StringComparison.Ordinal))
                {
                    name = name.Substring("DateTimeStyles.".Length);
                }

                if (name.Length == 0 || !char.IsLetter(name[0]) || !Enum.TryParse(name, false, out DateTimeStyles one))
                {
                    throw Values.InvalidArgument($"FormatDateTime: '{name}' is not a DateTimeStyles value", position);
                }

                styles |= one;
            }

            return styles;
        }

        private static DateTimeStyles ToUtcServerStyles(DateTimeStyles styles)
        {
            if ((styles & DateTimeStyles.RoundtripKind) != 0)
            {
                styles = (styles & ~DateTimeStyles.RoundtripKind) | DateTimeStyles.AdjustToUniversal;
            }

            if ((styles & DateTimeStyles.AssumeLocal) != 0)
            {
                // The server's local zone is UTC.
                styles = (styles & ~DateTimeStyles.AssumeLocal) | DateTimeStyles.AssumeUniversal;
            }

            return styles;
        }

        private static DateInterval? Interval(FunctionNode call, in EvaluationScope scope)
        {
            if (call.State is DateInterval prepared)
            {
                return prepared;
            }

            var text = call.StringArg(0, scope);
            return text == null ? (DateInterval?)null : ParseInterval(call, text, call.ArgPosition(0));
        }

        private static DateInterval ParseInterval(FunctionNode call, string text, int position)
        {
            if (!DateIntervals.TryParse(text, out var interval))
            {
                throw Values.InvalidArgument(
                    $"{call.Function.Name}: interval '{text}' is not one of {DateIntervals.Accepted}", position);
            }

            return interval;
        }
    }
}
