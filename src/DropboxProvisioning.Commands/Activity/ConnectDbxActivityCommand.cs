using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.DropboxApi;

namespace DropboxProvisioning.Commands.Activity
{
    /// <summary>
    /// <para type="synopsis">Connects to a Dropbox team's activity log (as the Defender for Cloud Apps connector does), tests it, and makes it current.</para>
    /// <para type="description">
    /// Interactive: Connect-DbxActivity -AppKey &lt;key&gt; prints the authorization link ("Generate link"); open it as a team admin,
    /// click Allow, and paste the code Dropbox shows (at the prompt, or run again with -AuthorizationCode). The refresh token is kept
    /// protected in the state directory (DPAPI on Windows, an owner-only file elsewhere), so later sessions connect with -AppKey alone.
    /// Runbooks: -AppKey and -RefreshToken (a SecureString). Rehearsal: Connect-DbxTenant -Sandbox; Connect-DbxActivity -Sandbox.
    /// The first Get-DbxActivity reads the 60 days before the first connection.
    /// </para>
    /// <para type="link">Get-DbxActivity</para>
    /// <para type="link">Test-DbxConnection</para>
    /// <para type="link">Connect-DbxTenant</para>
    /// </summary>
    /// <example>
    /// <para>Rehearses the connector on the sandbox team: the sandbox admin authorizes the sandbox app.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox | Out-Null
    /// Connect-DbxActivity -Sandbox
    /// </code>
    /// </example>
    /// <example>
    /// <para>Connects to the activity log of a given sandbox connection's team and keeps the activity connection in a variable.</para>
    /// <code>
    /// $tenant = Connect-DbxTenant -Sandbox
    /// $activity = Connect-DbxActivity -Sandbox -Connection $tenant
    /// Test-DbxConnection -ActivityConnection $activity
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommunications.Connect, "DbxActivity", DefaultParameterSetName = LinkSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(ActivityConnection), typeof(ActivityAuthorizationRequest))]
    public sealed class ConnectDbxActivityCommand : DbxActivityCmdlet
    {
        private const string LinkSet = "AuthorizationCode";
        private const string RefreshSet = "RefreshToken";
        private const string SandboxSet = "Sandbox";

        /// <summary>The Dropbox app's key (App Console, Settings): a scoped app with team access and events.read.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LinkSet, Position = 0)]
        [Parameter(Mandatory = true, ParameterSetName = RefreshSet)]
        [ValidateNotNullOrEmpty]
        public string AppKey { get; set; }

        /// <summary>The code Dropbox showed after Allow on the link a previous Connect-DbxActivity -AppKey printed.</summary>
        [Parameter(ParameterSetName = LinkSet)]
        [ValidateNotNullOrEmpty]
        public string AuthorizationCode { get; set; }

        /// <summary>Ignore a stored authorization and print a new link.</summary>
        [Parameter(ParameterSetName = LinkSet)]
        public SwitchParameter Reauthorize { get; set; }

        /// <summary>A refresh token obtained elsewhere (an Automation credential's password).</summary>
        [Parameter(Mandatory = true, ParameterSetName = RefreshSet)]
        [ValidateNotNull]
        public SecureString RefreshToken { get; set; }

        /// <summary>Authorize the sandbox's own app on the sandbox tenant of the current (or given) sandbox connection.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SandboxSet)]
        public SwitchParameter Sandbox { get; set; }

        /// <summary>The sandbox connection (from Connect-DbxTenant -Sandbox) whose team to use; default: the current one.</summary>
        [Parameter(ParameterSetName = SandboxSet)]
        [ValidateNotNull]
        public DbxConnection Connection { get; set; }

        /// <summary>The scopes the sandbox admin grants (default: the app's, including events.read); to rehearse a missing scope.</summary>
        [Parameter(ParameterSetName = SandboxSet)]
        public string[] Scope { get; set; }

        /// <summary>Dropbox API root (https://api.dropboxapi.com); a loopback URL for tests.</summary>
        [Parameter(ParameterSetName = LinkSet)]
        [Parameter(ParameterSetName = RefreshSet)]
        [ValidateNotNullOrEmpty]
        public string ApiEndpoint { get; set; }

        /// <summary>Where the cursor and the protected refresh token live. Default: per app under LocalApplicationData; for -Sandbox, 'activity' in the sandbox connection's state directory (or container).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string StatePath { get; set; }

        /// <summary>
        /// Keep the cursor in an Azure Blob Storage container instead of a directory (an Azure Automation job's disk is thrown away):
        /// https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;[/&lt;prefix&gt;], or path-style http://127.0.0.1:&lt;port&gt;/&lt;account&gt;/&lt;container&gt; for
        /// Azurite. The container must exist. Authenticated by -ManagedIdentity (Storage Blob Data Contributor), -StateStorageSasToken or
        /// -StateStorageAccountKey. The refresh token is stored there only under -StateProtectionKey; otherwise pass -RefreshToken each time.
        /// </summary>
        [Parameter(ParameterSetName = LinkSet)]
        [Parameter(ParameterSetName = RefreshSet)]
        [ValidateNotNullOrEmpty]
        public string StateStorageUri { get; set; }

        /// <summary>With -StateStorageUri: the Automation account's managed identity authenticates to Storage (it needs Storage Blob Data Contributor on the container).</summary>
        [Parameter(ParameterSetName = LinkSet)]
        [Parameter(ParameterSetName = RefreshSet)]
        public SwitchParameter ManagedIdentity { get; set; }

        /// <summary>A SAS token for -StateStorageUri, as a SecureString.</summary>
        [Parameter(ParameterSetName = LinkSet)]
        [Parameter(ParameterSetName = RefreshSet)]
        [ValidateNotNull]
        public SecureString StateStorageSasToken { get; set; }

        /// <summary>The storage account's access key for -StateStorageUri, as a SecureString (Azurite's devstoreaccount1 key).</summary>
        [Parameter(ParameterSetName = LinkSet)]
        [Parameter(ParameterSetName = RefreshSet)]
        [ValidateNotNull]
        public SecureString StateStorageAccountKey { get; set; }

        /// <summary>With -StateStorageUri: a key of your own (16 characters or more) that protects the refresh token and a pending authorization in the container; without it none is stored there.</summary>
        [Parameter(ParameterSetName = LinkSet)]
        [Parameter(ParameterSetName = RefreshSet)]
        [ValidateNotNull]
        public SecureString StateProtectionKey { get; set; }

        protected override void OnEndProcessing()
        {
            var options = new ActivityConnectionOptions { AppKey = AppKey };
            Func<System.Net.Http.HttpMessageHandler> transport = null;
            SandboxTenant tenant = null;
            if (StatePath != null) options.StatePath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(StatePath);
            var blob = StateStorageParameters.From(this, StateStorageUri, StateStorageSasToken, StateStorageAccountKey, StateProtectionKey, ManagedIdentity, null, StatePath);
            if (blob == null && ManagedIdentity)
                ThrowTerminating("StateStorageUriMissing", ErrorCategory.InvalidArgument, "-ManagedIdentity authenticates to the state's blob container: add -StateStorageUri.");
            if (blob != null) options.Storage = DropboxProvisioning.State.Storage.BlobStateStorage.Open(blob);
            if (ApiEndpoint != null)
            {
                if (!Uri.TryCreate(ApiEndpoint, UriKind.Absolute, out var api))
                    ThrowTerminating("InvalidUrl", ErrorCategory.InvalidArgument, $"-ApiEndpoint '{ApiEndpoint}' is not an absolute URL.", ApiEndpoint);
                options.ApiEndpoint = api;
            }

            // Everything below writes to the state directory (the link's PKCE verifier, the protected refresh token, the cursor).
            var statePath = options.Storage?.Location ?? options.StatePath ?? (ParameterSetName == SandboxSet ? null : ActivityConnector.DefaultStatePath(AppKey));
            if (!ShouldProcess(statePath ?? "the sandbox connection's state directory", "Authorize the Dropbox app and keep its refresh token (protected) and the activity cursor")) return;

            switch (ParameterSetName)
            {
                case SandboxSet:
                    var connection = Connection ?? RunspaceSessions<DbxConnection>.Current;
                    tenant = connection?.Sandbox as SandboxTenant;
                    if (tenant == null)
                        ThrowTerminating("NotSandbox", ErrorCategory.InvalidOperation,
                            "Connect-DbxActivity -Sandbox needs a sandbox connection: run Connect-DbxTenant -Sandbox first, or pass -Connection.");
                    options.AppKey = DropboxAuthorizationServer.SandboxAppKey;
                    if (options.StatePath == null && !connection.Store.Storage.IsLocal) options.Storage = connection.Store.Storage.Under("activity");
                    else options.StatePath = options.StatePath ?? Path.Combine(connection.StatePath, "activity");
                    transport = tenant.CreateHandler;
                    // Generate link, then the admin clicks Allow: the sandbox shows the code as Dropbox would.
                    var request = options.Storage != null
                        ? ActivityConnector.BeginAuthorization(options.AppKey, options.Storage)
                        : ActivityConnector.BeginAuthorization(options.AppKey, options.StatePath);
                    WriteVerbose($"Authorizing the sandbox app on {request.AuthorizationUrl.GetLeftPart(UriPartial.Path)}.");
                    options.AuthorizationCode = tenant.DropboxApi.ApproveAuthorization(options.AppKey, ActivityConnector.ChallengeOf(request), Scope);
                    break;
                case RefreshSet:
                    options.RefreshToken = RefreshToken;
                    break;
                default:
                    options.AuthorizationCode = AuthorizationCode;
                    var path = options.StatePath ?? ActivityConnector.DefaultStatePath(AppKey);
                    if (AuthorizationCode == null && (Reauthorize || !(options.Storage != null ? ActivityConnector.HasStoredCredential(options.Storage) : ActivityConnector.HasStoredCredential(path))))
                    {
                        var link = options.Storage != null ? ActivityConnector.BeginAuthorization(AppKey, options.Storage) : ActivityConnector.BeginAuthorization(AppKey, path);
                        var code = AuthorizationPrompt.Ask(Host, link.AuthorizationUrl, "access to team information and the activity log");
                        if (code == null)
                        {
                            WriteWarning($"Open the link as a Dropbox team admin, click Allow, then run: Connect-DbxActivity -AppKey {AppKey} -AuthorizationCode <code>" +
                                (StatePath != null ? " -StatePath <same path>" : ""));
                            WriteObject(link);
                            return;
                        }
                        options.AuthorizationCode = code;
                    }
                    break;
            }

            WriteVerbose("Testing the connection to the Dropbox activity log (team_log/get_events, limit 1).");
            var activity = RunEngine((observer, cancel) => ActivityConnector.ConnectAsync(options, transport, cancel));
            activity.Sandbox = tenant;
            RunspaceSessions<ActivityConnection>.Current = activity;
            WriteVerbose($"Connected. The first read covers events since {activity.InitialWindowStart:u}; the cursor is kept in {activity.StatePath}.");
            WriteObject(activity);
        }
    }

    /// <summary>
    /// <para type="synopsis">The connector's "Test API": reads one event of the activity log and reports success or what failed.</para>
    /// <para type="description">One call to team_log/get_events with limit 1, as the Defender for Cloud Apps connector's "Test API" button makes. The result says whether it succeeded, how long it took and, when it failed, Dropbox's reason and the error id (a missing events.read scope, a revoked token...); a failure is also written as an error.</para>
    /// <para type="link">Connect-DbxActivity</para>
    /// <para type="link">Get-DbxActivity</para>
    /// </summary>
    /// <example>
    /// <para>Tests the current activity connection.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox | Out-Null
    /// Connect-DbxActivity -Sandbox | Out-Null
    /// Test-DbxConnection
    /// </code>
    /// </example>
    /// <example>
    /// <para>A runbook step that stops when the activity log cannot be read.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox | Out-Null
    /// Connect-DbxActivity -Sandbox | Out-Null
    /// if (-not (Test-DbxConnection).Success) { throw 'The Dropbox activity log cannot be read.' }
    /// </code>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "DbxConnection")]
    [OutputType(typeof(ActivityConnectionTest))]
    public sealed class TestDbxConnectionCommand : DbxActivityCmdlet
    {
        protected override void OnEndProcessing()
        {
            var connection = RequireActivityConnection();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var result = new ActivityConnectionTest { AppKey = connection.AppKey, TeamId = connection.TeamId };
            try
            {
                var count = connection.TestAsync(Cancellation).GetAwaiter().GetResult();
                result.Success = true;
                result.Message = count > 0 ? "Dropbox returned the team's activity log." : "Dropbox accepted the call; the activity log has no events yet.";
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Errors.DbxException e)
            {
                var record = ToErrorRecord(e);
                result.Success = false;
                result.Message = e.Message;
                result.ErrorId = record.FullyQualifiedErrorId;
                WriteError(record);
            }
            result.Elapsed = watch.Elapsed;
            WriteObject(result);
        }
    }
}
