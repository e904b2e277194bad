using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>A request's query options ($select, $top, $filter, tokens), and the links that continue it.</summary>
    internal sealed class ODataQuery
    {
        public const int DefaultTop = 100;
        public const int MaxTop = 999;

        private readonly List<KeyValuePair<string, string>> _options = new List<KeyValuePair<string, string>>();

        private ODataQuery(Uri uri)
        {
            BaseAddress = uri.GetLeftPart(UriPartial.Authority);
            var query = uri.Query;
            if (query.StartsWith("?", StringComparison.Ordinal)) query = query.Substring(1);
            foreach (var part in query.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=');
                var name = WebUtility.UrlDecode(eq < 0 ? part : part.Substring(0, eq));
                var value = eq < 0 ? "" : WebUtility.UrlDecode(part.Substring(eq + 1));
                // Graph accepts the options with or without the "$" prefix.
                if (!name.StartsWith("$", StringComparison.Ordinal) && IsSystemOption("$" + name)) name = "$" + name;
                _options.Add(new KeyValuePair<string, string>(name, value));
            }
        }

        public static ODataQuery Parse(Uri uri) => new ODataQuery(uri);

        /// <summary>scheme://host:port of the request, so links work in-process and over loopback alike.</summary>
        public string BaseAddress { get; }

        public string Get(string name) =>
            _options.Where(o => string.Equals(o.Key, name, StringComparison.OrdinalIgnoreCase)).Select(o => o.Value).FirstOrDefault();

        public string Filter => Get("$filter");
        public string SkipToken => Get("$skiptoken");
        public string DeltaToken => Get("$deltatoken");
        public string Expand => Get("$expand");

        /// <summary>Names listed in $select, trimmed; null when there is no $select.</summary>
        public IReadOnlyList<string> Select
        {
            get
            {
                var raw = Get("$select");
                if (raw == null) return null;
                return raw.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
            }
        }

        public int Top(string preferHeader = null)
        {
            var raw = Get("$top");
            if (raw == null)
            {
                // Prefer: odata.maxpagesize=N is how delta clients ask for a page size.
                var prefer = preferHeader?.Split(',').Select(p => p.Trim())
                    .FirstOrDefault(p => p.StartsWith("odata.maxpagesize=", StringComparison.OrdinalIgnoreCase));
                if (prefer != null && int.TryParse(prefer.Substring("odata.maxpagesize=".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var size))
                    return Math.Max(1, Math.Min(MaxTop, size));
                return DefaultTop;
            }
            if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var top) || top < 1 || top > MaxTop)
                throw GraphException.BadRequest($"Invalid page size specified: '{raw}'. Must be between 1 and {MaxTop} inclusive.", "Request_BadRequest");
            return top;
        }

        /// <summary>An absolute link to <paramref name="path"/> with this request's options, minus <paramref name="drop"/>, plus <paramref name="add"/>.</summary>
        public string Link(string path, IEnumerable<string> drop, params KeyValuePair<string, string>[] add)
        {
            var dropped = new HashSet<string>(drop ?? Enumerable.Empty<string>(), StringComparer.OrdinalIgnoreCase);
            var parts = _options.Where(o => !dropped.Contains(o.Key)).Concat(add)
                .Select(o => o.Key + "=" + Escape(o.Value));
            var query = string.Join("&", parts);
            return BaseAddress + path + (query.Length > 0 ? "?" + query : "");
        }

        public static string Link(string baseAddress, string path, string name, string value) =>
            baseAddress + path + "?" + name + "=" + Escape(value);

        // Readable like Graph's own links: commas, quotes and parentheses stay as they are.
        private static string Escape(string value)
        {
            var escaped = Uri.EscapeDataString(value ?? "");
            return escaped.Replace("%2C", ",").Replace("%27", "'").Replace("%28", "(").Replace("%29", ")");
        }

        private static bool IsSystemOption(string name)
        {
            switch (name.ToLowerInvariant())
            {
                case "$select": case "$top": case "$filter": case "$skiptoken": case "$deltatoken":
                case "$expand": case "$count": case "$orderby": case "$search":
                    return true;
                default:
                    return false;
            }
        }

        public static string EncodeToken(string text) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        /// <summary>The text inside a token made by <see cref="EncodeToken"/>, or null when it is not one.</summary>
        public static string DecodeToken(string token)
        {
            if (string.IsNullOrEmpty(token)) return null;
            try
            {
                var b64 = token.Replace('-', '+').Replace('_', '/');
                b64 += new string('=', (4 - b64.Length % 4) % 4);
                return Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
