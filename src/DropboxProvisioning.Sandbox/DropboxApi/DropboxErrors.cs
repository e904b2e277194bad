using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.DropboxApi
{
    /// <summary>
    /// The error responses of Dropbox API v2, byte for byte in shape: 400 plain text for a bad request
    /// ("Error in call to API function ..."), 401 AuthError JSON, 409 route errors with error_summary, error and an
    /// optional user_message, 429 RateLimitError with a Retry-After header, and the OAuth 2 endpoint's
    /// {"error", "error_description"}.
    /// </summary>
    public static class DropboxErrors
    {
        /// <summary>"reset/..", "missing_scope/.", ...: the tag path then a slash and dots (Dropbox pads it so clients don't parse it).</summary>
        public static string Summary(JObject error)
        {
            var builder = new StringBuilder();
            JToken current = error;
            while (current is JObject obj && obj[".tag"] != null)
            {
                var tag = (string)obj[".tag"];
                builder.Append(tag).Append('/');
                current = obj[tag];
            }
            return builder.Append("..").ToString();
        }

        public static HttpResponseMessage Route(JObject error, string userMessage = null)
        {
            var body = new JObject { ["error_summary"] = Summary(error), ["error"] = error };
            if (userMessage != null) body["user_message"] = new JObject { ["locale"] = "en", ["text"] = userMessage };
            return EmulatorResponse.Json((HttpStatusCode)409, body);
        }

        public static JObject AuthErrorBody(JObject error) => new JObject { ["error_summary"] = Summary(error), ["error"] = error };

        public static HttpResponseMessage Auth(JObject error) => EmulatorResponse.Json(HttpStatusCode.Unauthorized, AuthErrorBody(error));

        public static HttpResponseMessage ExpiredAccessToken() => Auth(StoneJson.Tag("expired_access_token"));

        public static HttpResponseMessage InvalidAccessToken() => Auth(StoneJson.Tag("invalid_access_token"));

        public static HttpResponseMessage MissingScope(string scope) =>
            Auth(new JObject { [".tag"] = "missing_scope", ["required_scope"] = scope });

        /// <summary>HTTP 400: a plain-text explanation, as Dropbox sends for malformed calls.</summary>
        public static HttpResponseMessage BadInput(string route, string message)
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent($"Error in call to API function \"{route}\": {message}", Encoding.UTF8, "text/plain"),
            };
            return response;
        }

        /// <summary>
        /// auth.RateLimitError as the 429 body: too_many_requests for the app's rate, too_many_write_operations when
        /// Dropbox is busy with other writes to the same namespace.
        /// </summary>
        public static JObject RateLimitedBody(int retryAfterSeconds, string reason = null) => new JObject
        {
            ["error_summary"] = (reason ?? "too_many_requests") + "/..",
            ["error"] = new JObject { ["reason"] = StoneJson.Tag(reason ?? "too_many_requests"), ["retry_after"] = retryAfterSeconds },
        };

        /// <summary>The OAuth 2 endpoint's errors: {"error": "invalid_grant", "error_description": "..."} with 400 (or 401 for a bad client).</summary>
        public static HttpResponseMessage OAuth(string error, string description, HttpStatusCode status = HttpStatusCode.BadRequest) =>
            EmulatorResponse.Json(status, new JObject { ["error"] = error, ["error_description"] = description });

        public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Short-hands for Stone's JSON: tags, nested members, timestamps.</summary>
    public static class StoneJson
    {
        /// <summary>A void union member: {".tag": "x"}.</summary>
        public static JObject Tag(string tag) => new JObject { [".tag"] = tag };

        /// <summary>A member whose value is nested under its own name: {".tag": "x", "x": value}.</summary>
        public static JObject Nested(string tag, JToken value) => new JObject { [".tag"] = tag, [tag] = value };

        /// <summary>A member holding a plain struct, inlined: {".tag": "x", ...fields}.</summary>
        public static JObject Inlined(string tag, JObject fields)
        {
            var result = new JObject { [".tag"] = tag };
            foreach (var property in fields.Properties()) result[property.Name] = property.Value.DeepClone();
            return result;
        }

        public static string Timestamp(DateTimeOffset time) => DropboxErrors.Timestamp(time);

        public static bool TryParseTimestamp(string text, out DateTimeOffset time) =>
            DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
