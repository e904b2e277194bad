using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Connection
{
    /// <summary>
    /// <para type="synopsis">Connects to an Entra ID tenant and a Dropbox team (or to the built-in sandbox) and tests both.</para>
    /// <para type="description">
    /// SCIM (the default): -TenantUrl and -SecretToken. Team API (-Api TeamApi): -AppKey of a team-scoped Dropbox app with the scopes
    /// members.read, members.write, members.delete, groups.read, groups.write, events.read, team_info.read, and for team folder access (Set-DbxTeamFolderAccess) team_data.content.read, team_data.content.write and sharing.write. The first time, the cmdlet
    /// shows an authorization link; open it as a Dropbox team admin, click Allow, and paste the code Dropbox shows at the prompt (or, where
    /// nothing can prompt, run the same command again with -AuthorizationCode). The refresh token is then kept protected in the job's state
    /// directory (DPAPI on Windows, an owner-only file elsewhere), so later sessions need -AppKey alone; -Reauthorize asks again.
    /// Runbooks can pass -RefreshToken (a SecureString) instead.
    /// </para>
    /// <para type="notes">A real tenant: Connect-DbxTenant -TenantUrl https://www.dropbox.com/scim/v2 -SecretToken $token -TenantId contoso.onmicrosoft.com -ClientId &lt;app id&gt; -ClientSecret $secret -ServicePrincipalId &lt;object id of the Dropbox for Business enterprise app&gt;. In an Azure Automation runbook use -ManagedIdentity instead of -ClientId and -ClientSecret; with a certificate, -CertificateThumbprint; with a Graph token you already hold, -GraphAccessToken. The Entra app needs the Graph application permissions User.Read.All, Group.Read.All and Application.Read.All.</para>
    /// <para type="link">Disconnect-DbxTenant</para>
    /// <para type="link">Invoke-DbxProvisioningCycle</para>
    /// <para type="link">Connect-DbxActivity</para>
    /// </summary>
    /// <example>
    /// <para>Connects to a generated rehearsal tenant of 200 users (the same seed always gives the same tenant) and shows how many accounts its Dropbox team already holds.</para>
    /// <code>
    /// $connection = Connect-DbxTenant -Sandbox -SandboxUserCount 200 -SandboxSeed 7
    /// $connection.Sandbox.Dropbox.Members.Count
    /// </code>
    /// </example>
    /// <example>
    /// <para>Rehearses a switch from SCIM to the Team API: the second connection uses the same sandbox team and state, and its first cycle finds nothing to change.</para>
    /// <code>
    /// $scim = Connect-DbxTenant -Sandbox
    /// Invoke-DbxProvisioningCycle -Connection $scim | Out-Null
    /// $teamApi = Connect-DbxTenant -Sandbox -Api TeamApi -SandboxConnection $scim
    /// Invoke-DbxProvisioningCycle -Connection $teamApi
    /// </code>
    /// </example>
    /// <example>
    /// <para>Rehearses on a sandbox served from its own process, so that several sessions or jobs act on one tenant: start it in another console with dotnet run --project src/DropboxProvisioning.Host -- sandbox --port 8400 --users 2000 --seed 1, which prints the address ($SandboxUri here, for example http://127.0.0.1:8400). The state goes where -StatePath says, so the next job continues from it.</para>
    /// <code>
    /// $statePath = Join-Path ([System.IO.Path]::GetTempPath()) "dbx-served-$PID"
    /// $connection = Connect-DbxTenant -SandboxUri $SandboxUri -StatePath $statePath
    /// Invoke-DbxProvisioningCycle -Connection $connection
    /// </code>
    /// </example>
    /// <example>
    /// <para>Connects to the served sandbox as a runbook's job does in Azure Automation: Graph tokens from the managed identity endpoint named by IDENTITY_ENDPOINT and IDENTITY_HEADER (as dotnet run --project src/DropboxProvisioning.Host -- sandbox prints them; when they are not set, the sandbox's own endpoint), and here the Team API, whose consent the sandbox's admin gives.</para>
    /// <code>
    /// $connection = Connect-DbxTenant -SandboxUri $SandboxUri -ManagedIdentity -Api TeamApi
    /// $connection | Format-List Api, Authentication, TenantUrl
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommunications.Connect, "DbxTenant", DefaultParameterSetName = SandboxSet)]
    [OutputType(typeof(DbxConnection))]
    public sealed class ConnectDbxTenantCommand : DbxCmdlet
    {
        private const string SandboxSet = "Sandbox";
        private const string SecretSet = "ClientSecret";
        private const string CertificateSet = "Certificate";
        private const string ManagedIdentitySet = "ManagedIdentity";
        private const string AccessTokenSet = "AccessToken";
        private const string SandboxUriSet = "SandboxUri";

        /// <summary>Connect to a generated rehearsal tenant served in-process.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SandboxSet)]
        public SwitchParameter Sandbox { get; set; }

        /// <summary>How many Entra users the sandbox tenant has.</summary>
        [Parameter(ParameterSetName = SandboxSet)]
        [ValidateRange(1, 1000000)]
        public int SandboxUserCount { get; set; } = 50;

        /// <summary>The seed of the sandbox tenant: the same seed gives the same tenant.</summary>
        [Parameter(ParameterSetName = SandboxSet)]
        public int SandboxSeed { get; set; } = 1;

        /// <summary>Connect to a sandbox tenant served from its own process (dotnet run --project src/DropboxProvisioning.Host -- sandbox --port 8400), as -Sandbox connects in-process: its Graph, token endpoint, SCIM or Team API (-Api TeamApi) and, with -ManagedIdentity, its managed identity endpoint. Several sessions and processes act on the one tenant. http:// only to a loopback address.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SandboxUriSet)]
        [ValidateNotNullOrEmpty]
        public string SandboxUri { get; set; }

        /// <summary>Dropbox's SCIM base URL, https://www.dropbox.com/scim/v2.</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string TenantUrl { get; set; }

        /// <summary>The Dropbox secret token.</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString SecretToken { get; set; }

        /// <summary>Which Dropbox API provisions: Scim (default; -TenantUrl and -SecretToken) or TeamApi (-AppKey and -RefreshToken).</summary>
        [Parameter]
        public Dropbox.DropboxApiKind Api { get; set; } = Dropbox.DropboxApiKind.Scim;

        /// <summary>Team API: the app key of a team-scoped Dropbox app with the scopes members.read, members.write, members.delete, groups.read, groups.write, events.read, team_info.read, team_data.content.read, team_data.content.write, sharing.write.</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string AppKey { get; set; }

        /// <summary>Team API: the code Dropbox showed after Allow on the link a previous Connect-DbxTenant -Api TeamApi showed (same -StatePath, or the same tenant and app).</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string AuthorizationCode { get; set; }

        /// <summary>Team API: ignore the stored authorization and show a new link (another admin, other scopes, a revoked token).</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        public SwitchParameter Reauthorize { get; set; }

        /// <summary>Team API: the app's refresh token obtained elsewhere (an Automation credential's password), as a SecureString.</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString RefreshToken { get; set; }

        /// <summary>Team API: the Dropbox API root (https://api.dropboxapi.com by default; a loopback address for the sandbox behind a socket).</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string ApiEndpoint { get; set; }

        /// <summary>Sandbox: use the sandbox tenant (and, without -StatePath, the state) of this earlier sandbox connection, to switch a rehearsal between SCIM and the Team API.</summary>
        [Parameter(ParameterSetName = SandboxSet)]
        [ValidateNotNull]
        public DbxConnection SandboxConnection { get; set; }

        /// <summary>The Entra tenant id or verified domain.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string TenantId { get; set; }

        /// <summary>The application (client) id that reads Entra ID.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [ValidateNotNullOrEmpty]
        public string ClientId { get; set; }

        /// <summary>The client secret of the Entra app that reads Entra ID (with -TenantId and -ClientId), as a SecureString: it is held in memory only.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [ValidateNotNull]
        public SecureString ClientSecret { get; set; }

        /// <summary>A certificate in CurrentUser\My or LocalMachine\My, by thumbprint.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [ValidatePattern("^[0-9A-Fa-f]{40}$")]
        public string CertificateThumbprint { get; set; }

        /// <summary>The Automation account's managed identity (IDENTITY_ENDPOINT and IDENTITY_HEADER); with -SandboxUri, the served sandbox's, unless those two are set.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = SandboxUriSet)]
        public SwitchParameter ManagedIdentity { get; set; }

        /// <summary>A Graph access token already obtained elsewhere.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString GraphAccessToken { get; set; }

        /// <summary>The object id of the Dropbox for Business enterprise app (service principal).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string ServicePrincipalId { get; set; }

        /// <summary>Microsoft Graph's root for national clouds (https://graph.microsoft.us...).</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string GraphEndpoint { get; set; }

        /// <summary>The Entra sign-in root for national clouds (https://login.microsoftonline.us...).</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [ValidateNotNullOrEmpty]
        public string AuthorityHost { get; set; }

        /// <summary>The job's state directory. Default: per user for a real tenant; a new temporary directory for the sandbox.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string StatePath { get; set; }

        /// <summary>
        /// Keep the job's state (state, configuration, provisioning logs, pending writes) in an Azure Blob Storage container instead of a
        /// directory, so that it outlives an Azure Automation job: https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;[/&lt;prefix&gt;]
        /// (for Azurite, path-style http://127.0.0.1:10000/devstoreaccount1/&lt;container&gt;; plain http only to loopback). The container
        /// must exist. Authenticated by -ManagedIdentity (the identity needs Storage Blob Data Contributor), -StateStorageSasToken or
        /// -StateStorageAccountKey. The lock is a blob lease that a stopped job gives up within a minute; every write is conditional on
        /// what was read, so two jobs never overwrite each other (StateChangedElsewhere).
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string StateStorageUri { get; set; }

        /// <summary>A SAS token for -StateStorageUri (read, add, create, write, delete and list on the container), as a SecureString.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString StateStorageSasToken { get; set; }

        /// <summary>The storage account's access key for -StateStorageUri, as a SecureString (how Azurite's devstoreaccount1 is reached).</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString StateStorageAccountKey { get; set; }

        /// <summary>
        /// With -StateStorageUri: a key of your own (16 characters or more; an encrypted Automation variable) that protects the Team API
        /// refresh token and a pending authorization stored in the container. Without it no secret is stored there: pass -RefreshToken
        /// with every connection.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString StateProtectionKey { get; set; }

        protected override void OnEndProcessing()
        {
            var options = new ConnectionOptions();
            options.BlobState = StateStorageParameters.From(this, StateStorageUri, StateStorageSasToken, StateStorageAccountKey, StateProtectionKey,
                ParameterSetName == ManagedIdentitySet || (ParameterSetName == SandboxUriSet && ManagedIdentity.IsPresent), ClientId, StatePath);
            Func<System.Net.Http.HttpMessageHandler> transport = null;
            SandboxTenant sandbox = null;

            if (ParameterSetName == SandboxSet)
            {
                sandbox = SandboxConnection?.Sandbox as SandboxTenant;
                if (SandboxConnection != null && sandbox == null)
                    ThrowTerminating("NotSandbox", ErrorCategory.InvalidArgument, "-SandboxConnection must be a connection made with Connect-DbxTenant -Sandbox.", SandboxConnection);
                sandbox = sandbox ?? TenantGenerator.Generate(new TenantProfile { Users = SandboxUserCount, Seed = SandboxSeed });
                transport = sandbox.CreateHandler;
                options.Api = Api;
                if (Api == Dropbox.DropboxApiKind.TeamApi)
                {
                    // The sandbox's admin authorizes its team app (PKCE, offline access); the refresh token is kept in memory.
                    var tenant = sandbox;
                    RunEngine(async (observer, cancel) =>
                    {
                        await ConsentedAuthorization.AuthorizeTeamAppAsync(options, SandboxTeamAppKey,
                            challenge => tenant.DropboxApi.ApproveAuthorization(SandboxTeamAppKey, challenge, DropboxProvisioning.Sandbox.DropboxApi.DropboxAuthorizationServer.ProvisioningScopes),
                            tenant.CreateHandler, cancel).ConfigureAwait(false);
                        return true;
                    });
                }
                options.TenantUrl = new Uri("https://www.dropbox.com/scim/v2");
                options.SecretToken = SecureStrings.FromText(SandboxCredentials.ScimToken);
                options.TenantId = SandboxCredentials.TenantId;
                options.ClientId = SandboxCredentials.ClientId;
                options.ClientSecret = SecureStrings.FromText(SandboxCredentials.ClientSecret);
                options.ServicePrincipalId = SandboxCredentials.ServicePrincipalId;
                options.Authentication = GraphAuthentication.Sandbox;
                // The earlier sandbox connection's container, when its state is in one.
                if (StatePath == null && options.BlobState == null && SandboxConnection != null && !SandboxConnection.Store.Storage.IsLocal)
                    options.Storage = SandboxConnection.Store.Storage;
                options.StatePath = StatePath != null ? Resolve(StatePath)
                    : options.BlobState != null || options.Storage != null ? null
                    : SandboxConnection != null ? SandboxConnection.StatePath
                    : Path.Combine(Path.GetTempPath(), "DropboxProvisioning-sandbox-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            }
            else if (ParameterSetName == SandboxUriSet)
            {
                ConnectServedSandbox(options);
            }
            else
            {
                options.Api = Api;
                if (Api == Dropbox.DropboxApiKind.TeamApi)
                {
                    if (AppKey == null)
                        ThrowTerminating("MissingTeamApiCredential", ErrorCategory.InvalidArgument,
                            "-Api TeamApi needs -AppKey (a team-scoped Dropbox app); the first time the cmdlet shows the link to authorize it, or takes -RefreshToken.", null);
                    options.AppKey = AppKey;
                    options.RefreshToken = RefreshToken;
                    options.AuthorizationCode = AuthorizationCode;
                    if (ApiEndpoint != null) options.ApiRoot = ParseUrl(ApiEndpoint, "ApiEndpoint");
                }
                else
                {
                    if (AuthorizationCode != null || Reauthorize)
                        ThrowTerminating("AuthorizationNeedsTeamApi", ErrorCategory.InvalidArgument, "-AuthorizationCode and -Reauthorize authorize a Team API app: add -Api TeamApi -AppKey <key>.", null);
                    if (TenantUrl == null || SecretToken == null)
                        ThrowTerminating("MissingScimCredential", ErrorCategory.InvalidArgument, "SCIM needs -TenantUrl and -SecretToken (or use -Api TeamApi with -AppKey and -RefreshToken).", null);
                    options.TenantUrl = ParseUrl(TenantUrl, "TenantUrl");
                    options.SecretToken = SecretToken;
                }
                // The engine checks these for client secret and certificate sign-in; with a managed identity or
                // an access token they are optional, but when given they must be well formed too.
                if (ClientId != null && !Guid.TryParse(ClientId, out _))
                    ThrowTerminating("InvalidClientId", ErrorCategory.InvalidArgument, $"-ClientId '{ClientId}' is not an application (client) id GUID.", ClientId);
                if (TenantId != null && !ConnectionFactory.IsTenantId(TenantId))
                    ThrowTerminating("InvalidTenantId", ErrorCategory.InvalidArgument,
                        $"-TenantId '{TenantId}' is not an Entra tenant id: give its GUID or a verified domain such as contoso.onmicrosoft.com.", TenantId);
                options.TenantId = TenantId;
                options.ClientId = ClientId;
                options.ClientSecret = ClientSecret;
                options.GraphAccessToken = GraphAccessToken;
                options.ServicePrincipalId = ServicePrincipalId;
                if (GraphEndpoint != null) options.GraphEndpoint = ParseUrl(GraphEndpoint, "GraphEndpoint");
                if (AuthorityHost != null) options.AuthorityHost = ParseUrl(AuthorityHost, "AuthorityHost");
                options.StatePath = StatePath == null ? null : Resolve(StatePath);
                switch (ParameterSetName)
                {
                    case CertificateSet:
                        options.Authentication = GraphAuthentication.Certificate;
                        options.Certificate = FindCertificate(CertificateThumbprint);
                        break;
                    case ManagedIdentitySet: options.Authentication = GraphAuthentication.ManagedIdentity; break;
                    case AccessTokenSet: options.Authentication = GraphAuthentication.AccessToken; break;
                    default: options.Authentication = GraphAuthentication.ClientSecret; break;
                }
                if (options.TenantId == null) options.TenantId = "managed";
                if (options.StatePath == null) EnsureDefaultStateDirectory(ConnectionFactory.StatePathOf(options));
                if (options.Api == Dropbox.DropboxApiKind.TeamApi) AuthorizeTeamApp(options);
            }

            WriteVerbose($"Testing the connection to Microsoft Graph ({options.GraphEndpoint}) and Dropbox ({(options.Api == Dropbox.DropboxApiKind.TeamApi ? options.ApiRoot + " Team API" : options.TenantUrl?.ToString())}).");
            var connection = RunEngine((observer, cancel) => ConnectionFactory.ConnectAsync(options, transport, cancel));
            connection.Sandbox = sandbox;
            if ((sandbox != null || ParameterSetName == SandboxUriSet) && StatePath == null && connection.Store.Storage.IsLocal && (SandboxConnection == null || SandboxConnection.HasTemporaryState))
            {
                // The temporary state goes with Disconnect-DbxTenant, or with the runspace (the session) at the latest.
                connection.HoldTemporaryState();
                var runspace = System.Management.Automation.Runspaces.Runspace.DefaultRunspace;
                if (runspace != null)
                    runspace.StateChanged += (_, e) =>
                    {
                        var state = e.RunspaceStateInfo.State;
                        if (state == System.Management.Automation.Runspaces.RunspaceState.Closed || state == System.Management.Automation.Runspaces.RunspaceState.Broken) connection.Dispose();
                    };
            }
            RunspaceSessions<DbxConnection>.Current = connection;
            WriteVerbose($"Connected. State is kept in {connection.StatePath}.");
            WriteObject(connection);
        }

        /// <summary>
        /// Team API "Generate link" when there is no authorization to use (no -RefreshToken, no -AuthorizationCode, none
        /// stored, or -Reauthorize): the link is shown and the code read at the prompt; without a prompt, the cmdlet stops
        /// with the link in a warning and the command to run with the code.
        /// </summary>
        private void AuthorizeTeamApp(ConnectionOptions options)
        {
            if (RefreshToken != null || AuthorizationCode != null) return;
            if (!Reauthorize && ConnectionFactory.HasTeamApiCredential(options)) return;
            var link = ConnectionFactory.BeginTeamApiAuthorization(options);
            var code = AuthorizationPrompt.Ask(Host, link.AuthorizationUrl, "members, groups, the activity log and team information");
            if (code != null)
            {
                options.AuthorizationCode = code;
                return;
            }
            WriteWarning($"Open this link as a Dropbox team admin and click Allow: {link.AuthorizationUrl}");
            var message = $"App {AppKey} is not authorized for this job yet. Open the link shown as a Dropbox team admin, click Allow, then run the same Connect-DbxTenant command with -AuthorizationCode <the code Dropbox shows>.";
            ThrowTerminatingError(Record("TeamApiAuthorizationRequired", ErrorCategory.AuthenticationError, message, link, new PSInvalidOperationException(message)));
        }

        /// <summary>
        /// -SandboxUri: the served sandbox's discovery document gives the endpoints and its test credentials; the Team API's
        /// consent is its admin clicking Allow over HTTP, as -Sandbox does in-process. Without -StatePath the state is a new
        /// temporary directory, as for -Sandbox.
        /// </summary>
        private void ConnectServedSandbox(ConnectionOptions options)
        {
            options.Api = Api;
            var served = RunEngine((observer, cancel) => ServedSandbox.DiscoverAsync(SandboxUri, DropboxProvisioning.Http.HttpPipeline.NetworkHandler(), options.Timeout, cancel));
            served.Apply(options, ManagedIdentity);
            if (Api == Dropbox.DropboxApiKind.TeamApi)
            {
                RunEngine(async (observer, cancel) =>
                {
                    await ConsentedAuthorization.AuthorizeTeamAppAsync(options, served.TeamAppKey,
                        challenge => served.ConsentAsync(DropboxProvisioning.Http.HttpPipeline.NetworkHandler(), challenge, ConnectionFactory.TeamApiScopes, options.Timeout, cancel),
                        () => DropboxProvisioning.Http.HttpPipeline.NetworkHandler(), cancel).ConfigureAwait(false);
                    return true;
                });
            }
            options.StatePath = StatePath != null ? Resolve(StatePath)
                : options.BlobState != null ? null
                : Path.Combine(Path.GetTempPath(), "DropboxProvisioning-sandbox-" + Guid.NewGuid().ToString("N").Substring(0, 12));
        }

        /// <summary>The app key of the sandbox's team-scoped provisioning app.</summary>
        public const string SandboxTeamAppKey = DropboxProvisioning.Sandbox.Serving.SandboxEndpoints.TeamAppKey;

        private string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        /// <summary>
        /// Without -StatePath the job lives under the user's local application data. When no folder can be made there
        /// (the variable points at a file, a read-only disk, another user's folder, no home at all), say so now, with
        /// the fix, rather than at the first command that writes.
        /// </summary>
        private void EnsureDefaultStateDirectory(string path)
        {
            const string Fix = "Give the job a folder this account can write with -StatePath <folder> (a runbook: a folder that outlives the job), " +
                "or point the user's local application data (XDG_DATA_HOME or HOME; LOCALAPPDATA on Windows) at a writable folder.";
            void Unwritable(string message, Exception inner) => ThrowTerminatingError(WithFix(
                new ErrorRecord(new PSInvalidOperationException(message, inner), ErrorPrefix + "StateDirectoryUnwritable", ErrorCategory.WriteError, path), Fix));
            if (!Path.IsPathRooted(path))
                Unwritable($"This account has no local application data folder (nor a home folder) to keep the job's state in: the default would be '{path}', relative to wherever the command runs.", null);
            try
            {
                new StateStore(path).EnsureCreated();
            }
            catch (DbxException e) when (e.Condition == "StateSaveFailed" || e.Condition == "StateAccessDenied" || e.Condition == "StateReadOnly" || e.Condition == "StateDiskFull")
            {
                Unwritable($"The default state folder '{path}' cannot be made: {e.Message}", e);
            }
        }

        private Uri ParseUrl(string text, string parameter)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
                ThrowTerminating("InvalidUrl", ErrorCategory.InvalidArgument, $"-{parameter} '{text}' is not an absolute http(s) URL.", text);
            return uri;
        }

        private X509Certificate2 FindCertificate(string thumbprint)
        {
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                try
                {
                    using (var store = new X509Store(StoreName.My, location))
                    {
                        store.Open(OpenFlags.ReadOnly);
                        var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
                        if (found.Count > 0) return found[0];
                    }
                }
                catch (System.Security.Cryptography.CryptographicException) { }
            }
            ThrowTerminating("CertificateNotFound", ErrorCategory.ObjectNotFound, $"No certificate with thumbprint {thumbprint} is in CurrentUser\\My or LocalMachine\\My.", thumbprint);
            return null;
        }
    }
}
