using System;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>The interval codes DateAdd and DateDiff accept, exactly as documented (VB's codes, case-sensitive).</summary>
    internal enum DateInterval
    {
        Year,
        Month,
        Day,
        Week,
        Hour,
        Minute,
        Second,
    }

    internal static class DateIntervals
    {
        public const string Accepted = "yyyy, m, d, ww, h, n, s";

        public static bool TryParse(string text, out DateInterval interval)
        {
            switch (text)
            {
                case "yyyy": interval = DateInterval.Year; return true;
                case "m": interval = DateInterval.Month; return true;
                case "d": interval = DateInterval.Day; return true;
                case "ww": interval = DateInterval.Week; return true;
                case "h": interval = DateInterval.Hour; return true;
                case "n": interval = DateInterval.Minute; return true;
                case "s": interval = DateInterval.Second; return true;
                default: interval = default; return false;
            }
        }

        public static DateTimeOffset Add(DateInterval interval, long amount, DateTimeOffset date)
        {
            switch (interval)
            {
                case DateInterval.Year: return date.AddYears(checked((int)amount));
                case DateInterval.Month: return date.AddMonths(checked((int)amount));
                case DateInterval.Day: return date.AddDays(amount);
                case DateInterval.Week: return date.AddDays(amount * 7);
                case DateInterval.Hour: return date.AddHours(amount);
                case DateInterval.Minute: return date.AddMinutes(amount);
                default: return date.AddSeconds(amount);
            }
        }

        /// <summary>
        /// VB DateDiff semantics, which reproduce every row of Entra's documented table: years and months count
        /// calendar boundaries; days, hours, minutes and seconds truncate the elapsed time; weeks count week starts
        /// (Sunday) crossed.
        /// </summary>
        public static long Difference(DateInterval interval, DateTimeOffset first, DateTimeOffset second)
        {
            var date1 = first.UtcDateTime;
            var date2 = second.UtcDateTime;
            var elapsed = date2 - date1;
            switch (interval)
            {
                case DateInterval.Year: return date2.Year - date1.Year;
                case DateInterval.Month: return ((date2.Year - date1.Year) * 12L) + date2.Month - date1.Month;
                case DateInterval.Day: return (long)elapsed.TotalDays;
                case DateInterval.Hour: return (long)elapsed.TotalHours;
                case DateInterval.Minute: return (long)elapsed.TotalMinutes;
                case DateInterval.Second: return (long)elapsed.TotalSeconds;
                default:
                    var weekStart1 = date1.AddDays(-(int)date1.DayOfWeek);
                    var weekStart2 = date2.AddDays(-(int)date2.DayOfWeek);
                    return (long)(weekStart2 - weekStart1).TotalDays / 7;
            }
        }
    }
}
