using System;
using System.Text.RegularExpressions;

namespace DropboxProvisioning.Errors
{
    /// <summary>
    /// Takes secrets out of text meant for people (error messages): the password of a URL (https://user:pass@host), and
    /// credentials a server echoes back in an error body (an Authorization header, a bearer token, a token field).
    /// </summary>
    public static class Redaction
    {
        public const string Mask = "***";

        private static readonly Regex UserInfo = new Regex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)(?<info>[^/?#@\s""'<>]*)@", RegexOptions.CultureInvariant);
        private static readonly Regex AuthorizationHeader = new Regex(@"(?<name>\b(?:Proxy-)?Authorization\b[""']?\s*[:=]\s*[""']?)(?:(?<scheme>Bearer|Basic|Digest|Negotiate|NTLM)\s+)?[^\s""',;}\]]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        private static readonly Regex Credential = new Regex(@"\b(?<scheme>Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{16,}=*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        private static readonly Regex TokenField = new Regex(@"(?<name>[""']?\b(?:access_token|refresh_token|client_secret|id_token|client_assertion|password)\b[""']?\s*[:=]\s*[""']?)[^\s""'&,;}]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>The text with URL passwords and echoed credentials replaced by ***.</summary>
        public static string Text(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            text = UserInfo.Replace(text, m => m.Groups["scheme"].Value + (m.Groups["info"].Value.Contains(":") ? m.Groups["info"].Value.Substring(0, m.Groups["info"].Value.IndexOf(':')) + ":" + Mask : m.Groups["info"].Value) + "@");
            text = AuthorizationHeader.Replace(text, m => m.Groups["name"].Value + (m.Groups["scheme"].Success ? m.Groups["scheme"].Value + " " : "") + Mask);
            text = Credential.Replace(text, m => m.Groups["scheme"].Value + " " + Mask);
            text = TokenField.Replace(text, m => m.Groups["name"].Value + Mask);
            return text;
        }

        /// <summary>A URL for a message: without its user information (a password there is a secret), cut at <paramref name="part"/>.</summary>
        public static string Url(Uri uri, UriPartial part = UriPartial.Path)
        {
            if (uri == null) return null;
            if (!uri.IsAbsoluteUri) return Text(uri.OriginalString);
            var builder = new UriBuilder(uri) { UserName = "", Password = "" };
            return builder.Uri.GetLeftPart(part);
        }

        /// <summary>A secret value itself, where the message might carry it (a token a server echoes without a header name).</summary>
        public static string Remove(string text, string secret) =>
            string.IsNullOrEmpty(text) || string.IsNullOrEmpty(secret) || secret.Length < 8 ? text : text.Replace(secret, Mask);
    }
}
