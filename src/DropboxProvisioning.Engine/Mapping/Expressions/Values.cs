using System;
using System.Collections.Generic;
using System.Globalization;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// Conversions between the value kinds an expression handles (null, string, bool, long, DateTimeOffset,
    /// multi-valued lists, roles). Kept in one place so every function coerces the same way.
    /// </summary>
    internal static class Values
    {
        /// <summary>Entra's documented output format for CDate, Now, DateAdd: M/d/yyyy h:mm:ss tt, in UTC.</summary>
        public const string EntraDateFormat = "M/d/yyyy h:mm:ss tt";

        public static readonly object True = true;
        public static readonly object False = false;

        private static readonly object[] SmallLongs = CreateSmallLongs();

        // Date shapes .NET's general parser does not take but Workday/SuccessFactors send ("2020-03-16-07:00").
        private static readonly string[] ExtraDateFormats =
        {
            "yyyy-MM-ddzzz", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", "yyyyMMddHHmmss.FZ", "yyyyMMddHHmmssZ",
        };

        public static object Box(bool value) => value ? True : False;

        /// <summary>Boxes a long, reusing boxes for small values (counts, positions) so hot paths do not allocate.</summary>
        public static object Box(long value) =>
            value >= -1 && value < 255 ? SmallLongs[value + 1] : value;

        public static bool IsNumber(object value) => value is long || value is int || value is short;

        public static bool IsNullOrEmpty(object value)
        {
            switch (value)
            {
                case null: return true;
                case string text: return text.Length == 0;
                case IReadOnlyList<string> list: return list.Count == 0;
                case IReadOnlyList<AppRoleAssignmentValue> roles: return roles.Count == 0;
                default: return false;
            }
        }

        public static bool TryGetLong(object value, out long result)
        {
            switch (value)
            {
                case long l: result = l; return true;
                case int i: result = i; return true;
                case short s: result = s; return true;
                case string text: return TryParseLong(text, out result);
                case IReadOnlyList<string> list when list.Count == 1: return TryParseLong(list[0], out result);
                default: result = 0; return false;
            }
        }

        public static bool TryParseLong(string text, out long result)
        {
            if (text == null)
            {
                result = 0;
                return false;
            }

            text = text.Trim();
            if (text.Length > 2 && text[0] == '&' && (text[1] == 'H' || text[1] == 'h'))
            {
                // VB hex notation, as in the documented BitAnd(&HF, &HF7).
                return long.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out result);
            }

            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out result);
        }

        public static bool TryGetBool(object value, out bool result)
        {
            switch (value)
            {
                case bool b: result = b; return true;
                case string text: return bool.TryParse(text.Trim(), out result);
                default: result = false; return false;
            }
        }

        public static bool TryGetDate(object value, out DateTimeOffset result)
        {
            switch (value)
            {
                case DateTimeOffset date: result = date.ToUniversalTime(); return true;
                case DateTime dateTime:
                    result = dateTime.Kind == DateTimeKind.Unspecified
                        ? new DateTimeOffset(dateTime, TimeSpan.Zero)
                        : new DateTimeOffset(dateTime).ToUniversalTime();
                    return true;
                case string text: return TryParseDate(text, out result);
                default: result = default; return false;
            }
        }

        /// <summary>
        /// Parses a date string the way CDate documents: any .NET-recognisable date; without an offset it is taken
        /// as UTC (Entra's service runs in UTC); the result is converted to UTC.
        /// </summary>
        public static bool TryParseDate(string text, out DateTimeOffset result)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                result = default;
                return false;
            }

            const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
            if (DateTimeOffset.TryParseExact(text.Trim(), ExtraDateFormats, CultureInfo.InvariantCulture, styles, out result)
                || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out result))
            {
                result = result.ToUniversalTime();
                return true;
            }

            return false;
        }

        public static string FormatDate(DateTimeOffset value) =>
            value.ToUniversalTime().ToString(EntraDateFormat, CultureInfo.InvariantCulture);

        /// <summary>
        /// The string form of a value, or null for null. A multi-valued value is accepted where a single string is
        /// expected only when it holds one value; more is an error rather than a silent pick.
        /// </summary>
        public static string ToText(object value, int position)
        {
            switch (value)
            {
                case null: return null;
                case string text: return text;
                case bool b: return b ? "True" : "False";
                case long l: return l.ToString(CultureInfo.InvariantCulture);
                case int i: return i.ToString(CultureInfo.InvariantCulture);
                case DateTimeOffset date: return FormatDate(date);
                case DateTime dateTime: return FormatDate(new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)));
                case RoleValue role: return role.Value;
                case AppRoleAssignmentValue assignment: return assignment.Value;
                case IReadOnlyList<string> list:
                    if (list.Count == 0)
                    {
                        return null;
                    }

                    if (list.Count == 1)
                    {
                        return list[0];
                    }

                    throw new ExpressionException(
                        ExpressionErrorIds.InvalidArgument,
                        $"A multi-valued value ({list.Count} values) was used where a single value is expected, at column {position}.",
                        position);
                default:
                    throw new ExpressionException(
                        ExpressionErrorIds.InvalidArgument,
                        $"A value of type '{value.GetType().Name}' cannot be used as a string, at column {position}.",
                        position);
            }
        }

        /// <summary>A value as a list of strings: multi-valued values as they are, a single value as one item, null as none.</summary>
        public static IReadOnlyList<string> ToList(object value, int position)
        {
            switch (value)
            {
                case null: return Array.Empty<string>();
                case IReadOnlyList<string> list: return list;
                case IReadOnlyList<AppRoleAssignmentValue> roles:
                    var values = new string[roles.Count];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = roles[i]?.Value;
                    }

                    return values;
                case AppRoleAssignmentsResult result:
                    var roleValues = new string[result.Roles.Count];
                    for (var i = 0; i < roleValues.Length; i++)
                    {
                        roleValues[i] = result.Roles[i].Value;
                    }

                    return roleValues;
                default: return new[] { ToText(value, position) };
            }
        }

        public static ExpressionException InvalidArgument(string message, int position) =>
            new ExpressionException(ExpressionErrorIds.InvalidArgument, message + " (column " + position + ").", position);

        private static object[] CreateSmallLongs()
        {
            var boxes = new object[256];
            for (var i = 0; i < boxes.Length; i++)
            {
                boxes[i] = (long)(i - 1);
            }

            return boxes;
        }
    }
}
