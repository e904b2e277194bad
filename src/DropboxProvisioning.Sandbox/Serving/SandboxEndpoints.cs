using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Graph;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Serving
{
    /// <summary>
    /// What a sandbox served from its own process adds to the emulated services, none of which a real service has:
    /// <list type="bullet">
    /// <item>GET <see cref="DiscoveryPath"/>: the endpoints and the sandbox's own test credentials (which open nothing but
    /// this sandbox), so that Connect-DbxTenant -SandboxUri needs only the address;</item>
    /// <item>POST /_sandbox/consent: the Dropbox team admin clicking Allow on /oauth2/authorize for a PKCE challenge (form
    /// fields client_id, code_challenge, code_challenge_method, scope), answered with the code Dropbox shows;</item>
    /// <item>GET /_sandbox/requests: how many requests each service answered and how many were writes, since the start,
    /// so that tests in other processes can count what a job sent.</item>
    /// </list>
    /// </summary>
    public sealed class SandboxEndpoints : IServiceEmulator
    {
        public const string DiscoveryPath = "/.well-known/dropbox-provisioning-sandbox";
        private const string Prefix = "/_sandbox/";

        /// <summary>The app key of the sandbox team's provisioning app (Connect-DbxTenant -Sandbox -Api TeamApi uses the same).</summary>
        public const string TeamAppKey = "sbxte4mapi0app";

        private readonly SandboxTenant _tenant;

        internal SandboxEndpoints(SandboxTenant tenant) { _tenant = tenant; }

        public string Service => "sandbox";

        public bool CanHandle(string path) =>
            string.Equals(path.TrimEnd('/'), DiscoveryPath, StringComparison.OrdinalIgnoreCase) || path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

        public JToken RateLimitedBody(int retryAfterSeconds, string reason = null) => new JObject { ["error"] = "too_many_requests" };

        public async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri.AbsolutePath.TrimEnd('/');
            var root = request.RequestUri.GetLeftPart(UriPartial.Authority);
            if (string.Equals(path, DiscoveryPath, StringComparison.OrdinalIgnoreCase))
                return request.Method == HttpMethod.Get ? EmulatorResponse.Json(HttpStatusCode.OK, Discovery(root)) : MethodNotAllowed("GET");
            switch (path.Substring(Prefix.Length).ToLowerInvariant())
            {
                case "consent":
                    if (request.Method != HttpMethod.Post) return MethodNotAllowed("POST");
                    return Consent(await request.Content.ReadAsStringAsync().ConfigureAwait(false));
                case "requests":
                    if (request.Method != HttpMethod.Get) return MethodNotAllowed("GET");
                    return EmulatorResponse.Json(HttpStatusCode.OK, Requests());
                default:
                    return Error(HttpStatusCode.NotFound, "not_found", $"No sandbox endpoint at {path}.");
            }
        }

        private JObject Discovery(string root)
        {
            var options = _tenant.Options;
            return new JObject
            {
                ["sandbox"] = "DropboxProvisioning",
                ["version"] = 1,
                ["tenantId"] = SandboxCredentials.TenantId,
                ["servicePrincipalId"] = _tenant.Directory.ServicePrincipalId,
                ["graphEndpoint"] = root,
                ["authorityHost"] = root,
                ["provisioningApp"] = new JObject
                {
                    ["clientId"] = SandboxCredentials.ClientId,
                    ["clientSecret"] = SandboxCredentials.ClientSecret,
                    ["graphPermissions"] = new JArray(_tenant.Directory.GrantedGraphPermissions),
                },
                ["administratorApp"] = new JObject
                {
                    ["clientId"] = SandboxCredentials.AdministratorClientId,
                    ["clientSecret"] = SandboxCredentials.AdministratorClientSecret,
                    ["graphPermissions"] = new JArray(DirectoryModel.AdministratorGraphPermissions),
                },
                ["managedIdentity"] = new JObject
                {
                    ["endpoint"] = root + "/msi/token",
                    ["header"] = options.ManagedIdentityHeader,
                    ["apiVersion"] = "2019-08-01",
                    ["resources"] = new JArray("https://graph.microsoft.com", "https://storage.azure.com/"),
                },
                ["scim"] = options.ServesScim
                    ? new JObject { ["tenantUrl"] = root + "/scim/v2", ["secretToken"] = SandboxCredentials.ScimToken }
                    : null,
                ["teamApi"] = options.ServesTeamApi
                    ? new JObject { ["apiRoot"] = root, ["appKey"] = TeamAppKey, ["consentEndpoint"] = root + Prefix + "consent" }
                    : null,
                ["requests"] = root + Prefix + "requests",
            };
        }

        private HttpResponseMessage Consent(string text)
        {
            var form = ParseForm(text);
            form.TryGetValue("client_id", out var appKey);
            form.TryGetValue("code_challenge", out var challenge);
            if (!form.TryGetValue("code_challenge_method", out var method) || method.Length == 0) method = "S256";
            if (string.IsNullOrEmpty(appKey) || string.IsNullOrEmpty(challenge))
                return Error(HttpStatusCode.BadRequest, "invalid_request", "client_id and code_challenge are required.");
            if (method != "S256" && method != "plain")
                return Error(HttpStatusCode.BadRequest, "invalid_request", "code_challenge_method is S256 or plain.");
            IEnumerable<string> scopes = null;
            if (form.TryGetValue("scope", out var scope) && scope.Trim().Length > 0)
                scopes = scope.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            var code = _tenant.DropboxApi.ApproveAuthorization(appKey, challenge, scopes, method);
            return EmulatorResponse.Json(HttpStatusCode.OK, new JObject { ["code"] = code });
        }

        private JObject Requests()
        {
            var services = new JObject();
            foreach (var count in _tenant.Journal.CountsByService().OrderBy(c => c.Key, StringComparer.Ordinal))
                services[count.Key] = new JObject { ["requests"] = count.Value.Requests, ["writes"] = count.Value.Writes };
            return new JObject { ["total"] = _tenant.Journal.Total, ["services"] = services };
        }

        private static HttpResponseMessage MethodNotAllowed(string allowed)
        {
            var response = Error(HttpStatusCode.MethodNotAllowed, "method_not_allowed", "Use " + allowed + ".");
            response.Content.Headers.TryAddWithoutValidation("Allow", allowed);
            return response;
        }

        private static HttpResponseMessage Error(HttpStatusCode status, string error, string description) =>
            EmulatorResponse.Json(status, new JObject { ["error"] = error, ["error_description"] = description });

        private static Dictionary<string, string> ParseForm(string text)
        {
            var form = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in (text ?? "").Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = WebUtility.UrlDecode(eq < 0 ? pair : pair.Substring(0, eq));
                form[key] = eq < 0 ? "" : WebUtility.UrlDecode(pair.Substring(eq + 1));
            }
            return form;
        }
    }
}
