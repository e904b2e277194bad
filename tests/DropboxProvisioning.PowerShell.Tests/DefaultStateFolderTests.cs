using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Connect-DbxTenant without -StatePath keeps the job under the user's local application data
    /// (XDG_DATA_HOME, else ~/.local/share, on Linux; %LOCALAPPDATA% on Windows). When that cannot hold a folder, the
    /// admin gets a specific error that says to give -StatePath, in a real pwsh, not a raw .NET exception.
    /// </summary>
    public sealed class DefaultStateFolderTests
    {
        private readonly ITestOutputHelper _output;

        public DefaultStateFolderTests(ITestOutputHelper output) { _output = output; }

        [Fact]
        public void A_default_state_folder_that_cannot_be_made_is_an_error_that_says_to_give_StatePath()
        {
            // XDG_DATA_HOME is where .NET finds local application data on Linux; Windows asks the shell, not a variable.
            if (!OperatingSystem.IsLinux()) return;
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 5, Seed = 1 });
            using var server = new LoopbackServer(tenant);
            // A file where the data folder should be: no folder can be made under it, not even by root.
            var blocker = Path.Combine(Path.GetTempPath(), "dbx-not-a-folder-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(blocker, "a file, not a folder");
            try
            {
                var connect = "Connect-DbxTenant -TenantUrl $env:DBX_SCIM -SecretToken (ConvertTo-SecureString $env:DBX_TOKEN -AsPlainText -Force) " +
                    $"-TenantId '{SandboxCredentials.TenantId}' -ClientId '{SandboxCredentials.ClientId}' -ClientSecret (ConvertTo-SecureString $env:DBX_SECRET -AsPlainText -Force) " +
                    $"-ServicePrincipalId '{SandboxCredentials.ServicePrincipalId}' -GraphEndpoint $env:DBX_ROOT -AuthorityHost $env:DBX_ROOT";
                var script = "Import-Module ./DropboxProvisioning.psd1\n" +
                    "foreach ($command in @(\"" + connect + "\", \"" + connect + " -Api TeamApi -AppKey abcdefghijklmno\")) {\n" +
                    "  try { & ([scriptblock]::Create($command)) | Out-Null; 'RESULT connected' }\n" +
                    "  catch { \"RESULT $($_.FullyQualifiedErrorId)|$($_.CategoryInfo.Category)|$($_.ErrorDetails.RecommendedAction)|$($_.Exception.GetType().FullName)|$($_.Exception.Message)\" }\n" +
                    "}\n" +
                    "$c = Connect-DbxTenant -Sandbox -SandboxUserCount 5; \"RESULT sandbox $($c.StatePath)\"\n";
                var environment = new Dictionary<string, string>
                {
                    ["XDG_DATA_HOME"] = blocker, ["DBX_SCIM"] = server.ScimUrl.ToString(), ["DBX_ROOT"] = server.BaseUri.ToString(),
                    ["DBX_TOKEN"] = SandboxCredentials.ScimToken, ["DBX_SECRET"] = SandboxCredentials.ClientSecret,
                };
                var (results, output, _) = ChildHost.Run(new[] { "dotnet", "pwsh", "-NoProfile", "-NonInteractive", "-Command", script }, environment, TimeSpan.FromMinutes(3));
                _output.WriteLine(output);
                Assert.Equal(3, results.Count);
                // SCIM, then the Team API (which would keep its pending authorization there): the same error, before anything else.
                foreach (var result in results.Take(2))
                {
                    var parts = result.Split('|', 5);
                    Assert.Equal("ConnectDbxTenantStateDirectoryUnwritable,DropboxProvisioning.Commands.Connection.ConnectDbxTenantCommand", parts[0]);
                    Assert.Equal("WriteError", parts[1]);
                    Assert.Contains("-StatePath <folder>", parts[2]);
                    Assert.Contains("XDG_DATA_HOME", parts[2]);
                    Assert.DoesNotContain("System.IO", parts[3]);
                    Assert.StartsWith($"The default state folder '{Path.Combine(blocker, "DropboxProvisioning")}", parts[4]);
                }
                // The sandbox keeps its state in a temporary folder and is not affected.
                Assert.StartsWith("sandbox " + Path.GetTempPath().TrimEnd('/'), results[2]);
            }
            finally
            {
                File.Delete(blocker);
            }
        }
    }
}
