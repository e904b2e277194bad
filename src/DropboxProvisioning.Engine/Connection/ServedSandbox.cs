using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Http;
using DropboxProvisioning.Security;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Connection
{
    /// <summary>
    /// A sandbox tenant served from its own process (`dbxhost sandbox`), found through the small document it publishes at
    /// <see cref="DiscoveryPath"/>: its Graph, token, SCIM, Team API and managed identity endpoints and its own test
    /// credentials (which open nothing but that sandbox). Connect-DbxTenant -SandboxUri connects to it as -Sandbox connects
    /// in-process, but over HTTP, so that several processes (jobs) act on one tenant.
    /// </summary>
    public sealed class ServedSandbox
    {
        public const string DiscoveryPath = "/.well-known/dropbox-provisioning-sandbox";

        private ServedSandbox() { }

        public Uri Root { get; private set; }
        public string TenantId { get; private set; }
        public string ServicePrincipalId { get; private set; }
        public string ClientId { get; private set; }
        internal string ClientSecret { get; private set; }
        public Uri GraphEndpoint { get; private set; }
        public Uri AuthorityHost { get; private set; }
        /// <summary>The SCIM base URL; null when the host serves the Team API only.</summary>
        public Uri ScimUrl { get; private set; }
        internal string ScimToken { get; private set; }
        /// <summary>Dropbox API v2's root; null when the host serves SCIM only.</summary>
        public Uri ApiRoot { get; private set; }
        public string TeamAppKey { get; private set; }
        internal Uri ConsentEndpoint { get; private set; }
        public Uri ManagedIdentityEndpoint { get; private set; }
        internal string ManagedIdentityHeader { get; private set; }

        /// <summary>Reads the host's discovery document; a clear error when nothing answers or what answers is not a sandbox.</summary>
        /// <param name="transport">Used for this one request and disposed (the network handler, or a test's).</param>
        public static async Task<ServedSandbox> DiscoverAsync(string address, HttpMessageHandler transport, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Uri.TryCreate(address ?? "", UriKind.Absolute, out var root);
            if (root == null || !root.IsAbsoluteUri || (root.Scheme != Uri.UriSchemeHttp && root.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(root.Host))
                throw Failure("SandboxUriInvalid", DbxErrorCategory.InvalidArgument, $"-SandboxUri '{Redaction.Text(address)}' is not an absolute http(s) URL.", root,
                    "Give the address dbxhost sandbox printed, for example http://127.0.0.1:8400.");
            if (root.AbsolutePath != "/" || root.Query.Length > 0 || root.Fragment.Length > 0)
                throw Failure("SandboxUriInvalid", DbxErrorCategory.InvalidArgument, $"-SandboxUri '{Redaction.Text(address)}' names a path: give the sandbox's root, scheme, host and port only.", root,
                    "Give the address dbxhost sandbox printed, for example http://127.0.0.1:8400.");
            HttpPipeline.RequireSecureOrLoopback(root, "sandbox URI");
            var discovery = new Uri(new Uri(root.GetLeftPart(UriPartial.Authority)), DiscoveryPath);
            string text;
            System.Net.HttpStatusCode status;
            using (var http = new HttpClient(transport, disposeHandler: true) { Timeout = timeout })
            {
                try
                {
                    using (var response = await http.GetAsync(discovery, cancellationToken).ConfigureAwait(false))
                    {
                        status = response.StatusCode;
                        text = response.Content == null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    }
                }
                catch (HttpRequestException e)
                {
                    throw Failure("SandboxUnreachable", DbxErrorCategory.ConnectionError,
                        $"Nothing answers at {root.GetLeftPart(UriPartial.Authority)}: {e.GetBaseException().Message}", root,
                        "Start the sandbox host first (dotnet run --project src/DropboxProvisioning.Host -- sandbox --port 8400) and give the address it prints.", e);
                }
                catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw Failure("SandboxUnreachable", DbxErrorCategory.ConnectionError, $"{root.GetLeftPart(UriPartial.Authority)} did not answer within {timeout.TotalSeconds:0} s.", root,
                        "Check that the sandbox host is running and serving at that address.", e);
                }
            }

            JObject document = null;
            if ((int)status == 200)
            {
                try { document = Serialization.JsonText.ParseObject(text); }
                catch (Newtonsoft.Json.JsonException) { }
            }
            if (document == null || (string)document["sandbox"] != "DropboxProvisioning")
                throw Failure("NotASandbox", DbxErrorCategory.InvalidArgument,
                    $"{root.GetLeftPart(UriPartial.Authority)} is not a DropboxProvisioning sandbox: {discovery} answered HTTP {(int)status}{(document == null ? "" : " without the sandbox's discovery document")}.", root,
                    "Give the address dbxhost sandbox printed (Connect-DbxTenant -SandboxUri http://127.0.0.1:<port>); for a real tenant use -TenantUrl or -Api TeamApi.");
            if ((int?)document["version"] != 1)
                throw Failure("NotASandbox", DbxErrorCategory.InvalidArgument,
                    $"The sandbox at {root.GetLeftPart(UriPartial.Authority)} publishes discovery version {(string)document["version"]}, which this module does not read (it reads version 1).", root,
                    "Serve the sandbox with the dbxhost of the same version as the module.");
            try
            {
                var scim = document["scim"] as JObject;
                var teamApi = document["teamApi"] as JObject;
                var identity = document["managedIdentity"] as JObject;
                var app = (JObject)document["provisioningApp"];
                var sandbox = new ServedSandbox
                {
                    Root = new Uri(root.GetLeftPart(UriPartial.Authority)),
                    TenantId = Required(document, "tenantId"),
                    ServicePrincipalId = Required(document, "servicePrincipalId"),
                    ClientId = Required(app, "clientId"),
                    ClientSecret = Required(app, "clientSecret"),
                    GraphEndpoint = Url(document, "graphEndpoint"),
                    AuthorityHost = Url(document, "authorityHost"),
                    ScimUrl = scim == null ? null : Url(scim, "tenantUrl"),
                    ScimToken = scim == null ? null : Required(scim, "secretToken"),
                    ApiRoot = teamApi == null ? null : Url(teamApi, "apiRoot"),
                    TeamAppKey = teamApi == null ? null : Required(teamApi, "appKey"),
                    ConsentEndpoint = teamApi == null ? null : Url(teamApi, "consentEndpoint"),
                    ManagedIdentityEndpoint = identity == null ? null : Url(identity, "endpoint"),
                    ManagedIdentityHeader = identity == null ? null : (string)identity["header"],
                };
                // Every endpoint it names is held to the same rule as the address itself.
                foreach (var url in new[] { sandbox.GraphEndpoint, sandbox.AuthorityHost, sandbox.ScimUrl, sandbox.ApiRoot, sandbox.ConsentEndpoint, sandbox.ManagedIdentityEndpoint })
                    if (url != null) HttpPipeline.RequireSecureOrLoopback(url, "sandbox endpoint");
                return sandbox;
            }
            catch (Exception e) when (e is InvalidCastException || e is UriFormatException || e is FormatException || e is NullReferenceException)
            {
                throw Failure("NotASandbox", DbxErrorCategory.InvalidData, $"The sandbox discovery document at {discovery} is incomplete: {e.Message}", root,
                    "Serve the sandbox with the dbxhost of the same version as the module.");
            }
        }

        /// <summary>
        /// The connection options for this sandbox: its Graph and sign-in roots, its provisioning app's test credentials (or its
        /// managed identity), and SCIM or the Team API. A Team API connection still needs the app's consent (<see cref="ConsentAsync"/>).
        /// </summary>
        public void Apply(ConnectionOptions options, bool managedIdentity)
        {
            options.TenantId = TenantId;
            options.ServicePrincipalId = ServicePrincipalId;
            options.GraphEndpoint = GraphEndpoint;
            options.AuthorityHost = AuthorityHost;
            options.ClientId = managedIdentity ? null : ClientId;
            options.ClientSecret = managedIdentity ? null : SecureStrings.FromText(ClientSecret);
            options.Authentication = managedIdentity ? GraphAuthentication.ManagedIdentity : GraphAuthentication.Sandbox;
            if (managedIdentity && ManagedIdentityEndpoint != null)
            {
                options.ManagedIdentityEndpoint = ManagedIdentityEndpoint;
                options.ManagedIdentityHeader = ManagedIdentityHeader == null ? null : SecureStrings.FromText(ManagedIdentityHeader);
            }
            if (options.Api == Dropbox.DropboxApiKind.TeamApi)
            {
                if (ApiRoot == null)
                    throw Failure("SandboxApiNotServed", DbxErrorCategory.InvalidArgument, $"The sandbox at {Root} serves SCIM only, not the Team API.", Root,
                        "Leave out -Api TeamApi, or start the host with --api TeamApi or --api Both.");
                options.ApiRoot = ApiRoot;
            }
            else
            {
                if (ScimUrl == null)
                    throw Failure("SandboxApiNotServed", DbxErrorCategory.InvalidArgument, $"The sandbox at {Root} serves the Team API only, not SCIM.", Root,
                        "Add -Api TeamApi, or start the host with --api Scim or --api Both.");
                options.TenantUrl = ScimUrl;
                options.SecretToken = SecureStrings.FromText(ScimToken);
            }
        }

        /// <summary>The sandbox team's admin clicks Allow for this PKCE challenge: the code Dropbox would show. <paramref name="transport"/> is disposed.</summary>
        public async Task<string> ConsentAsync(HttpMessageHandler transport, string challenge, IEnumerable<string> scopes, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var form = new FormUrlEncodedContent(new[]
            {
                new KeyValuePair<string, string>("client_id", TeamAppKey),
                new KeyValuePair<string, string>("code_challenge", challenge),
                new KeyValuePair<string, string>("code_challenge_method", "S256"),
                new KeyValuePair<string, string>("scope", string.Join(" ", scopes)),
            });
            using (var http = new HttpClient(transport, disposeHandler: true) { Timeout = timeout })
            using (var response = await http.PostAsync(ConsentEndpoint, form, cancellationToken).ConfigureAwait(false))
            {
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                JObject body = null;
                try { body = Serialization.JsonText.ParseObject(text); } catch (Newtonsoft.Json.JsonException) { }
                var code = (string)body?["code"];
                if (!response.IsSuccessStatusCode || string.IsNullOrEmpty(code))
                    throw Failure("SandboxConsentFailed", DbxErrorCategory.InvalidResult,
                        $"The sandbox at {Root} did not give the Team API app's consent: HTTP {(int)response.StatusCode} {(string)body?["error_description"]}", Root, null);
                return code;
            }
        }

        private static string Required(JObject json, string name)
        {
            var value = (string)json[name];
            if (string.IsNullOrEmpty(value)) throw new FormatException($"'{name}' is missing.");
            return value;
        }

        private static Uri Url(JObject json, string name) => new Uri(Required(json, name), UriKind.Absolute);

        private static DbxException Failure(string condition, DbxErrorCategory category, string message, object target, string fix, Exception inner = null) =>
            new DbxException(condition, category, message, inner, target) { RecommendedAction = fix };
    }
}
