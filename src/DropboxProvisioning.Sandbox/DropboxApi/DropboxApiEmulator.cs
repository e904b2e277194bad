using System;
using System.Linq;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.DropboxApi
{
    /// <summary>One RPC call to Dropbox API v2, after authentication: the route, its JSON argument and who called.</summary>
    public sealed class DropboxRpcRequest
    {
        public DropboxRpcRequest(string route, JToken argument, AccessInfo caller, string selectAdmin = null) { Route = route; Argument = argument; Caller = caller; SelectAdmin = selectAdmin; }
        public string Route { get; }
        /// <summary>The Dropbox-API-Select-Admin header (a team admin's team_member_id), or null when absent.</summary>
        public string SelectAdmin { get; }
        /// <summary>The parsed body (null for a Void argument).</summary>
        public JToken Argument { get; }
        public AccessInfo Caller { get; }
    }

    /// <summary>Thrown by a route handler to answer with a prepared error response (400 text, 409 route error).</summary>
    public sealed class DropboxApiException : Exception
    {
        public DropboxApiException(HttpResponseMessage response) : base("Dropbox API error " + (int)response.StatusCode) { Response = response; }
        public HttpResponseMessage Response { get; }
    }

    /// <summary>
    /// Dropbox API v2's RPC endpoints (https://api.dropboxapi.com/2/&lt;route&gt;): POST with a JSON argument,
    /// Authorization: Bearer with the route's scope (stone_cfg scope attribute), and Dropbox's errors. Routes are
    /// registered by the models that serve them (team_log/*) and auth/token/revoke is served here.
    /// </summary>
    internal sealed class DropboxApiEmulator : IServiceEmulator
    {
        private const string Prefix = "/2/";
        private readonly DropboxAuthorizationServer _authorization;
        private readonly Dictionary<string, Route> _routes = new Dictionary<string, Route>(StringComparer.Ordinal);

        public DropboxApiEmulator(DropboxAuthorizationServer authorization)
        {
            _authorization = authorization;
            Register("auth/token/revoke", null, request =>
            {
                return null; // handled in HandleAsync: it needs the bearer token itself
            }, voidArgument: true);
        }

        public string Service => "dropbox-api";

        public bool CanHandle(string path) => path.StartsWith(Prefix, StringComparison.Ordinal);

        public JToken RateLimitedBody(int retryAfterSeconds, string reason = null) => DropboxErrors.RateLimitedBody(retryAfterSeconds, reason);

        /// <summary>Adds a route: <paramref name="scope"/> is its stone_cfg scope (null for none).</summary>
        public void Register(string route, string scope, Func<DropboxRpcRequest, HttpResponseMessage> handler, bool voidArgument = false) =>
            _routes[route] = new Route(scope, handler, voidArgument);

        public async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var name = request.RequestUri.AbsolutePath.Substring(Prefix.Length).TrimEnd('/');
            if (!_routes.TryGetValue(name, out var route))
                return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent($"Unknown API function: \"{name}\"", Encoding.UTF8, "text/plain") };
            if (request.Method != HttpMethod.Post)
                return DropboxErrors.BadInput(name, $"Expected a POST request, got {request.Method.Method}.");

            var authorization = request.Headers.Authorization;
            if (authorization == null || !string.Equals(authorization.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(authorization.Parameter))
                return DropboxErrors.BadInput(name, "Must provide HTTP header \"Authorization\" or URL parameter \"authorization\".");

            var text = request.Content == null ? "" : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            JToken argument = null;
            if (!route.VoidArgument || !string.IsNullOrWhiteSpace(text))
            {
                var media = request.Content?.Headers.ContentType?.MediaType;
                if (!string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase))
                    return DropboxErrors.BadInput(name, $"Bad HTTP \"Content-Type\" header: \"{media}\".  Expecting one of \"application/json\", \"application/json; charset=utf-8\", \"text/plain; charset=dropbox-cors-hack\".");
                try
                {
                    using (var reader = new JsonTextReader(new System.IO.StringReader(text)) { DateParseHandling = DateParseHandling.None })
                        argument = JToken.ReadFrom(reader);
                }
                catch (JsonException)
                {
                    return DropboxErrors.BadInput(name, "request body: could not decode input as JSON");
                }
            }

            var failure = _authorization.Authenticate(authorization.Parameter.Trim(), route.Scope, out var caller);
            if (failure == "missing_scope") return DropboxErrors.MissingScope(route.Scope);
            if (failure != null) return DropboxErrors.Auth(StoneJson.Tag(failure));

            if (name == "auth/token/revoke")
            {
                _authorization.Revoke(authorization.Parameter.Trim());
                return EmulatorResponse.Json(HttpStatusCode.OK, JValue.CreateNull());
            }
            try
            {
                var selectAdmin = request.Headers.TryGetValues("Dropbox-API-Select-Admin", out var admins) ? admins.FirstOrDefault() : null;
                return route.Handler(new DropboxRpcRequest(name, argument, caller, selectAdmin));
            }
            catch (DropboxApiException e)
            {
                return e.Response;
            }
        }

        private sealed class Route
        {
            public Route(string scope, Func<DropboxRpcRequest, HttpResponseMessage> handler, bool voidArgument) { Scope = scope; Handler = handler; VoidArgument = voidArgument; }
            public string Scope { get; }
            public Func<DropboxRpcRequest, HttpResponseMessage> Handler { get; }
            public bool VoidArgument { get; }
        }
    }

    /// <summary>
    /// POST https://api.dropboxapi.com/oauth2/token: grant_type=authorization_code (with code_verifier, PKCE S256)
    /// and grant_type=refresh_token, form-encoded, answering Dropbox's token JSON or its OAuth errors.
    /// </summary>
    internal sealed class DropboxOAuthEmulator : IServiceEmulator
    {
        private readonly DropboxAuthorizationServer _authorization;

        public DropboxOAuthEmulator(DropboxAuthorizationServer authorization) { _authorization = authorization; }

        public string Service => "dropbox-oauth";

        public bool CanHandle(string path) => string.Equals(path.TrimEnd('/'), "/oauth2/token", StringComparison.Ordinal);

        public JToken RateLimitedBody(int retryAfterSeconds, string reason = null) => DropboxErrors.RateLimitedBody(retryAfterSeconds, reason);

        public async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Post)
                return DropboxErrors.OAuth("invalid_request", "The endpoint only accepts POST.");
            var form = ParseForm(request.Content == null ? "" : await request.Content.ReadAsStringAsync().ConfigureAwait(false));
            form.TryGetValue("client_id", out var clientId);
            if (string.IsNullOrEmpty(clientId) && request.Headers.Authorization?.Scheme == "Basic")
            {
                var basic = Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization.Parameter ?? ""));
                clientId = basic.Split(':')[0];
            }
            if (string.IsNullOrEmpty(clientId))
                return DropboxErrors.OAuth("invalid_request", "No client_id provided.");

            form.TryGetValue("grant_type", out var grantType);
            DropboxAuthorizationServer.TokenResult result;
            string error, description;
            switch (grantType)
            {
                case "authorization_code":
                    form.TryGetValue("code", out var code);
                    form.TryGetValue("code_verifier", out var verifier);
                    result = _authorization.ExchangeCode(clientId, code, verifier, out error, out description);
                    break;
                case "refresh_token":
                    form.TryGetValue("refresh_token", out var refresh);
                    result = _authorization.Refresh(clientId, refresh, out error, out description);
                    break;
                case null:
                    return DropboxErrors.OAuth("invalid_request", "No grant_type provided.");
                default:
                    return DropboxErrors.OAuth("unsupported_grant_type", $"grant_type \"{grantType}\" is not supported.");
            }
            if (result == null) return DropboxErrors.OAuth(error, description);

            var body = new JObject
            {
                ["access_token"] = result.AccessToken,
                ["token_type"] = "bearer",
                ["expires_in"] = result.ExpiresIn,
            };
            if (result.RefreshToken != null)
            {
                body["refresh_token"] = result.RefreshToken;
                body["scope"] = result.Scope;
                body["team_id"] = _authorization.TeamId;
            }
            return EmulatorResponse.Json(HttpStatusCode.OK, body);
        }

        private static Dictionary<string, string> ParseForm(string text)
        {
            var form = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in text.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString((eq < 0 ? pair : pair.Substring(0, eq)).Replace('+', ' '));
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' '));
                form[key] = value;
            }
            return form;
        }
    }
}
