using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Sync;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>The other ways into Graph: a certificate, the Automation account's managed identity, a token in hand.</summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class AuthenticationTests
    {
        private static Dictionary<string, object> Variables(LoopbackServer server) => new Dictionary<string, object>
        {
            ["scimUrl"] = server.ScimUrl.ToString(),
            ["root"] = server.BaseUri.ToString(),
            ["token"] = Security.SecureStrings.FromText(SandboxCredentials.ScimToken),
            ["statePath"] = Path.Combine(Path.GetTempPath(), "dbx-auth-" + Guid.NewGuid().ToString("N")),
        };

        private const string Common = " -TenantUrl $scimUrl -SecretToken $token -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId + "' -GraphEndpoint $root -StatePath $statePath";

        [Fact]
        public void Certificate_thumbprint_signs_a_client_assertion()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 8, Seed = 5 });
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=DropboxProvisioning test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            using var withKey = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
            tenant.Directory.RegisterCertificate(withKey);
            using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadWrite);
            store.Add(withKey);
            try
            {
                using var server = new LoopbackServer(tenant);
                using var ps = new PowerShellSession();
                var variables = Variables(server);
                variables["thumbprint"] = withKey.Thumbprint;
                var connection = ps.Single<DbxConnection>("Connect-DbxTenant -TenantId '" + SandboxCredentials.TenantId + "' -ClientId '" + SandboxCredentials.ClientId +
                    "' -CertificateThumbprint $thumbprint -AuthorityHost $root" + Common, variables);
                Assert.Equal(GraphAuthentication.Certificate, connection.Authentication);
                Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 0);
            }
            finally
            {
                store.Remove(withKey);
            }
        }

        [Fact]
        public void An_unknown_certificate_thumbprint_is_a_clear_error()
        {
            using var ps = new PowerShellSession();
            ps.Invoke("Connect-DbxTenant -TenantUrl https://www.dropbox.com/scim/v2 -SecretToken $t -TenantId contoso.onmicrosoft.com -ClientId '" + SandboxCredentials.ClientId +
                "' -CertificateThumbprint ('AB' * 20) -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId + "'",
                new Dictionary<string, object> { ["t"] = Security.SecureStrings.FromText("x") });
            Assert.StartsWith("ConnectDbxTenantCertificateNotFound,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void Managed_identity_uses_the_Automation_endpoint()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 8, Seed = 6 });
            using var server = new LoopbackServer(tenant);
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", new Uri(server.BaseUri, "/msi/token").ToString());
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", "automation-header");
            try
            {
                using var ps = new PowerShellSession();
                var connection = ps.Single<DbxConnection>("Connect-DbxTenant -ManagedIdentity" + Common, Variables(server));
                Assert.Equal(GraphAuthentication.ManagedIdentity, connection.Authentication);
                Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 0);
            }
            finally
            {
                Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", null);
                Environment.SetEnvironmentVariable("IDENTITY_HEADER", null);
            }
        }

        [Fact]
        public void Managed_identity_outside_Automation_says_so()
        {
            using var ps = new PowerShellSession();
            ps.Invoke("Connect-DbxTenant -ManagedIdentity -TenantUrl https://www.dropbox.com/scim/v2 -SecretToken $t -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId + "'",
                new Dictionary<string, object> { ["t"] = Security.SecureStrings.FromText("x") });
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith("ConnectDbxTenantManagedIdentityUnavailable,", error.FullyQualifiedErrorId);
            Assert.Contains("IDENTITY_ENDPOINT", error.Exception.Message);
        }

        [Fact]
        public void A_Graph_access_token_in_hand_is_used_as_it_is()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 8, Seed = 7 });
            using var server = new LoopbackServer(tenant);
            using var ps = new PowerShellSession();
            var variables = Variables(server);
            variables["graphToken"] = Security.SecureStrings.FromText(tenant.Directory.IssueAccessToken());
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -GraphAccessToken $graphToken" + Common, variables);
            Assert.Equal(GraphAuthentication.AccessToken, connection.Authentication);
            Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 0);
        }
    }

    /// <summary>Tests that set process environment variables run one at a time.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class EnvironmentCollection
    {
        public const string Name = "Process environment";
    }
}
