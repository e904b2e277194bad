using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Dropbox.OAuth;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Sync;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>A real-style Team API connection over a socket: the refresh token is given once, kept protected, used again.</summary>
    public sealed class TeamApiCredentialTests
    {
        [Fact]
        public void The_refresh_token_is_stored_protected_and_a_later_session_needs_only_the_app_key()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 12, Seed = 8 });
            using var server = new LoopbackServer(tenant);
            var pkce = PkcePair.Create();
            var code = tenant.DropboxApi.ApproveAuthorization("teamappkey1", pkce.Challenge, DropboxAuthorizationServer.ProvisioningScopes);
            using var http = new HttpClient();
            var grant = DropboxOAuth.ExchangeCodeAsync(http, server.BaseUri, "teamappkey1", code, pkce.Verifier, CancellationToken.None).GetAwaiter().GetResult();
            var statePath = Path.Combine(Path.GetTempPath(), "dbx-teamapi-" + Guid.NewGuid().ToString("N"));
            var variables = new Dictionary<string, object>
            {
                ["root"] = server.BaseUri.ToString(), ["statePath"] = statePath, ["refresh"] = grant.RefreshToken,
                ["secret"] = Security.SecureStrings.FromText(SandboxCredentials.ClientSecret),
            };
            const string Connect = "Connect-DbxTenant -Api TeamApi -AppKey teamappkey1 -ApiEndpoint $root -TenantId '" + SandboxCredentials.TenantId + "' -ClientId '" + SandboxCredentials.ClientId +
                "' -ClientSecret $secret -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId + "' -GraphEndpoint $root -AuthorityHost $root -StatePath $statePath";
            try
            {
                using (var first = new PowerShellSession())
                {
                    first.Run(Connect + " -RefreshToken $refresh | Out-Null", variables);
                    Assert.True(first.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 0);
                }
                var stored = File.ReadAllText(Path.Combine(statePath, ConnectionFactory.TeamApiCredentialFile));
                if (!OperatingSystem.IsWindows())
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(statePath, ConnectionFactory.TeamApiCredentialFile)));
                using (var later = new PowerShellSession())
                {
                    var connection = later.Single<DbxConnection>(Connect, variables);
                    Assert.Equal(Dropbox.DropboxApiKind.TeamApi, connection.Api);
                    var again = later.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                    Assert.Equal(0, again.Created + again.Updated);
                }
                using (var nothing = new PowerShellSession())
                {
                    variables["statePath"] = statePath + "-empty";
                    nothing.Invoke(Connect, variables);
                    // Nothing given and nothing stored: the authorization link (see TeamApiAuthorizationTests).
                    Assert.StartsWith("ConnectDbxTenantTeamApiAuthorizationRequired,", Assert.Single(nothing.Errors).FullyQualifiedErrorId);
                }
            }
            finally
            {
                try { System.IO.Directory.Delete(statePath, true); } catch (IOException) { }
            }
        }
    }
}
