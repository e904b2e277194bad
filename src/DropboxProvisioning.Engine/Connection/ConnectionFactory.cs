using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Dropbox.Api;
using DropboxProvisioning.Dropbox.OAuth;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Dropbox.TeamApi;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Http;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Connection
{
    /// <summary>
    /// Validates connection options, builds the Graph and Dropbox clients, and tests both the way the
    /// admin center's "Test Connection" does, naming exactly what failed.
    /// </summary>
    public static class ConnectionFactory
    {
        private static readonly Regex TenantName = new Regex(@"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}\.[A-Za-z]{2,}$", RegexOptions.CultureInvariant);

        /// <summary>The Team API refresh token's file in a job's state directory, protected as the activity connector's is.</summary>
        public const string TeamApiCredentialFile = "teamapi-credential.json";

        /// <summary>The pending Team API authorization (the PKCE verifier of the last link), protected, until its code comes back.</summary>
        public const string TeamApiPendingFile = "teamapi-authorization.json";

        /// <summary>The scopes the provisioning app needs: members and groups, the activity log (events.read) and the team's info.</summary>
        public static readonly IReadOnlyList<string> TeamApiScopes = new[]
        {
            "members.read", "members.write", "members.delete", "groups.read", "groups.write", "events.read", "team_info.read",
            // Team folder access (Set-DbxTeamFolderAccess): team_folder/* as the team, sharing/* as the authorizing admin.
            "team_data.content.read", "team_data.content.write", "sharing.write",
        };

        /// <summary>The job's state directory: the given one, or the per-user default for the tenant and the enterprise app.</summary>
        public static string StatePathOf(ConnectionOptions options) =>
            options.StatePath ?? StateStore.DefaultPath($"{options.TenantId}_{options.ServicePrincipalId}");

        /// <summary>The job's state: the blob container of -StateStorageUri, or the state directory.</summary>
        public static State.Storage.IStateStorage StorageOf(ConnectionOptions options) =>
            options.Storage ?? (options.Storage = options.BlobState != null
                ? State.Storage.BlobStateStorage.Open(options.BlobState)
                : new State.Storage.LocalDirectoryStorage(StatePathOf(options)));

        /// <summary>True when the job's state holds a Team API refresh token.</summary>
        public static bool HasTeamApiCredential(ConnectionOptions options) => StorageOf(options).Exists(TeamApiCredentialFile);

        /// <summary>
        /// "Generate link" for the Team API: the link asks for <see cref="TeamApiScopes"/> with offline access, and its
        /// PKCE verifier waits (protected) in the job's state directory for the code, as the activity connector's does.
        /// </summary>
        public static DropboxAuthorizationLink BeginTeamApiAuthorization(ConnectionOptions options)
        {
            DropboxAuthorization.ValidateAppKey(options.AppKey);
            var storage = StorageOf(options);
            storage.EnsureCreated();
            return DropboxAuthorization.Begin(options.AppKey, storage, TeamApiPendingFile, TeamApiScopes, clock: options.Clock);
        }

        /// <param name="transport">The last handler of every pipeline: null for the network, or the sandbox's in-process handler.</param>
        public static async Task<DbxConnection> ConnectAsync(ConnectionOptions options, Func<HttpMessageHandler> transport, CancellationToken cancellationToken)
        {
            var storage = StorageOf(options);
            storage.EnsureCreated(); // a missing container or a refused credential is told before Graph and Dropbox are asked anything
            Func<HttpMessageHandler> final = transport ?? (() => HttpPipeline.NetworkHandler());
            var clock = options.Clock ?? Time.SystemClock.Instance;
            DropboxTokenGrant grant = null;
            if (options.Api == DropboxApiKind.TeamApi && !string.IsNullOrWhiteSpace(options.AuthorizationCode))
            {
                // The code the admin brought back from the link: with the pending verifier it becomes the refresh token.
                DropboxAuthorization.ValidateAppKey(options.AppKey);
                HttpPipeline.RequireSecureOrLoopback(options.ApiRoot, "Dropbox API root");
                var verifier = DropboxAuthorization.PendingVerifier(storage, TeamApiPendingFile, options.AppKey, "TeamApiNoPendingAuthorization",
                    $"Connect-DbxTenant -Api TeamApi -AppKey {options.AppKey}");
                using (var exchange = HttpPipeline.Create(null, final(), options.Timeout))
                    grant = await DropboxAuthorization.ExchangeAsync(exchange, options.ApiRoot, options.AppKey, options.AuthorizationCode, verifier, cancellationToken, clock).ConfigureAwait(false);
                options.RefreshToken = grant.RefreshToken;
            }
            var given = options.Api == DropboxApiKind.TeamApi && options.RefreshToken != null;
            if (options.Api == DropboxApiKind.TeamApi && options.RefreshToken == null)
                options.RefreshToken = ProtectedSecretFile.Read(storage, TeamApiCredentialFile); // a later session: the stored token
            Validate(options);

            var tokenHttp = HttpPipeline.Create(null, final(), options.Timeout);
            IAccessTokenSource graphTokens;
            switch (options.Authentication)
            {
                case GraphAuthentication.AccessToken:
                    graphTokens = new StaticTokenSource(options.GraphAccessToken);
                    break;
                case GraphAuthentication.ManagedIdentity:
                    graphTokens = ManagedIdentityTokens(options, tokenHttp, ResourceFor(options.GraphEndpoint), clock);
                    break;
                case GraphAuthentication.Certificate:
                    graphTokens = ClientCredentialTokenSource.WithCertificate(tokenHttp, options.AuthorityHost, options.TenantId, options.ClientId, ScopeFor(options.GraphEndpoint), options.Certificate, clock);
                    break;
                default:
                    graphTokens = ClientCredentialTokenSource.WithSecret(tokenHttp, options.AuthorityHost, options.TenantId, options.ClientId, ScopeFor(options.GraphEndpoint), options.ClientSecret, clock);
                    break;
            }

            var graphHttp = HttpPipeline.Create(new BearerTokenHandler(graphTokens), final(), options.Timeout);
            HttpClient scimHttp;
            IDropboxTarget scim;
            var pacer = new RequestPacer(new ProvisioningSettings().MaxRequestsPerSecond, clock); // each cycle sets the job's own
            if (options.Api == DropboxApiKind.TeamApi)
            {
                scimHttp = HttpPipeline.Create(null, final(), options.Timeout, pacer);
                var tokens = new DropboxRefreshTokenSource(scimHttp, options.ApiRoot, options.AppKey, options.RefreshToken, grant)
                {
                    ReauthorizeCommand = $"Connect-DbxTenant -Api TeamApi -AppKey {options.AppKey} -Reauthorize",
                    Clock = clock,
                };
                scim = new TeamApiTarget(new TeamApiClient(new DropboxApiClient(scimHttp, options.ApiRoot, tokens, clock: clock)));
            }
            else
            {
                scimHttp = HttpPipeline.Create(new BearerTokenHandler(new StaticTokenSource(options.SecretToken)), final(), options.Timeout, pacer);
                scim = new ScimClient(scimHttp, options.TenantUrl);
            }
            var graph = new GraphDirectoryClient(graphHttp, options.GraphEndpoint);
            try
            {
                var servicePrincipal = await TestAsync("Microsoft Graph", () => graph.GetServicePrincipalAsync(options.ServicePrincipalId, cancellationToken)).ConfigureAwait(false);
                await TestAsync("Dropbox", async () => { await scim.TestAsync(cancellationToken).ConfigureAwait(false); return true; }).ConfigureAwait(false);
                var store = new StateStore(storage, options.Api);
                // A token passed each job (-RefreshToken) is kept only where it can be protected: never in plain text in a container.
                if (given && (storage.SecretProtector != null || grant != null))
                {
                    store.EnsureCreated();
                    ProtectedSecretFile.Write(storage, TeamApiCredentialFile, options.RefreshToken);
                    if (grant != null) storage.Delete(TeamApiPendingFile, "removing the spent authorization"); // the verifier is spent
                }
                return new DbxConnection(options, graph, scim, store, (string)servicePrincipal["displayName"], tokenHttp, graphHttp, scimHttp) { Pacer = pacer };
            }
            catch
            {
                tokenHttp.Dispose(); graphHttp.Dispose(); scimHttp.Dispose();
                throw;
            }
        }

        /// <summary>
        /// The managed identity's tokens for a resource (Graph's, or https://storage.azure.com/ for a blob state store): from
        /// the endpoint the environment publishes (IDENTITY_ENDPOINT and IDENTITY_HEADER, as Azure Automation sets them for a
        /// job), else from the one the options name (a served sandbox's); ManagedIdentityUnavailable when there is neither.
        /// </summary>
        public static IAccessTokenSource ManagedIdentityTokens(ConnectionOptions options, HttpClient http, string resource, Time.IClock clock = null)
        {
            var published = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT")) && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("IDENTITY_HEADER"));
            if (published || options.ManagedIdentityEndpoint == null)
                return ManagedIdentityTokenSource.FromEnvironment(http, resource, options.ClientId, clock);
            return new ManagedIdentityTokenSource(http, options.ManagedIdentityEndpoint, SecureStrings.Reveal(options.ManagedIdentityHeader), resource, options.ClientId) { Clock = clock ?? Time.SystemClock.Instance };
        }

        /// <summary>Graph's resource id; a loopback endpoint (the sandbox) stands in for the global cloud.</summary>
        private static string ResourceFor(Uri graphEndpoint) =>
            graphEndpoint.IsLoopback ? DefaultGraphResource : graphEndpoint.GetLeftPart(UriPartial.Authority);

        private static string ScopeFor(Uri graphEndpoint) => ResourceFor(graphEndpoint) + "/.default";

        private const string DefaultGraphResource = "https://graph.microsoft.com";

        private static async Task<T> TestAsync<T>(string service, Func<Task<T>> probe)
        {
            try
            {
                return await probe().ConfigureAwait(false);
            }
            catch (DbxException e)
            {
                throw new DbxException(e.Condition, e.Category, $"Test Connection to {service} failed: {e.Message}", e, e.Target);
            }
        }

        /// <summary>An Entra tenant id: its GUID, or a verified domain such as contoso.onmicrosoft.com.</summary>
        public static bool IsTenantId(string text) =>
            !string.IsNullOrWhiteSpace(text) && (Guid.TryParse(text, out _) || TenantName.IsMatch(text));

        public static void Validate(ConnectionOptions options)
        {
            if (options.Api == DropboxApiKind.TeamApi)
            {
                if (string.IsNullOrWhiteSpace(options.AppKey))
                    throw new DbxException("MissingAppKey", DbxErrorCategory.InvalidArgument, "The Team API needs the app key of a team-scoped Dropbox app (-AppKey).");
                if (SecureStrings.IsBlank(options.RefreshToken))
                    throw new DbxException("EmptyRefreshToken", DbxErrorCategory.InvalidArgument, "The Team API needs the app's authorization the first time: run Connect-DbxTenant -Api TeamApi -AppKey <key> to get the link and give the code Dropbox shows (or pass -RefreshToken); none is stored for this job, or the token given is empty or only whitespace.");
                HttpPipeline.RequireSecureOrLoopback(options.ApiRoot, "Dropbox API root");
            }
            else
            {
            if (options.TenantUrl == null)
                throw new DbxException("MissingTenantUrl", DbxErrorCategory.InvalidArgument, "A Dropbox tenant URL is required (https://www.dropbox.com/scim/v2).");
            HttpPipeline.RequireSecureOrLoopback(options.TenantUrl, "Dropbox tenant URL");
            HttpPipeline.RequireSecureOrLoopback(options.GraphEndpoint, "Graph endpoint");
            HttpPipeline.RequireSecureOrLoopback(options.AuthorityHost, "authority host");
            if (SecureStrings.IsBlank(options.SecretToken))
                throw new DbxException("EmptySecretToken", DbxErrorCategory.InvalidArgument, "The Dropbox secret token is empty or only whitespace.");
            }
            if (!Guid.TryParse(options.ServicePrincipalId, out _))
                throw new DbxException("InvalidServicePrincipalId", DbxErrorCategory.InvalidArgument,
                    $"'{options.ServicePrincipalId}' is not a service principal object id (a GUID): use the Object ID of the Dropbox for Business enterprise app.", target: options.ServicePrincipalId);

            switch (options.Authentication)
            {
                case GraphAuthentication.AccessToken:
                    if (SecureStrings.IsBlank(options.GraphAccessToken))
                        throw new DbxException("EmptyGraphAccessToken", DbxErrorCategory.InvalidArgument, "The Graph access token is empty or only whitespace.");
                    break;
                case GraphAuthentication.ManagedIdentity:
                    break;
                default:
                    if (!IsTenantId(options.TenantId))
                        throw new DbxException("InvalidTenantId", DbxErrorCategory.InvalidArgument,
                            $"'{options.TenantId}' is not an Entra tenant id: give its GUID or a verified domain such as contoso.onmicrosoft.com.", target: options.TenantId);
                    if (!Guid.TryParse(options.ClientId, out _))
                        throw new DbxException("InvalidClientId", DbxErrorCategory.InvalidArgument, $"'{options.ClientId}' is not an application (client) id GUID.", target: options.ClientId);
                    if (options.Authentication == GraphAuthentication.Certificate && options.Certificate == null)
                        throw new DbxException("MissingCertificate", DbxErrorCategory.InvalidArgument, "Certificate authentication needs a certificate.");
                    if ((options.Authentication == GraphAuthentication.ClientSecret || options.Authentication == GraphAuthentication.Sandbox) && SecureStrings.IsBlank(options.ClientSecret))
                        throw new DbxException("EmptyClientSecret", DbxErrorCategory.InvalidArgument, "The client secret is empty or only whitespace.");
                    break;
            }
        }
    }
}
