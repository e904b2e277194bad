using System;
using System.Text.RegularExpressions;

namespace DropboxProvisioning.Dropbox
{
    /// <summary>
    /// What a Dropbox account can hold (the Stone spec: common.EmailAddress is at most 255 characters and of a set shape,
    /// team_common.MemberExternalId at most 64), and how much of a server's words goes into a message.
    /// </summary>
    public static class DropboxLimits
    {
        public const int MaxEmailLength = 255;
        public const int MaxExternalIdLength = 64;

        /// <summary>The most of a server's error detail that goes into a message or a log record.</summary>
        public const int MaxDetailLength = 300;

        /// <summary>common.EmailAddress's pattern.</summary>
        private static readonly Regex EmailAddress = new Regex(@"^['#&A-Za-z0-9._%+-]+@[A-Za-z0-9-][A-Za-z0-9.-]*\.[A-Za-z]{2,15}$", RegexOptions.CultureInvariant);

        /// <summary>The longest value of a user attribute a Dropbox account can hold; int.MaxValue for those with no known bound.</summary>
        public static int MaxLength(string attribute)
        {
            if (attribute == null) return int.MaxValue;
            if (attribute.Equals("userName", StringComparison.OrdinalIgnoreCase) || attribute.StartsWith("emails", StringComparison.OrdinalIgnoreCase)) return MaxEmailLength;
            if (attribute.Equals("externalId", StringComparison.OrdinalIgnoreCase)) return MaxExternalIdLength;
            return int.MaxValue;
        }

        /// <summary>True for an address Dropbox takes as a member's e-mail (common.EmailAddress).</summary>
        public static bool IsEmailAddress(string value) => value != null && value.Length <= MaxEmailLength && EmailAddress.IsMatch(value);

        /// <summary>Text cut to <see cref="MaxDetailLength"/> characters, saying how much was left out.</summary>
        public static string Shorten(string text)
        {
            if (text == null || text.Length <= MaxDetailLength) return text;
            return text.Substring(0, MaxDetailLength) + $"... ({text.Length - MaxDetailLength} more characters)";
        }
    }
}
