using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Sync;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Issue 6, authorization: Connect-DbxTenant -Api TeamApi's link-and-code flow (PKCE, offline access, the provisioning
    /// scopes) over a real socket to the sandbox's OAuth server, the refresh token kept protected, -Reauthorize, and the
    /// prompt of an interactive host.
    /// </summary>
    public sealed class TeamApiAuthorizationTests : IDisposable
    {
        private const string AppKey = "teamlinkapp1";
        private readonly SandboxTenant _tenant = TenantGenerator.Generate(new TenantProfile { Users = 12, Seed = 5 });
        private readonly LoopbackServer _server;
        private readonly string _statePath = Path.Combine(Path.GetTempPath(), "dbx-teamapi-link-" + Guid.NewGuid().ToString("N"));
        private readonly Dictionary<string, object> _variables;

        private const string Connect = "Connect-DbxTenant -Api TeamApi -AppKey " + AppKey + " -ApiEndpoint $root -TenantId '" + SandboxCredentials.TenantId + "' -ClientId '" + SandboxCredentials.ClientId +
            "' -ClientSecret $secret -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId + "' -GraphEndpoint $root -AuthorityHost $root -StatePath $statePath";

        public TeamApiAuthorizationTests()
        {
            _server = new LoopbackServer(_tenant);
            _variables = new Dictionary<string, object>
            {
                ["root"] = _server.BaseUri.ToString(), ["statePath"] = _statePath,
                ["secret"] = Security.SecureStrings.FromText(SandboxCredentials.ClientSecret),
            };
        }

        public void Dispose()
        {
            _server.Dispose();
            try { System.IO.Directory.Delete(_statePath, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        private string CredentialPath => Path.Combine(_statePath, ConnectionFactory.TeamApiCredentialFile);
        private string PendingPath => Path.Combine(_statePath, ConnectionFactory.TeamApiPendingFile);

        private static string Challenge(string url) =>
            Uri.UnescapeDataString(url.Split('?', '&').First(p => p.StartsWith("code_challenge=", StringComparison.Ordinal)).Substring("code_challenge=".Length));

        /// <summary>Runs Connect-DbxTenant without a code in a host that cannot prompt: the link comes in a warning, the error says what to run.</summary>
        private string LinkFromRefusal(PowerShellSession ps, string extra = "")
        {
            var output = ps.Invoke(Connect + extra, _variables);
            Assert.Empty(output);
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith("ConnectDbxTenantTeamApiAuthorizationRequired,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("-AuthorizationCode", error.Exception.Message);
            var warning = Assert.Single(ps.Warnings);
            var url = warning.Substring(warning.IndexOf("https://", StringComparison.Ordinal));
            Assert.Equal(url, error.TargetObject.ToString());
            return url;
        }

        [Fact]
        public void Without_an_authorization_the_link_is_shown_and_the_code_completes_the_connection()
        {
            using (var ps = new PowerShellSession())
            {
                var url = LinkFromRefusal(ps);
                Assert.StartsWith("https://www.dropbox.com/oauth2/authorize?client_id=" + AppKey + "&response_type=code&code_challenge=", url);
                Assert.Contains("code_challenge_method=S256", url);
                Assert.Contains("token_access_type=offline", url);
                var scope = Uri.UnescapeDataString(url.Split('&').Single(p => p.StartsWith("scope=", StringComparison.Ordinal)).Substring("scope=".Length));
                Assert.Equal(new[] { "members.read", "members.write", "members.delete", "groups.read", "groups.write", "events.read", "team_info.read", "team_data.content.read", "team_data.content.write", "sharing.write" }, scope.Split(' '));
                Assert.True(File.Exists(PendingPath));
                Assert.False(File.Exists(CredentialPath));
                if (!OperatingSystem.IsWindows())
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PendingPath));

                // The admin clicks Allow; Dropbox shows the code.
                var code = _tenant.DropboxApi.ApproveAuthorization(AppKey, Challenge(url), DropboxAuthorizationServer.ProvisioningScopes);
                _variables["code"] = code;
                var connection = ps.Single<DbxConnection>(Connect + " -AuthorizationCode $code", _variables);
                Assert.Equal(Dropbox.DropboxApiKind.TeamApi, connection.Api);
                Assert.True(File.Exists(CredentialPath));
                Assert.False(File.Exists(PendingPath)); // the verifier is spent
                if (!OperatingSystem.IsWindows())
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(CredentialPath));
                Assert.DoesNotContain(code, File.ReadAllText(CredentialPath));
                Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 0);

                // A code is single-use, and there is no pending link any more.
                ps.Invoke(Connect + " -AuthorizationCode $code", _variables);
                Assert.StartsWith("ConnectDbxTenantTeamApiNoPendingAuthorization,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
            }

            // A later session needs the app key alone.
            using (var later = new PowerShellSession())
            {
                later.Single<DbxConnection>(Connect, _variables);
                var idle = later.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.Created + idle.Updated + idle.Failed);
            }
        }

        [Fact]
        public void Reauthorize_shows_a_new_link_and_the_new_refresh_token_replaces_the_stored_one()
        {
            using var ps = new PowerShellSession();
            var first = LinkFromRefusal(ps);
            _variables["code"] = _tenant.DropboxApi.ApproveAuthorization(AppKey, Challenge(first), DropboxAuthorizationServer.ProvisioningScopes);
            ps.Run(Connect + " -AuthorizationCode $code | Out-Null", _variables);
            var stored = File.ReadAllText(CredentialPath);

            var second = LinkFromRefusal(ps, " -Reauthorize");
            Assert.NotEqual(Challenge(first), Challenge(second));
            Assert.Equal(stored, File.ReadAllText(CredentialPath)); // nothing changes until the new code comes
            _variables["code"] = _tenant.DropboxApi.ApproveAuthorization(AppKey, Challenge(second), DropboxAuthorizationServer.ProvisioningScopes);
            ps.Run(Connect + " -AuthorizationCode $code | Out-Null", _variables);
            Assert.NotEqual(stored, File.ReadAllText(CredentialPath));
            Assert.False(File.Exists(PendingPath));
        }

        [Fact]
        public void A_code_without_a_link_or_for_an_app_missing_a_scope_is_refused_by_name()
        {
            using var ps = new PowerShellSession();
            _variables["code"] = "not-a-code";
            ps.Invoke(Connect + " -AuthorizationCode $code", _variables);
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith("ConnectDbxTenantTeamApiNoPendingAuthorization,", error.FullyQualifiedErrorId);
            Assert.Contains("Connect-DbxTenant -Api TeamApi -AppKey " + AppKey, error.Exception.Message);

            // The admin allowed an app without members.write: the Test Connection read passes; the first write says which scope is missing.
            var url = LinkFromRefusal(ps);
            _variables["code"] = _tenant.DropboxApi.ApproveAuthorization(AppKey, Challenge(url), new[] { "members.read", "groups.read", "team_info.read" });
            ps.Run(Connect + " -AuthorizationCode $code | Out-Null", _variables);
            var output = ps.Invoke("Invoke-DbxProvisioningCycle");
            var texts = ps.Errors.Select(e => e.FullyQualifiedErrorId + " " + e.Exception.Message).Concat(ps.Warnings).Concat(output.Select(o => o.BaseObject is CycleResult r ? string.Join("\n", r.Changes.Select(c => c.StatusDetails)) : o.ToString())).ToList();
            Assert.True(texts.Any(m => m != null && m.Contains("members.write")), string.Join("\n", texts));
        }

        [Fact]
        public void SCIM_refuses_the_authorization_parameters()
        {
            using var ps = new PowerShellSession();
            ps.Invoke("Connect-DbxTenant -TenantUrl $root -SecretToken $secret -AuthorizationCode abc -TenantId '" + SandboxCredentials.TenantId + "' -ClientId '" + SandboxCredentials.ClientId +
                "' -ClientSecret $secret -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId + "' -GraphEndpoint $root -AuthorityHost $root -StatePath $statePath", _variables);
            Assert.StartsWith("ConnectDbxTenantAuthorizationNeedsTeamApi,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void An_interactive_host_shows_the_link_and_reads_the_code_at_the_prompt()
        {
            var host = new AdminHost(_tenant);
            var state = InitialSessionState.CreateDefault2();
            using var runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            foreach (var pair in _variables) runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
            using (var ps = System.Management.Automation.PowerShell.Create())
            {
                ps.Runspace = runspace;
                ps.AddScript($"Import-Module '{PowerShellSession.ManifestPath}'; {Connect}");
                var output = ps.Invoke();
                Assert.True(ps.Streams.Error.Count == 0, string.Join("\n", ps.Streams.Error.Select(e => e.FullyQualifiedErrorId + ": " + e)));
                var connection = (DbxConnection)Assert.Single(output).BaseObject;
                Assert.Equal(Dropbox.DropboxApiKind.TeamApi, connection.Api);
            }
            Assert.Equal(1, host.Prompts);
            Assert.Contains(host.Lines, l => l.Contains("/oauth2/authorize?client_id=" + AppKey));
            Assert.True(File.Exists(CredentialPath));
        }

        /// <summary>An interactive host whose admin opens the link it is shown, clicks Allow in the sandbox, and pastes the code.</summary>
        private sealed class AdminHost : PSHost
        {
            private readonly AdminUI _ui;
            public AdminHost(SandboxTenant tenant) { _ui = new AdminUI(tenant); }
            public int Prompts => _ui.Prompts;
            public List<string> Lines => _ui.Lines;
            public override string Name => "AdminTestHost";
            public override Version Version => new Version(1, 0);
            public override Guid InstanceId { get; } = Guid.NewGuid();
            public override PSHostUserInterface UI => _ui;
            public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
            public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
            public override void SetShouldExit(int exitCode) { }
            public override void EnterNestedPrompt() => throw new NotSupportedException();
            public override void ExitNestedPrompt() => throw new NotSupportedException();
            public override void NotifyBeginApplication() { }
            public override void NotifyEndApplication() { }
        }

        private sealed class AdminUI : PSHostUserInterface
        {
            private readonly SandboxTenant _tenant;
            public readonly List<string> Lines = new List<string>();
            public int Prompts;
            public AdminUI(SandboxTenant tenant) { _tenant = tenant; }
            public override PSHostRawUserInterface RawUI => null;

            public override string ReadLine()
            {
                Prompts++;
                var url = Lines.Last(l => l.Contains("/oauth2/authorize")).Trim();
                return _tenant.DropboxApi.ApproveAuthorization(AppKey, Challenge(url), DropboxAuthorizationServer.ProvisioningScopes);
            }

            public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
            public override void Write(string value) => Lines.Add(value);
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Add(value);
            public override void WriteLine(string value) => Lines.Add(value);
            public override void WriteErrorLine(string value) => Lines.Add(value);
            public override void WriteDebugLine(string message) { }
            public override void WriteProgress(long sourceId, ProgressRecord record) { }
            public override void WriteVerboseLine(string message) { }
            public override void WriteWarningLine(string message) => Lines.Add(message);
            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException();
        }
    }
}
