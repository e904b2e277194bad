using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Directory
{
    public sealed partial class DirectoryModel
    {
        /// <summary>Lifetime of the access tokens the token endpoint issues, as Entra's default.</summary>
        public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(3599);

        // The provisioning app reads; only the administrator app (SandboxCredentials.AdministratorClientId) writes Entra.
        private static readonly string[] DefaultRoles = { "User.Read.All", "Group.Read.All", "Application.Read.All", "Mail.Send" };

        /// <summary>
        /// The Graph application permissions of the administrator app: the reads, and the writes an admin makes in Entra
        /// (user-update: User.ReadWrite.All; serviceprincipal-post-approleassignedto: AppRoleAssignment.ReadWrite.All with
        /// Application.Read.All; group-post-members: GroupMember.ReadWrite.All).
        /// </summary>
        public static readonly IReadOnlyList<string> AdministratorGraphPermissions = new[]
        {
            "User.Read.All", "Group.Read.All", "Application.Read.All",
            "User.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "GroupMember.ReadWrite.All",
        };
        private readonly HashSet<string> _grantedRoles = new HashSet<string>(DefaultRoles, StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, string[]> _tokenRoles = new ConcurrentDictionary<string, string[]>(StringComparer.Ordinal);

        /// <summary>The Graph application permissions granted to the app (admin consent): the roles of the tokens issued from now on.</summary>
        public IReadOnlyList<string> GrantedGraphPermissions
        {
            get { lock (_gate) return _grantedRoles.OrderBy(r => r, StringComparer.Ordinal).ToList(); }
        }

        /// <summary>
        /// Takes a Graph application permission away (as an admin removing its consent), and forgets the tokens issued so
        /// far, as if they had expired: the next token lacks the role, and Graph answers 403 Authorization_RequestDenied
        /// to the requests that need it.
        /// </summary>
        public void RevokeGraphPermission(string permission)
        {
            lock (_gate) _grantedRoles.Remove(permission);
            RevokeAccessTokens();
        }

        /// <summary>Grants a Graph application permission again; tokens issued from now on carry it.</summary>
        public void GrantGraphPermission(string permission)
        {
            if (string.IsNullOrWhiteSpace(permission)) throw new ArgumentException("A permission name is required.", nameof(permission));
            lock (_gate) _grantedRoles.Add(permission);
        }

        /// <summary>True when the token was issued with this application permission among its roles.</summary>
        public bool TokenHasRole(string token, string role) =>
            token != null && _tokenRoles.TryGetValue(token, out var roles) && roles.Contains(role, StringComparer.OrdinalIgnoreCase);

        private readonly ConcurrentDictionary<string, DateTimeOffset> _accessTokens = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new ConcurrentDictionary<string, X509Certificate2>(StringComparer.Ordinal);
        private readonly HashSet<string> _domains = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "contoso.onmicrosoft.com" };

        /// <summary>The tenant's domains; the token endpoint accepts any of them in place of the tenant id.</summary>
        public IReadOnlyList<string> Domains
        {
            get { lock (_gate) return _domains.ToList(); }
        }

        public void AddDomain(string domain)
        {
            if (string.IsNullOrWhiteSpace(domain)) throw new ArgumentException("A domain name is required.", nameof(domain));
            lock (_gate) _domains.Add(domain);
        }

        /// <summary>True for the sandbox tenant's id or one of its domains.</summary>
        public bool IsTenant(string tenantIdOrDomain)
        {
            if (string.Equals(tenantIdOrDomain, SandboxCredentials.TenantId, StringComparison.OrdinalIgnoreCase)) return true;
            lock (_gate) return tenantIdOrDomain != null && _domains.Contains(tenantIdOrDomain);
        }

        /// <summary>
        /// Issues an app-only Graph access token, as the token endpoint does after checking the client's credentials.
        /// JWT-shaped (decodable claims: aud, tid, appid, roles, exp) but only valid here: the sandbox remembers it.
        /// </summary>
        public string IssueAccessToken(string clientId = SandboxCredentials.ClientId, TimeSpan? lifetime = null)
        {
            var now = DateTimeOffset.UtcNow;
            var expires = now + (lifetime ?? AccessTokenLifetime);
            string[] roles;
            if (string.Equals(clientId, SandboxCredentials.AdministratorClientId, StringComparison.OrdinalIgnoreCase))
                roles = AdministratorGraphPermissions.ToArray();
            else
                lock (_gate) roles = _grantedRoles.ToArray();
            var header = new JObject { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = "sandbox" };
            var payload = new JObject
            {
                ["aud"] = "https://graph.microsoft.com",
                ["iss"] = $"https://sts.windows.net/{SandboxCredentials.TenantId}/",
                ["iat"] = (now - IssuedEarlier).ToUnixTimeSeconds(),
                ["nbf"] = (now - IssuedEarlier).ToUnixTimeSeconds(),
                ["exp"] = expires.ToUnixTimeSeconds(),
                ["appid"] = clientId,
                ["idtyp"] = "app",
                ["roles"] = new JArray(roles),
                ["tid"] = SandboxCredentials.TenantId,
                ["uti"] = Base64Url(RandomBytes(16)),
            };
            var token = Base64Url(Encoding.UTF8.GetBytes(header.ToString(Formatting.None))) + "."
                      + Base64Url(Encoding.UTF8.GetBytes(payload.ToString(Formatting.None))) + "."
                      + Base64Url(RandomBytes(32));
            _accessTokens[token] = expires;
            _tokenRoles[token] = roles;
            return token;
        }

        /// <summary>
        /// Entra ID dates its tokens' iat and nbf five minutes back, so that a resource whose clock runs a little ahead
        /// (Azurite, a storage front end) does not refuse a token just issued; the sandbox's tokens do the same.
        /// </summary>
        private static readonly TimeSpan IssuedEarlier = TimeSpan.FromMinutes(5);

        /// <summary>
        /// An Azure Storage access token (aud https://storage.azure.com), as the managed identity endpoint hands out for the
        /// resource https://storage.azure.com/: JWT-shaped with the claims a storage service checks (aud, iss, tid, oid,
        /// nbf, exp). It is not a Graph token: Graph answers it 401.
        /// </summary>
        public string IssueStorageToken(TimeSpan? lifetime = null)
        {
            var now = DateTimeOffset.UtcNow;
            var header = new JObject { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = "sandbox" };
            var payload = new JObject
            {
                ["aud"] = "https://storage.azure.com",
                ["iss"] = $"https://sts.windows.net/{SandboxCredentials.TenantId}/",
                ["iat"] = (now - IssuedEarlier).ToUnixTimeSeconds(),
                ["nbf"] = (now - IssuedEarlier).ToUnixTimeSeconds(),
                ["exp"] = (now + (lifetime ?? AccessTokenLifetime)).ToUnixTimeSeconds(),
                ["appid"] = SandboxCredentials.ClientId,
                ["idtyp"] = "app",
                ["oid"] = SandboxCredentials.ManagedIdentityObjectId,
                ["sub"] = SandboxCredentials.ManagedIdentityObjectId,
                ["tid"] = SandboxCredentials.TenantId,
                ["uti"] = Base64Url(RandomBytes(16)),
            };
            return Base64Url(Encoding.UTF8.GetBytes(header.ToString(Formatting.None))) + "."
                 + Base64Url(Encoding.UTF8.GetBytes(payload.ToString(Formatting.None))) + "."
                 + Base64Url(RandomBytes(32));
        }

        /// <summary>True when the token was issued here, is not revoked and has not expired.</summary>
        public bool ValidateAccessToken(string token) =>
            token != null && _accessTokens.TryGetValue(token, out var expires) && expires > DateTimeOffset.UtcNow;

        /// <summary>Forgets every issued token, so the next Graph call answers 401 (tests of token refresh).</summary>
        public void RevokeAccessTokens()
        {
            _accessTokens.Clear();
            _tokenRoles.Clear();
        }

        private readonly ConcurrentDictionary<string, bool> _clientSecrets = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        /// <summary>Adds a client secret the app accepts besides <see cref="SandboxCredentials.ClientSecret"/> (tests with their own secrets).</summary>
        public void AddClientSecret(string secret)
        {
            if (string.IsNullOrEmpty(secret)) throw new ArgumentException("A client secret is required.", nameof(secret));
            _clientSecrets[secret] = true;
        }

        /// <summary>True for the sandbox's own client secret and every secret added with <see cref="AddClientSecret"/>.</summary>
        public bool IsClientSecret(string secret) =>
            secret != null && (secret == SandboxCredentials.ClientSecret || _clientSecrets.ContainsKey(secret));

        /// <summary>Registers a certificate as a credential of the app, for client assertions signed with its key.</summary>
        public void RegisterCertificate(X509Certificate2 certificate)
        {
            if (certificate == null) throw new ArgumentNullException(nameof(certificate));
            _certificates[Base64Url(certificate.GetCertHash())] = certificate;
            using (var sha256 = SHA256.Create())
                _certificates["S256:" + Base64Url(sha256.ComputeHash(certificate.RawData))] = certificate;
        }

        /// <summary>The registered certificate with this x5t (SHA-1) or x5t#S256 thumbprint, base64url; null if none.</summary>
        public X509Certificate2 FindCertificate(string x5t, bool sha256 = false) =>
            x5t != null && _certificates.TryGetValue(sha256 ? "S256:" + x5t : x5t, out var cert) ? cert : null;

        internal static string Base64Url(byte[] bytes) =>
            Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        private static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return bytes;
        }
    }
}
