using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>
    /// The Microsoft identity platform's token endpoints for an app-only Graph token:
    /// POST /{tenant}/oauth2/v2.0/token (client credentials: secret or certificate assertion), and the managed
    /// identity endpoint of Azure Automation / App Service, GET /msi/token?resource=...&amp;api-version=2019-08-01
    /// with an X-IDENTITY-HEADER (checked against <see cref="SandboxOptions.ManagedIdentityHeader"/> when one is set), for
    /// Graph or Azure Storage. Errors carry the real AADSTS codes.
    /// </summary>
    internal sealed class TokenEmulator : IServiceEmulator
    {
        public const string GraphResource = "https://graph.microsoft.com";
        /// <summary>Azure Storage's resource, whose tokens a blob state store asks for (the Storage Blob Data Contributor role).</summary>
        public const string StorageResource = "https://storage.azure.com";
        /// <summary>The version of the managed identity protocol Azure Automation and App Service serve with IDENTITY_HEADER.</summary>
        public const string ManagedIdentityApiVersion = "2019-08-01";
        private static readonly Regex TokenPath = new Regex(@"^/([^/]+)/oauth2/v2\.0/token/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private const string ManagedIdentityPath = "/msi/token";

        private readonly SandboxTenant _tenant;
        public TokenEmulator(SandboxTenant tenant) { _tenant = tenant; }

        public string Service => "login";

        private DirectoryModel Directory => _tenant.Directory;

        public bool CanHandle(string path) =>
            TokenPath.IsMatch(path) || string.Equals(path.TrimEnd('/'), ManagedIdentityPath, StringComparison.OrdinalIgnoreCase);

        public JToken RateLimitedBody(int retryAfterSeconds, string reason = null) =>
            new JObject { ["error"] = "temporarily_unavailable", ["error_description"] = "AADSTS50196: The server terminated an operation because it encountered a client request loop.", ["error_codes"] = new JArray(50196) };

        public async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                var path = request.RequestUri.AbsolutePath;
                if (string.Equals(path.TrimEnd('/'), ManagedIdentityPath, StringComparison.OrdinalIgnoreCase))
                    return ManagedIdentity(request);
                if (request.Method != HttpMethod.Post)
                    throw new AadException(HttpStatusCode.MethodNotAllowed, "invalid_request", 900561, "The endpoint only accepts POST requests. Received a GET request.");
                var tenant = Uri.UnescapeDataString(TokenPath.Match(path).Groups[1].Value);
                var form = request.Content == null ? new Dictionary<string, string>() : ParseForm(await request.Content.ReadAsStringAsync().ConfigureAwait(false));
                return ClientCredentials(tenant, form);
            }
            catch (AadException e)
            {
                return e.ToResponse();
            }
        }

        private HttpResponseMessage ClientCredentials(string tenant, IDictionary<string, string> form)
        {
            if (!Directory.IsTenant(tenant))
                throw new AadException(HttpStatusCode.BadRequest, "invalid_request", 90002,
                    $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");

            var grantType = Value(form, "grant_type") ?? throw AadException.MissingParameter("grant_type");
            if (grantType != "client_credentials")
                throw new AadException(HttpStatusCode.BadRequest, "unsupported_grant_type", 70003,
                    $"The app requested an unsupported grant type '{grantType}'.");

            var clientId = Value(form, "client_id") ?? throw AadException.MissingParameter("client_id");
            var administrator = string.Equals(clientId, SandboxCredentials.AdministratorClientId, StringComparison.OrdinalIgnoreCase);
            if (!administrator && !string.Equals(clientId, SandboxCredentials.ClientId, StringComparison.OrdinalIgnoreCase))
                throw new AadException(HttpStatusCode.BadRequest, "unauthorized_client", 700016,
                    $"Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");

            var scope = Value(form, "scope") ?? throw AadException.MissingParameter("scope");
            if (!scope.EndsWith("/.default", StringComparison.Ordinal))
                throw new AadException(HttpStatusCode.BadRequest, "invalid_scope", 1002012,
                    $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
            var resource = scope.Substring(0, scope.Length - "/.default".Length).TrimEnd('/');
            if (!string.Equals(resource, GraphResource, StringComparison.OrdinalIgnoreCase) && resource != "00000003-0000-0000-c000-000000000000")
                throw new AadException(HttpStatusCode.BadRequest, "invalid_resource", 500011,
                    $"The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.");

            var secret = Value(form, "client_secret");
            var assertion = Value(form, "client_assertion");
            if (administrator && secret != SandboxCredentials.AdministratorClientSecret)
            {
                // The administrator app has one credential, its own secret.
                throw new AadException(HttpStatusCode.Unauthorized, "invalid_client", 7000215,
                    $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");
            }
            if (secret != null)
            {
                if (!administrator && !Directory.IsClientSecret(secret))
                    throw new AadException(HttpStatusCode.Unauthorized, "invalid_client", 7000215,
                        $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");
            }
            else if (assertion != null)
            {
                if (Value(form, "client_assertion_type") != ClientAssertionValidator.AssertionType)
                    throw new AadException(HttpStatusCode.BadRequest, "invalid_request", 50027, "JWT token is invalid or malformed.");
                ClientAssertionValidator.Validate(Directory, assertion, clientId);
            }
            else
            {
                throw new AadException(HttpStatusCode.Unauthorized, "invalid_client", 7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
            }

            var lifetime = (int)DirectoryModel.AccessTokenLifetime.TotalSeconds;
            return EmulatorResponse.Json(HttpStatusCode.OK, new JObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = lifetime,
                ["ext_expires_in"] = lifetime,
                ["access_token"] = Directory.IssueAccessToken(clientId),
            });
        }

        /// <summary>GET /msi/token?resource=https://graph.microsoft.com&amp;api-version=2019-08-01, header X-IDENTITY-HEADER.</summary>
        private HttpResponseMessage ManagedIdentity(HttpRequestMessage request)
        {
            if (request.Method != HttpMethod.Get)
                throw new AadException(HttpStatusCode.MethodNotAllowed, "invalid_request", 900561, "The managed identity endpoint only accepts GET requests.");
            if (!request.Headers.TryGetValues("X-IDENTITY-HEADER", out var identity) || string.IsNullOrEmpty(identity.FirstOrDefault()))
                throw new AadException(HttpStatusCode.BadRequest, "invalid_request", 900144, "The request must contain the X-IDENTITY-HEADER header.");
            var expected = _tenant.Options.ManagedIdentityHeader;
            if (expected != null && !string.Equals(identity.First(), expected, StringComparison.Ordinal))
                throw new AadException(HttpStatusCode.Unauthorized, "invalid_request", 900144, "The X-IDENTITY-HEADER header is not the one this identity endpoint published in IDENTITY_HEADER.");
            var query = ParseForm(request.RequestUri.Query.TrimStart('?'));
            var resource = Value(query, "resource") ?? throw AadException.MissingParameter("resource");
            var version = Value(query, "api-version") ?? throw AadException.MissingParameter("api-version");
            if (version != ManagedIdentityApiVersion)
                throw new AadException(HttpStatusCode.BadRequest, "invalid_request", 900144, $"api-version '{version}' is not supported here; use {ManagedIdentityApiVersion} with the X-IDENTITY-HEADER header.");
            var storage = string.Equals(resource.TrimEnd('/'), StorageResource, StringComparison.OrdinalIgnoreCase);
            if (!storage && !string.Equals(resource.TrimEnd('/'), GraphResource, StringComparison.OrdinalIgnoreCase))
                throw new AadException(HttpStatusCode.BadRequest, "invalid_resource", 500011,
                    $"The resource principal named {resource} was not found in the tenant named {SandboxCredentials.TenantId}.");
            var expiresOn = DateTimeOffset.UtcNow + DirectoryModel.AccessTokenLifetime;
            return EmulatorResponse.Json(HttpStatusCode.OK, new JObject
            {
                ["access_token"] = storage ? Directory.IssueStorageToken() : Directory.IssueAccessToken(SandboxCredentials.ClientId),
                ["expires_on"] = expiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["resource"] = resource,
                ["token_type"] = "Bearer",
                ["client_id"] = SandboxCredentials.ClientId,
            });
        }

        private static string Value(IDictionary<string, string> form, string name) =>
            form.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        private static Dictionary<string, string> ParseForm(string text)
        {
            var form = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in text.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var name = WebUtility.UrlDecode(eq < 0 ? pair : pair.Substring(0, eq));
                form[name] = eq < 0 ? "" : WebUtility.UrlDecode(pair.Substring(eq + 1));
            }
            return form;
        }
    }
}
