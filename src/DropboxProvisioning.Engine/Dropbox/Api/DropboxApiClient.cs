using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Security;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.Api
{
    /// <summary>A route error (HTTP 409) of Dropbox API v2: the error union's tag, its summary and the whole error.</summary>
    public sealed class DropboxRouteException : DbxException
    {
        public DropboxRouteException(string route, string tag, string summary, JObject error, string userMessage)
            : base("Dropbox" + Pascal(tag), DbxErrorCategory.InvalidOperation,
                $"Dropbox refused {route}: {summary}" + (userMessage != null ? " (" + userMessage + ")" : ""), target: route)
        {
            Route = route; Tag = tag; Summary = summary; Error = error;
        }

        public string Route { get; }
        /// <summary>The error union's .tag ("reset", "bad_cursor", "invalid_time_range"...).</summary>
        public string Tag { get; }
        public string Summary { get; }
        public JObject Error { get; }

        internal static string Pascal(string tag) =>
            string.Concat((tag ?? "unknown").Split('_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));
    }

    /// <summary>
    /// Calls Dropbox API v2 RPC routes (POST https://api.dropboxapi.com/2/&lt;route&gt;, JSON in and out) with a
    /// bearer token. On 401 expired_access_token it renews the token once and retries; invalid_access_token
    /// (revoked or unknown token) and missing_scope become clear errors; 429 waits for Retry-After (or the body's
    /// retry_after) and retries; 409 becomes <see cref="DropboxRouteException"/>; 400's text is reported as is.
    /// </summary>
    public sealed class DropboxApiClient
    {
        private readonly HttpClient _http;
        private readonly Uri _apiRoot;
        private readonly IAccessTokenSource _tokens;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly Time.IClock _clock;

        /// <param name="clock">The connection's clock (how far off an HTTP-date Retry-After is); null for the machine's.</param>
        public DropboxApiClient(HttpClient http, Uri apiRoot, IAccessTokenSource tokens, Func<TimeSpan, CancellationToken, Task> delay = null, Time.IClock clock = null)
        {
            _clock = clock ?? Time.SystemClock.Instance;
            _http = http ?? throw new ArgumentNullException(nameof(http));
            _apiRoot = apiRoot ?? throw new ArgumentNullException(nameof(apiRoot));
            _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
            _delay = delay ?? Task.Delay;
        }

        /// <summary>How many 429 answers in a row are waited out before giving up.</summary>
        public int MaxRateLimitRetries { get; set; } = 8;

        /// <summary>The longest Retry-After honoured; a longer one fails the call with the delay in the message.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(10);

        /// <summary>Called with each wait on a 429 (for progress and tests).</summary>
        public Action<TimeSpan> RateLimited { get; set; }

        public Uri ApiRoot => _apiRoot;

        /// <summary>The cmdlet that authorizes the app again, named in authorization errors.</summary>
        public string ConnectCommand { get; set; } = "Connect-DbxActivity";

        /// <summary>What the authorizing admin needs, named when Dropbox answers 403.</summary>
        public string AdminRequirement { get; set; } = "a team admin with Team Auditing permission";

        public async Task<JObject> CallAsync(string route, JObject argument, CancellationToken cancellationToken) =>
            (JObject)await CallTokenAsync(route, argument, cancellationToken).ConfigureAwait(false);

        /// <summary>As <see cref="CallAsync"/>, for routes whose result is not a struct (groups/get_info answers a list).</summary>
        public Task<JToken> CallTokenAsync(string route, JObject argument, CancellationToken cancellationToken) => CallTokenAsync(route, argument, null, cancellationToken);

        /// <param name="selectAdmin">
        /// A team admin's team_member_id for a user route called with a team token (Dropbox-API-Select-Admin: routes whose
        /// select_admin_mode is team_admin, such as sharing/*); null for none.
        /// </param>
        public async Task<JToken> CallTokenAsync(string route, JObject argument, string selectAdmin, CancellationToken cancellationToken)
        {
            var renewed = false;
            var rateLimited = 0;
            while (true)
            {
                var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
                HttpResponseMessage response;
                using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_apiRoot, "/2/" + route)))
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    if (selectAdmin != null) request.Headers.TryAddWithoutValidation("Dropbox-API-Select-Admin", selectAdmin);
                    if (argument != null) request.Content = new StringContent(argument.ToString(Formatting.None), Encoding.UTF8, "application/json");
                    try
                    {
                        response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    }
                    catch (HttpRequestException e)
                    {
                        throw new DbxException("DropboxUnreachable", DbxErrorCategory.ConnectionError, $"Could not reach Dropbox at {_apiRoot.GetLeftPart(UriPartial.Authority)}: {e.Message}", e, _apiRoot);
                    }
                    catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new DbxException("DropboxTimeout", DbxErrorCategory.OperationStopped, $"Dropbox did not answer {route} in time.", e, route);
                    }
                }

                using (response)
                {
                    var text = response.Content == null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    var status = (int)response.StatusCode;
                    if (status != 200) text = Errors.Redaction.Remove(text, token); // a refusal that echoes the request's token
                    if (status == 200)
                    {
                        try { return string.IsNullOrWhiteSpace(text) || text.Trim() == "null" ? null : ParseToken(text); }
                        catch (JsonException e) { throw new DbxException("DropboxInvalidResponse", DbxErrorCategory.InvalidResult, $"Dropbox answered {route} with a body that is not JSON.", e, route); }
                    }
                    var body = TryParse(text);
                    var error = body?["error"] as JObject;
                    var tag = (string)error?[".tag"];
                    switch (status)
                    {
                        case 401:
                            if (tag == "expired_access_token" && _tokens.CanRenew && !renewed)
                            {
                                renewed = true;
                                _tokens.Invalidate();
                                continue;
                            }
                            throw AuthError(route, tag, error, ConnectCommand);
                        case 429:
                            var wait = RetryAfter(response, body, _clock.UtcNow);
                            if (++rateLimited > MaxRateLimitRetries || wait > MaxRetryAfter)
                                throw new DbxException("DropboxRateLimited", DbxErrorCategory.LimitsExceeded,
                                    $"Dropbox kept refusing {route} with 429 {(string)error?["reason"]?[".tag"] ?? "Too Many Requests"} (retry after {wait.TotalSeconds:0} s).", target: route);
                            RateLimited?.Invoke(wait);
                            await _delay(wait, cancellationToken).ConfigureAwait(false);
                            continue;
                        case 409:
                            var userMessage = (string)body?["user_message"]?["text"];
                            throw new DropboxRouteException(route, tag, (string)body?["error_summary"] ?? tag ?? "conflict", error, userMessage);
                        case 400:
                            throw new DbxException("DropboxBadRequest", DbxErrorCategory.InvalidArgument, $"Dropbox rejected the call to {route}: {FirstLine(text)}", target: route);
                        case 403:
                            throw new DbxException("DropboxAccessDenied", DbxErrorCategory.PermissionDenied,
                                $"Dropbox denied {route}: {(string)body?["error_summary"] ?? FirstLine(text)}. The authorizing account must be " + AdminRequirement + ".", target: route);
                        default:
                            if (status >= 500)
                                throw new DbxException("DropboxServerError", DbxErrorCategory.ResourceUnavailable, $"Dropbox failed {route} with HTTP {status}; try again later.", target: route);
                            throw new DbxException("DropboxUnexpectedStatus", DbxErrorCategory.InvalidResult, $"Dropbox answered {route} with HTTP {status}: {FirstLine(text)}", target: route);
                    }
                }
            }
        }

        private static DbxException AuthError(string route, string tag, JObject error, string connect)
        {
            switch (tag)
            {
                case "invalid_access_token":
                    return new DbxException("DropboxTokenRevoked", DbxErrorCategory.AuthenticationError,
                        "Dropbox no longer accepts this app's token (invalid_access_token): the authorization was revoked or the app was unlinked from the team. Run " + connect + " again to authorize the app.", target: route);
                case "expired_access_token":
                    return new DbxException("DropboxTokenExpired", DbxErrorCategory.AuthenticationError,
                        "The Dropbox access token has expired and cannot be renewed: connect with a refresh token (" + connect + ") rather than a fixed access token.", target: route);
                case "missing_scope":
                    var scope = (string)error?["required_scope"] ?? "events.read";
                    return new DbxException("DropboxMissingScope", DbxErrorCategory.PermissionDenied,
                        $"The Dropbox app's token lacks the scope '{scope}' that {route} requires. Enable '{scope}' on the app's Permissions tab in the Dropbox App Console, then authorize again with " + connect + ".", target: scope);
                case "user_suspended":
                    return new DbxException("DropboxUserSuspended", DbxErrorCategory.AuthenticationError, "The Dropbox admin who authorized the app has been suspended. Authorize again as an active team admin.", target: route);
                default:
                    return new DbxException("DropboxUnauthorized", DbxErrorCategory.AuthenticationError, $"Dropbox refused the token for {route} ({tag ?? "401"}).", target: route);
            }
        }

        internal static TimeSpan RetryAfter(HttpResponseMessage response, JObject body, DateTimeOffset now)
        {
            var header = response.Headers.RetryAfter;
            if (header?.Delta != null) return header.Delta.Value;
            if (header?.Date != null) return header.Date.Value - now;
            var seconds = (long?)body?["error"]?["retry_after"] ?? (long?)body?["retry_after"];
            return TimeSpan.FromSeconds(seconds ?? 1);
        }

        private static JObject TryParse(string text)
        {
            if (string.IsNullOrWhiteSpace(text) || text.TrimStart()[0] != '{') return null;
            try { return ParseJson(text); } catch (JsonException) { return null; }
        }

        internal static JToken ParseToken(string text) => Serialization.JsonText.ParseToken(text);

        /// <summary>Parses JSON keeping timestamps as the strings Dropbox sent.</summary>
        internal static JObject ParseJson(string text) => Serialization.JsonText.ParseObject(text);

        private static string FirstLine(string text)
        {
            text = text ?? "";
            var end = text.IndexOfAny(new[] { '\r', '\n' });
            var line = end < 0 ? text : text.Substring(0, end);
            return line.Length > 300 ? line.Substring(0, 300) + "..." : line;
        }

        internal static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
