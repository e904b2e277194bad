using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox.Api;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Security;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.OAuth
{
    /// <summary>A PKCE pair (RFC 7636): the verifier stays with the caller, the S256 challenge goes into the link.</summary>
    public sealed class PkcePair
    {
        private PkcePair(string verifier, string challenge) { Verifier = verifier; Challenge = challenge; }
        public string Verifier { get; }
        public string Challenge { get; }

        public static PkcePair Create()
        {
            var bytes = new byte[48];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            return FromVerifier(Base64Url(bytes));
        }

        public static PkcePair FromVerifier(string verifier)
        {
            using (var sha = SHA256.Create())
                return new PkcePair(verifier, Base64Url(sha.ComputeHash(Encoding.ASCII.GetBytes(verifier))));
        }

        internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>What /oauth2/token gave back. Tokens are SecureStrings; nothing here is ever written to a log.</summary>
    public sealed class DropboxTokenGrant
    {
        public SecureString AccessToken { get; set; }
        public SecureString RefreshToken { get; set; }
        public DateTimeOffset ExpiresAt { get; set; }
        public string Scope { get; set; }
        public string TeamId { get; set; }
    }

    /// <summary>
    /// Dropbox's OAuth 2 code flow with PKCE and no redirect: the admin opens <see cref="AuthorizeUrl"/>, clicks
    /// Allow, and copies the code Dropbox shows; <see cref="ExchangeCodeAsync"/> trades it (with the verifier) for a
    /// short-lived access token and a refresh token (token_access_type=offline).
    /// </summary>
    public static class DropboxOAuth
    {
        public static readonly Uri DefaultAuthorizeRoot = new Uri("https://www.dropbox.com");
        public static readonly Uri DefaultApiRoot = new Uri("https://api.dropboxapi.com");

        /// <param name="scopes">Scopes to ask for (Dropbox's scope parameter); null for all the app is configured with.</param>
        public static Uri AuthorizeUrl(string appKey, PkcePair pkce, Uri authorizeRoot = null, IEnumerable<string> scopes = null)
        {
            var root = authorizeRoot ?? DefaultAuthorizeRoot;
            var scope = scopes == null ? "" : "&scope=" + Uri.EscapeDataString(string.Join(" ", scopes));
            return new Uri(root, "/oauth2/authorize?client_id=" + Uri.EscapeDataString(appKey) + "&response_type=code&code_challenge=" +
                Uri.EscapeDataString(pkce.Challenge) + "&code_challenge_method=S256&token_access_type=offline" + scope);
        }

        /// <param name="clock">Stamps the grant's expiry (the connection's clock); null for the machine's.</param>
        public static Task<DropboxTokenGrant> ExchangeCodeAsync(HttpClient http, Uri apiRoot, string appKey, string code, string verifier, CancellationToken cancellationToken, Time.IClock clock = null) =>
            TokenAsync(http, apiRoot, appKey, new[]
            {
                new KeyValuePair<string, string>("grant_type", "authorization_code"),
                new KeyValuePair<string, string>("code", code.Trim()),
                new KeyValuePair<string, string>("client_id", appKey),
                new KeyValuePair<string, string>("code_verifier", verifier),
            }, "code", cancellationToken, clock: clock);

        internal static async Task<DropboxTokenGrant> TokenAsync(HttpClient http, Uri apiRoot, string appKey, IEnumerable<KeyValuePair<string, string>> form, string what,
            CancellationToken cancellationToken, Func<TimeSpan, CancellationToken, Task> delay = null, string reauthorize = "Connect-DbxActivity", Time.IClock clock = null)
        {
            var endpoint = new Uri(apiRoot, "/oauth2/token");
            for (var attempt = 0; ; attempt++)
            {
                HttpResponseMessage response;
                try
                {
                    response = await http.PostAsync(endpoint, new FormUrlEncodedContent(form), cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException e)
                {
                    throw new DbxException("DropboxUnreachable", DbxErrorCategory.ConnectionError, $"Could not reach Dropbox's token endpoint {endpoint.GetLeftPart(UriPartial.Authority)}: {e.Message}", e, endpoint);
                }
                using (response)
                {
                    var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    JObject body = null;
                    try { body = Serialization.JsonText.ParseObject(text); } catch (JsonException) { }
                    if ((int)response.StatusCode == 429 && attempt < 5)
                    {
                        await (delay ?? Task.Delay)(DropboxApiClient.RetryAfter(response, body, (clock ?? Time.SystemClock.Instance).UtcNow), cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    if (!response.IsSuccessStatusCode || body?["access_token"] == null)
                    {
                        var error = (string)body?["error"];
                        var description = (string)body?["error_description"] ?? error ?? $"HTTP {(int)response.StatusCode}";
                        if (error == "invalid_grant" && what == "refresh token")
                            throw new DbxException("DropboxTokenRevoked", DbxErrorCategory.AuthenticationError,
                                $"Dropbox no longer accepts the refresh token of app {appKey} ({description}): the authorization was revoked or the app was unlinked. Run {reauthorize} again to authorize the app.", target: appKey);
                        if (error == "invalid_grant")
                            throw new DbxException("DropboxAuthorizationCodeRejected", DbxErrorCategory.AuthenticationError,
                                $"Dropbox rejected the authorization code ({description}). Codes are single-use and expire within minutes: open the link again and paste the new code.", target: appKey);
                        throw new DbxException("DropboxAuthenticationFailed", DbxErrorCategory.AuthenticationError,
                            $"Dropbox refused the {what} of app {appKey}: {description}", target: appKey);
                    }
                    var lifetime = (int?)body["expires_in"] ?? 14400;
                    return new DropboxTokenGrant
                    {
                        AccessToken = SecureStrings.FromText((string)body["access_token"]),
                        RefreshToken = body["refresh_token"] == null ? null : SecureStrings.FromText((string)body["refresh_token"]),
                        ExpiresAt = (clock ?? Time.SystemClock.Instance).UtcNow.AddSeconds(lifetime),
                        Scope = (string)body["scope"],
                        TeamId = (string)body["team_id"],
                    };
                }
            }
        }
    }

    /// <summary>
    /// Short-lived Dropbox access tokens from a refresh token (grant_type=refresh_token, client_id = app key, no
    /// secret: a PKCE app). A token is reused until five minutes before it expires, or until <see cref="Invalidate"/>.
    /// </summary>
    public sealed class DropboxRefreshTokenSource : IAccessTokenSource
    {
        private readonly HttpClient _http;
        private readonly Uri _apiRoot;
        private readonly string _appKey;
        private readonly SecureString _refreshToken;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private SecureString _access;
        private DateTimeOffset _expires;

        /// <summary>Decides when the token has expired, and stamps the expiry of each new one (the connection's clock).</summary>
        internal Time.IClock Clock { get; set; } = Time.SystemClock.Instance;

        public DropboxRefreshTokenSource(HttpClient http, Uri apiRoot, string appKey, SecureString refreshToken, DropboxTokenGrant initial = null)
        {
            _http = http; _apiRoot = apiRoot; _appKey = appKey;
            _refreshToken = refreshToken.Copy();
            _refreshToken.MakeReadOnly();
            if (initial?.AccessToken != null) { _access = initial.AccessToken; _expires = initial.ExpiresAt.AddMinutes(-5); }
        }

        public bool CanRenew => true;

        /// <summary>The command that authorizes the app again, for the message when the refresh token is revoked.</summary>
        public string ReauthorizeCommand { get; set; } = "Connect-DbxActivity";

        /// <summary>Access tokens obtained from the refresh token so far.</summary>
        public int Refreshes { get; private set; }

        public void Invalidate() { _access = null; }

        public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            var current = _access;
            if (current != null && Clock.UtcNow < _expires) return SecureStrings.Reveal(current);
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_access != null && Clock.UtcNow < _expires) return SecureStrings.Reveal(_access);
                var grant = await DropboxOAuth.TokenAsync(_http, _apiRoot, _appKey, new[]
                {
                    new KeyValuePair<string, string>("grant_type", "refresh_token"),
                    new KeyValuePair<string, string>("refresh_token", SecureStrings.Reveal(_refreshToken)),
                    new KeyValuePair<string, string>("client_id", _appKey),
                }, "refresh token", cancellationToken, reauthorize: ReauthorizeCommand, clock: Clock).ConfigureAwait(false);
                Refreshes++;
                _expires = grant.ExpiresAt.AddMinutes(-5);
                _access = grant.AccessToken;
                return SecureStrings.Reveal(_access);
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
