using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Sync;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Connect-DbxTenant -SandboxUri: a sandbox served over a socket (as dbxhost sandbox serves it from its own process),
    /// reached as -Sandbox reaches the in-process one, by several sessions on one tenant; and every wrong address refused
    /// with an id and a recommended action. In the environment collection: the managed identity reads the process's
    /// IDENTITY_ENDPOINT and IDENTITY_HEADER.
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class SandboxUriTests
    {
        private static SandboxTenant NewTenant(int seed) => TenantGenerator.Generate(new TenantProfile { Users = 30, Seed = seed });

        private static Dictionary<string, object> Variables(Uri root, string statePath = null) => new Dictionary<string, object>
        {
            ["root"] = root.ToString().TrimEnd('/'),
            ["statePath"] = statePath ?? Path.Combine(Path.GetTempPath(), "dbx-sandboxuri-" + Guid.NewGuid().ToString("N")),
        };

        [Fact]
        public void Two_sessions_with_the_same_state_act_on_one_served_tenant_the_second_finds_nothing_to_do()
        {
            var tenant = NewTenant(21);
            using var server = new LoopbackServer(tenant);
            var variables = Variables(server.BaseUri);
            var before = tenant.Dropbox.Members.Count;

            using (var first = new PowerShellSession())
            {
                var connection = first.Single<DbxConnection>("Connect-DbxTenant -SandboxUri $root -StatePath $statePath", variables);
                Assert.Equal(DropboxApiKind.Scim, connection.Api);
                Assert.Equal(new Uri(server.BaseUri, "/scim/v2"), connection.TenantUrl);
                Assert.Equal(SandboxCredentials.TenantId, connection.TenantId);
                Assert.Equal((string)variables["statePath"], connection.StatePath);
                Assert.Null(connection.Sandbox); // the tenant lives in the serving process
                var cycle = first.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.True(cycle.Created > 0);
                Assert.Equal(before + cycle.Created, tenant.Dropbox.Members.Count);
            }
            Assert.Contains(tenant.Journal.Entries(), e => e.Service == "graph" && e.Host == server.BaseUri.Authority);

            tenant.Journal.Clear();
            using (var second = new PowerShellSession())
            {
                second.Single<DbxConnection>("Connect-DbxTenant -SandboxUri $root -StatePath $statePath", variables);
                var cycle = second.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(DropboxProvisioning.State.CycleMode.Incremental, cycle.Mode);
                Assert.Equal(0, cycle.Created + cycle.Updated + cycle.Suspended + cycle.Deleted);
            }
            Assert.Equal(0, tenant.Journal.Count("scim", writesOnly: true));
        }

        [Fact]
        public void Team_API_over_a_served_sandbox_is_consented_over_HTTP_and_provisions_through_the_Team_API()
        {
            var tenant = NewTenant(22);
            using var server = new LoopbackServer(tenant);
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -SandboxUri $root -Api TeamApi", Variables(server.BaseUri));
            Assert.Equal(DropboxApiKind.TeamApi, connection.Api);
            Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 0);
            var entries = tenant.Journal.Entries();
            Assert.Contains(entries, e => e.Path == "/_sandbox/consent" && e.Status == 200);
            Assert.Contains(entries, e => e.Path.StartsWith("/2/team/members/add", StringComparison.Ordinal));
            Assert.DoesNotContain(entries, e => e.Service == "scim" && e.IsWrite);
            Assert.True(connection.HasTemporaryState); // no -StatePath: a temporary directory, as for -Sandbox
            ps.Invoke("Disconnect-DbxTenant");
            Assert.False(System.IO.Directory.Exists(connection.StatePath));
        }

        [Fact]
        public void ManagedIdentity_uses_the_served_sandboxs_identity_endpoint_when_the_environment_publishes_none()
        {
            var tenant = NewTenant(23);
            tenant.Options.ManagedIdentityHeader = "header-" + Guid.NewGuid().ToString("N");
            using var server = new LoopbackServer(tenant);
            Assert.Null(Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT"));
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -SandboxUri $root -ManagedIdentity", Variables(server.BaseUri));
            Assert.Equal(GraphAuthentication.ManagedIdentity, connection.Authentication);
            Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 0);
            Assert.Contains(tenant.Journal.Entries(), e => e.Path == "/msi/token" && e.Status == 200);
            Assert.DoesNotContain(tenant.Journal.Entries(), e => e.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal));
        }

        [Fact]
        public void ManagedIdentity_takes_IDENTITY_ENDPOINT_and_IDENTITY_HEADER_from_the_environment_first_as_in_Azure_Automation()
        {
            var tenant = NewTenant(24);
            tenant.Options.ManagedIdentityHeader = "the-published-header";
            using var server = new LoopbackServer(tenant);
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", new Uri(server.BaseUri, "/msi/token").ToString());
            try
            {
                // A header the endpoint does not expect: the environment's is the one sent, and the endpoint refuses it.
                Environment.SetEnvironmentVariable("IDENTITY_HEADER", "not-the-published-header");
                using (var ps = new PowerShellSession())
                {
                    ps.Invoke("Connect-DbxTenant -SandboxUri $root -ManagedIdentity", Variables(server.BaseUri));
                    Assert.StartsWith("ConnectDbxTenantManagedIdentityFailed,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
                }
                Environment.SetEnvironmentVariable("IDENTITY_HEADER", "the-published-header");
                using (var ps = new PowerShellSession())
                {
                    var connection = ps.Single<DbxConnection>("Connect-DbxTenant -SandboxUri $root -ManagedIdentity", Variables(server.BaseUri));
                    Assert.Equal(GraphAuthentication.ManagedIdentity, connection.Authentication);
                }
            }
            finally
            {
                Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", null);
                Environment.SetEnvironmentVariable("IDENTITY_HEADER", null);
            }
        }

        [Fact]
        public void A_sandbox_serving_SCIM_only_refuses_Api_TeamApi_with_a_clear_error()
        {
            var tenant = NewTenant(25);
            tenant.Options.ServesTeamApi = false;
            using var server = new LoopbackServer(tenant);
            using var ps = new PowerShellSession();
            ps.Invoke("Connect-DbxTenant -SandboxUri $root -Api TeamApi", Variables(server.BaseUri));
            AssertRefused(ps, "SandboxApiNotServed", ErrorCategory.InvalidArgument);
        }

        [Fact]
        public void Nothing_listening_is_SandboxUnreachable_with_how_to_start_the_host()
        {
            var port = FreePort();
            using var ps = new PowerShellSession();
            ps.Invoke("Connect-DbxTenant -SandboxUri $root", Variables(new Uri("http://127.0.0.1:" + port)));
            var error = AssertRefused(ps, "SandboxUnreachable", ErrorCategory.ConnectionError);
            Assert.Contains("DropboxProvisioning.Host -- sandbox", error.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void A_server_that_is_not_a_sandbox_is_NotASandbox()
        {
            using var server = new ScriptedServer((request, response) => { response.StatusCode = 404; return "<html>nothing here</html>"; });
            using (var ps = new PowerShellSession())
            {
                ps.Invoke("Connect-DbxTenant -SandboxUri $root", Variables(server.BaseUri));
                AssertRefused(ps, "NotASandbox", ErrorCategory.InvalidArgument);
            }
            using var json = new ScriptedServer((request, response) => { response.StatusCode = 200; response.ContentType = "application/json"; return "{\"sandbox\":\"SomethingElse\"}"; });
            using (var ps = new PowerShellSession())
            {
                ps.Invoke("Connect-DbxTenant -SandboxUri $root", Variables(json.BaseUri));
                AssertRefused(ps, "NotASandbox", ErrorCategory.InvalidArgument);
            }
        }

        [Theory]
        [InlineData("http://example.com:8400", "InsecureUrl", ErrorCategory.SecurityError)]
        [InlineData("ftp://127.0.0.1:8400", "SandboxUriInvalid", ErrorCategory.InvalidArgument)]
        [InlineData("127.0.0.1:8400", "SandboxUriInvalid", ErrorCategory.InvalidArgument)]
        [InlineData("http://127.0.0.1:8400/scim/v2", "SandboxUriInvalid", ErrorCategory.InvalidArgument)]
        public void A_wrong_address_is_refused_before_any_request(string address, string condition, ErrorCategory category)
        {
            using var ps = new PowerShellSession();
            ps.Invoke("Connect-DbxTenant -SandboxUri $address", new Dictionary<string, object> { ["address"] = address });
            AssertRefused(ps, condition, category);
        }

        private static ErrorRecord AssertRefused(PowerShellSession ps, string condition, ErrorCategory category)
        {
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith("ConnectDbxTenant" + condition + ",", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction), "a recommended action for " + condition);
            // Nothing was made current for the session.
            ps.Invoke("Get-DbxProvisioningStatus");
            Assert.StartsWith("GetDbxProvisioningStatusNotConnected,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
            return error;
        }

        private static int FreePort()
        {
            var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            probe.Start();
            var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }
    }
}
