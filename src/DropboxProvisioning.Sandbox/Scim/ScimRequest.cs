using System;
using System.Collections.Generic;
using System.Globalization;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>What an endpoint needs from one HTTP request: method, resource id, query, JSON body, and the base URL for locations.</summary>
    internal sealed class ScimRequest
    {
        public ScimRequest(string method, string id, IReadOnlyDictionary<string, string> query, JToken body, string baseUrl)
        {
            Method = method; Id = id; Query = query; Body = body; BaseUrl = baseUrl;
        }

        /// <summary>Upper case: GET, POST, PUT, PATCH, DELETE.</summary>
        public string Method { get; }
        /// <summary>The resource id after /Users/ or /Groups/, or null for the collection.</summary>
        public string Id { get; }
        public IReadOnlyDictionary<string, string> Query { get; }
        public JToken Body { get; }
        /// <summary>scheme://host/scim/v2 as the client addressed it, so locations work in-process and over loopback.</summary>
        public string BaseUrl { get; }

        public string Param(string name) => Query.TryGetValue(name, out var v) ? v : null;

        public JObject RequireObjectBody()
        {
            if (Body is JObject obj) return obj;
            throw ScimException.BadRequest("invalidSyntax", Body == null ? "The request needs a JSON body." : "The request body must be a JSON object.");
        }

        public ScimProjection Projection => ScimProjection.From(Param("attributes"), Param("excludedAttributes"));

        /// <summary>startIndex (1-based, below 1 means 1) and count (0..maxResults; omitted means maxResults), RFC 7644 §3.4.2.4.</summary>
        public (int StartIndex, int Count) Paging()
        {
            var start = Integer("startIndex") ?? 1;
            var count = Integer("count") ?? ScimSchemas.MaxResults;
            return (Math.Max(1, start), Math.Max(0, Math.Min(ScimSchemas.MaxResults, count)));
        }

        private int? Integer(string name)
        {
            var text = Param(name);
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                return (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, n));
            throw ScimException.BadRequest("invalidValue", $"{name} must be an integer, not '{text}'.");
        }

        /// <summary>Decodes a query string as forms do ('+' is a space), parameter names ignoring case.</summary>
        public static Dictionary<string, string> ParseQuery(string query)
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (string.IsNullOrEmpty(query)) return result;
            foreach (var pair in query.TrimStart('?').Split('&'))
            {
                if (pair.Length == 0) continue;
                var eq = pair.IndexOf('=');
                var key = Decode(eq < 0 ? pair : pair.Substring(0, eq));
                var value = eq < 0 ? "" : Decode(pair.Substring(eq + 1));
                result[key] = value;
            }
            return result;
        }

        private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
    }
}
