using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace DropboxProvisioning.Sandbox.DropboxApi
{
    /// <summary>
    /// Dropbox's OAuth 2 authorization server for one team: authorization codes bound to a PKCE challenge
    /// (the "no redirect" flow: the admin opens /oauth2/authorize, clicks Allow and copies the code shown),
    /// short-lived access tokens ("sl." prefix, four hours) with refresh tokens, scopes on every token,
    /// and revocation. The browser page itself is not served: <see cref="ApproveAuthorization"/> is the admin clicking Allow.
    /// </summary>
    public sealed class DropboxAuthorizationServer
    {
        /// <summary>The app key of the sandbox's own Dropbox app (Connect-DbxActivity -Sandbox uses it).</summary>
        public const string SandboxAppKey = "sbx4ctivity0app";

        /// <summary>The scopes a team app for the activity connector is configured with in the App Console.</summary>
        public static readonly IReadOnlyList<string> DefaultScopes = new[] { "account_info.read", "events.read", "members.read", "team_info.read" };

        /// <summary>The scopes a team app for provisioning over the Team API is configured with (members, groups, and the activity log).</summary>
        public static readonly IReadOnlyList<string> ProvisioningScopes = new[]
        {
            "members.read", "members.write", "members.delete", "groups.read", "groups.write", "events.read", "team_info.read",
            // Team folder access (Set-DbxTeamFolderAccess): team_folder/* as the team, sharing/* as the authorizing admin.
            "team_data.content.read", "team_data.content.write", "sharing.write",
        };

        private readonly object _gate = new object();
        private readonly Dictionary<string, PendingCode> _codes = new Dictionary<string, PendingCode>(StringComparer.Ordinal);
        private readonly Dictionary<string, Grant> _refreshTokens = new Dictionary<string, Grant>(StringComparer.Ordinal);
        private readonly Dictionary<string, AccessToken> _accessTokens = new Dictionary<string, AccessToken>(StringComparer.Ordinal);
        private readonly RandomNumberGenerator _random = RandomNumberGenerator.Create();

        public DropboxAuthorizationServer(string teamId)
        {
            TeamId = teamId;
        }

        /// <summary>team_id of the team ("dbtid:...").</summary>
        public string TeamId { get; }

        /// <summary>Lifetime of an access token; Dropbox's are four hours (expires_in 14400).</summary>
        public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(14400);

        /// <summary>How long an authorization code may wait before it is exchanged.</summary>
        public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>Access tokens issued through grant_type=refresh_token so far (tests count refreshes).</summary>
        public int RefreshCount { get { lock (_gate) return _refreshCount; } }
        private int _refreshCount;

        /// <summary>
        /// The admin approves the app on /oauth2/authorize?client_id=...&amp;code_challenge=...&amp;code_challenge_method=S256
        /// and Dropbox shows the code to copy back. <paramref name="scopes"/> are what the app is granted (default: <see cref="DefaultScopes"/>).
        /// </summary>
        public string ApproveAuthorization(string appKey, string codeChallenge, IEnumerable<string> scopes = null, string codeChallengeMethod = "S256")
        {
            if (string.IsNullOrEmpty(appKey)) throw new ArgumentException("An app key is required.", nameof(appKey));
            if (string.IsNullOrEmpty(codeChallenge)) throw new ArgumentException("A PKCE code challenge is required.", nameof(codeChallenge));
            if (codeChallengeMethod != "S256" && codeChallengeMethod != "plain") throw new ArgumentException("code_challenge_method is S256 or plain.", nameof(codeChallengeMethod));
            var code = NewSecret(32);
            lock (_gate)
                _codes[code] = new PendingCode(appKey, codeChallenge, codeChallengeMethod, (scopes ?? DefaultScopes).Distinct().ToArray(), Clock() + CodeLifetime);
            return code;
        }

        /// <summary>Every access token issued so far expires now (as four hours passing); refresh tokens stay valid.</summary>
        public void ExpireAccessTokens()
        {
            lock (_gate)
                foreach (var token in _accessTokens.Values) token.ExpiresAt = Clock().AddSeconds(-1);
        }

        /// <summary>The admin unlinks the app (or a token is revoked): its refresh tokens and access tokens stop working.</summary>
        public void RevokeAuthorizations(string appKey = null)
        {
            lock (_gate)
            {
                foreach (var grant in _refreshTokens.Values.Where(g => appKey == null || g.AppKey == appKey)) grant.Revoked = true;
            }
        }

        internal sealed class TokenResult
        {
            public string AccessToken; public string RefreshToken; public int ExpiresIn; public string Scope;
        }

        /// <summary>grant_type=authorization_code with code_verifier: returns the token, or an OAuth error (error, description).</summary>
        internal TokenResult ExchangeCode(string appKey, string code, string verifier, out string error, out string description)
        {
            error = description = null;
            lock (_gate)
            {
                if (code == null || !_codes.TryGetValue(code, out var pending) || pending.ExpiresAt < Clock())
                {
                    error = "invalid_grant"; description = "code doesn't exist or has expired";
                    return null;
                }
                if (pending.AppKey != appKey)
                {
                    error = "invalid_grant"; description = "code was issued to a different client";
                    return null;
                }
                if (string.IsNullOrEmpty(verifier))
                {
                    error = "invalid_request"; description = "No auth code verifier provided.";
                    return null;
                }
                var expected = pending.Method == "S256" ? Base64Url(Sha256(Encoding.ASCII.GetBytes(verifier))) : verifier;
                if (!string.Equals(expected, pending.Challenge, StringComparison.Ordinal))
                {
                    _codes.Remove(code); // a failed verifier burns the code
                    error = "invalid_grant"; description = "invalid code verifier";
                    return null;
                }
                _codes.Remove(code);
                var grant = new Grant(appKey, pending.Scopes);
                var refresh = NewSecret(48);
                _refreshTokens[refresh] = grant;
                return Issue(grant, refresh, includeRefresh: true);
            }
        }

        internal TokenResult Refresh(string appKey, string refreshToken, out string error, out string description)
        {
            error = description = null;
            lock (_gate)
            {
                if (refreshToken == null || !_refreshTokens.TryGetValue(refreshToken, out var grant) || grant.Revoked)
                {
                    error = "invalid_grant"; description = "refresh token is invalid or revoked";
                    return null;
                }
                if (grant.AppKey != appKey)
                {
                    error = "invalid_grant"; description = "refresh token was issued to a different client";
                    return null;
                }
                _refreshCount++;
                return Issue(grant, refreshToken, includeRefresh: false);
            }
        }

        private TokenResult Issue(Grant grant, string refreshToken, bool includeRefresh)
        {
            var access = "sl." + NewSecret(96);
            _accessTokens[access] = new AccessToken(grant, Clock() + AccessTokenLifetime);
            return new TokenResult
            {
                AccessToken = access,
                RefreshToken = includeRefresh ? refreshToken : null,
                ExpiresIn = (int)AccessTokenLifetime.TotalSeconds,
                Scope = string.Join(" ", grant.Scopes),
            };
        }

        /// <summary>Checks a bearer token for a route: null when accepted, else the AuthError tag (and the scope that is missing).</summary>
        internal string Authenticate(string bearer, string requiredScope, out AccessInfo access)
        {
            access = null;
            lock (_gate)
            {
                if (bearer == null || !_accessTokens.TryGetValue(bearer, out var token) || token.Grant.Revoked || token.Revoked)
                    return "invalid_access_token";
                if (token.ExpiresAt <= Clock()) return "expired_access_token";
                if (requiredScope != null && !token.Grant.Scopes.Contains(requiredScope)) return "missing_scope";
                access = new AccessInfo(token.Grant.AppKey, token.Grant.Scopes);
                return null;
            }
        }

        /// <summary>auth/token/revoke: the access token, its refresh token and the refresh token's other access tokens stop working.</summary>
        internal void Revoke(string bearer)
        {
            lock (_gate)
            {
                if (bearer != null && _accessTokens.TryGetValue(bearer, out var token))
                {
                    token.Revoked = true;
                    token.Grant.Revoked = true;
                }
            }
        }

        private string NewSecret(int bytes)
        {
            var buffer = new byte[bytes];
            lock (_random) _random.GetBytes(buffer);
            return Base64Url(buffer);
        }

        private static byte[] Sha256(byte[] data) { using (var sha = SHA256.Create()) return sha.ComputeHash(data); }

        public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        private sealed class PendingCode
        {
            public PendingCode(string appKey, string challenge, string method, string[] scopes, DateTimeOffset expiresAt)
            { AppKey = appKey; Challenge = challenge; Method = method; Scopes = scopes; ExpiresAt = expiresAt; }
            public string AppKey { get; }
            public string Challenge { get; }
            public string Method { get; }
            public string[] Scopes { get; }
            public DateTimeOffset ExpiresAt { get; }
        }

        private sealed class Grant
        {
            public Grant(string appKey, string[] scopes) { AppKey = appKey; Scopes = scopes; }
            public string AppKey { get; }
            public string[] Scopes { get; }
            public bool Revoked { get; set; }
        }

        private sealed class AccessToken
        {
            public AccessToken(Grant grant, DateTimeOffset expiresAt) { Grant = grant; ExpiresAt = expiresAt; }
            public Grant Grant { get; }
            public DateTimeOffset ExpiresAt { get; set; }
            public bool Revoked { get; set; }
        }
    }

    /// <summary>Who called a route: the app and the scopes of its token.</summary>
    public sealed class AccessInfo
    {
        public AccessInfo(string appKey, IReadOnlyList<string> scopes) { AppKey = appKey; Scopes = scopes; }
        public string AppKey { get; }
        public IReadOnlyList<string> Scopes { get; }
    }
}
