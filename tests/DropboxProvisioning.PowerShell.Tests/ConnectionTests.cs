using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Sync;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>Connect-DbxTenant against the sandbox behind a real socket, and its refusals.</summary>
    public sealed class ConnectionTests
    {
        private static Dictionary<string, object> Loopback(LoopbackServer server, string statePath, string scimToken = SandboxCredentials.ScimToken, string clientSecret = SandboxCredentials.ClientSecret) => new Dictionary<string, object>
        {
            ["scimUrl"] = server.ScimUrl.ToString(),
            ["root"] = server.BaseUri.ToString(),
            ["token"] = Security.SecureStrings.FromText(scimToken),
            ["secret"] = Security.SecureStrings.FromText(clientSecret),
            ["statePath"] = statePath,
        };

        private const string ConnectScript =
            "Connect-DbxTenant -TenantUrl $scimUrl -SecretToken $token -TenantId '" + SandboxCredentials.TenantId + "' -ClientId '" + SandboxCredentials.ClientId +
            "' -ClientSecret $secret -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId + "' -GraphEndpoint $root -AuthorityHost $root -StatePath $statePath";

        [Fact]
        public void A_cycle_over_loopback_HTTP_persists_its_state_across_sessions()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 30, Seed = 3 });
            using var server = new LoopbackServer(tenant);
            var statePath = Path.Combine(Path.GetTempPath(), "dbx-test-" + System.Guid.NewGuid().ToString("N"));
            try
            {
                using (var first = new PowerShellSession())
                {
                    var connection = first.Single<DbxConnection>(ConnectScript, Loopback(server, statePath));
                    Assert.False(connection.IsSandbox);
                    Assert.Equal(statePath, connection.StatePath);
                    var result = first.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                    Assert.True(result.Created > 5);
                }

                // A new session (a new runspace, as a new runbook job) on the same state: nothing to do.
                var writes = tenant.Journal.Count("scim", writesOnly: true);
                using (var second = new PowerShellSession())
                {
                    second.Run(ConnectScript + " | Out-Null", Loopback(server, statePath));
                    var status = second.Single<State.ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                    Assert.True(status.ManagedUsers > 5);
                    var again = second.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                    Assert.Equal(0, again.Created + again.Updated + again.Adopted);
                }
                Assert.Equal(writes, tenant.Journal.Count("scim", writesOnly: true));
                Assert.DoesNotContain(File.ReadAllText(Path.Combine(statePath, "state.json")), SandboxCredentials.ScimToken);
            }
            finally
            {
                if (System.IO.Directory.Exists(statePath)) System.IO.Directory.Delete(statePath, true);
            }
        }

        private static string OwnStatePath() => Path.Combine(Path.GetTempPath(), "dbx-test-" + System.Guid.NewGuid().ToString("N"));

        [Fact]
        public void A_shared_directory_such_as_the_systems_temporary_one_is_refused_as_state_directory_and_its_mode_is_left_alone()
        {
            if (System.OperatingSystem.IsWindows()) return;
            var temp = Path.GetTempPath().TrimEnd('/');
            var before = File.GetUnixFileMode(temp);
            
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 5, Seed = 1 });
            using var server = new LoopbackServer(tenant);
            using var ps = new PowerShellSession();
            ps.Invoke(ConnectScript, Loopback(server, temp));
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith("ConnectDbxTenantStateDirectoryShared,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.Contains("-StatePath", error.ErrorDetails?.RecommendedAction ?? "");
            Assert.Equal(before, File.GetUnixFileMode(temp));
        }

        [Fact]
        public void A_refused_Dropbox_token_names_what_failed()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 5, Seed = 1 });
            using var server = new LoopbackServer(tenant);
            using var ps = new PowerShellSession();
            ps.Invoke(ConnectScript, Loopback(server, OwnStatePath(), scimToken: "wrong-token"));
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith("ConnectDbxTenantDropboxUnauthorized,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("Test Connection to Dropbox failed", error.Exception.Message);
            Assert.DoesNotContain("wrong-token", error.ToString());
        }

        [Fact]
        public void A_refused_client_secret_names_Entra_ID()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 5, Seed = 1 });
            using var server = new LoopbackServer(tenant);
            using var ps = new PowerShellSession();
            ps.Invoke(ConnectScript, Loopback(server, OwnStatePath(), clientSecret: "not-the-secret"));
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith("ConnectDbxTenantGraphAuthenticationFailed,", error.FullyQualifiedErrorId);
            Assert.Contains("Test Connection to Microsoft Graph failed", error.Exception.Message);
            Assert.DoesNotContain("not-the-secret", error.ToString());
        }

        [Theory]
        [InlineData("http://dropbox.example/scim/v2", "ConnectDbxTenantInsecureUrl", ErrorCategory.SecurityError)]
        [InlineData("not a url", "ConnectDbxTenantInvalidUrl", ErrorCategory.InvalidArgument)]
        [InlineData("ftp://www.dropbox.com/scim/v2", "ConnectDbxTenantInvalidUrl", ErrorCategory.InvalidArgument)]
        public void Bad_tenant_urls_are_refused_before_any_request(string url, string errorId, ErrorCategory category)
        {
            using var ps = new PowerShellSession();
            ps.Invoke("Connect-DbxTenant -TenantUrl $url -SecretToken $token -GraphAccessToken $token -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId + "'",
                new Dictionary<string, object> { ["url"] = url, ["token"] = Security.SecureStrings.FromText("x") });
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
        }

        [Fact]
        public void A_blank_secret_token_is_refused()
        {
            using var ps = new PowerShellSession();
            ps.Invoke("Connect-DbxTenant -TenantUrl 'https://www.dropbox.com/scim/v2' -SecretToken $blank -GraphAccessToken $token -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId + "'",
                new Dictionary<string, object> { ["blank"] = Security.SecureStrings.FromText("   "), ["token"] = Security.SecureStrings.FromText("x") });
            Assert.StartsWith("ConnectDbxTenantEmptySecretToken,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void Each_runspace_has_its_own_current_connection()
        {
            using var a = new PowerShellSession();
            using var b = new PowerShellSession();
            var first = a.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 5");
            b.Invoke("Get-DbxProvisioningStatus");
            Assert.StartsWith("GetDbxProvisioningStatusNotConnected,", Assert.Single(b.Errors).FullyQualifiedErrorId);
            var second = b.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 5");
            Assert.NotEqual(first.StatePath, second.StatePath);
            Assert.Equal(first.StatePath, a.Single<State.ProvisioningStatusReport>("Get-DbxProvisioningStatus").StatePath);
            a.Run("Disconnect-DbxTenant");
            a.Invoke("Get-DbxProvisioningStatus");
            Assert.Single(a.Errors);
            Assert.Equal(second.StatePath, b.Single<State.ProvisioningStatusReport>("Get-DbxProvisioningStatus").StatePath);
        }
    }
}
