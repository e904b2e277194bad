using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace DropboxProvisioning.Module.Tests
{
    /// <summary>
    /// The module and the assemblies other modules ship, in one fresh pwsh 7.6.9 process, in both orders (issue 15):
    /// Microsoft.Graph.Core 4.0.1 over Kiota 2.1.6, a newer Azure.Core and MSAL (Microsoft.Graph, Az.Accounts today);
    /// Kiota 1.3.3 and an old Azure.Core (older modules). A sandbox cycle runs through the packaged module and the
    /// other assemblies' own types work, before and after. Newtonsoft.Json is PowerShell 7's own (13.0.0.0, loaded at
    /// startup): another module cannot bring 12.0.3 into pwsh at all, so the script leaves it, and the module's own copy
    /// is seen loaded in its own context beside PowerShell's.
    /// </summary>
    public sealed class ConflictTests
    {
        [Theory]
        [InlineData("CurrentModules", "OthersFirst")]
        [InlineData("CurrentModules", "ModuleFirst")]
        [InlineData("OlderModules", "OthersFirst")]
        [InlineData("OlderModules", "ModuleFirst")]
        public void The_module_and_other_modules_assemblies_both_work_in_one_session(string set, string order)
        {
            var others = ModuleFiles.ConflictFolder(set);
            Assert.True(File.Exists(Path.Combine(others, "Microsoft.Kiota.Http.HttpClientLibrary.dll")), "not restored: " + others);
            var container = TestSupport.Azurite.Shared.NewContainer();
            var pwsh = FreshPwsh.Run(ModuleFiles.Script("Invoke-ConflictScenario.ps1"),
                new[] { "-Manifest", ModuleFiles.PackageManifest, "-Others", others, "-Order", order, "-Set", set, "-StateStorageUri", container },
                new Dictionary<string, string> { ["DBX_STATE_KEY"] = TestSupport.Azurite.AccountKey });
            Assert.True(pwsh.ExitCode == 0, pwsh.Describe());

            // This module's cycle.
            foreach (var label in order == "ModuleFirst" ? new[] { "cycle", "again" } : new[] { "cycle" })
            {
                Assert.True(pwsh.Value(label + ".status") == "Succeeded", pwsh.Describe());
                Assert.True(int.Parse(pwsh.Value(label + ".created")) > 0, pwsh.Describe());
                Assert.Equal("0", pwsh.Value(label + ".failed"));
                Assert.Equal(container + "/" + label, pwsh.Value(label + ".state")); // the state in Azure Blob Storage, through the module's Azure.Core
            }

            // The other modules' assemblies, in use, at their own versions (twice when they came first: before and after the cycle).
            var uses = order == "OthersFirst" ? 2 : 1;
            if (set == "CurrentModules")
            {
                Assert.Equal(Enumerable.Repeat("4.0.1.0", uses), pwsh.Values("graphcore"));
                Assert.All(pwsh.Values("graphcore.kiota"), v => Assert.StartsWith("2.", v));
                Assert.All(pwsh.Values("graphcore.client"), v => Assert.Equal("HttpClient", v));
                Assert.Equal(Enumerable.Repeat("1.64.0.0", uses), pwsh.Values("azurecore"));
                Assert.Equal(Enumerable.Repeat("4.90.0.0", uses), pwsh.Values("msal"));
                Assert.All(pwsh.Values("msal.authority"), v => Assert.Contains("contoso.onmicrosoft.com", v));
            }
            else
            {
                Assert.Equal(Enumerable.Repeat("1.3.3.0", uses), pwsh.Values("kiota"));
                Assert.All(pwsh.Values("kiota.handlers"), v => Assert.True(int.Parse(v) > 0));
                Assert.Equal(Enumerable.Repeat("1.16.0.0", uses), pwsh.Values("azurecore"));
            }
            Assert.All(pwsh.Values("azurecore.header"), v => Assert.Equal("x-ms-client-request-id", v));

            // Where each copy lives: the module's in its own context from its Dependencies folder, the others' in the default one.
            var assemblies = pwsh.Values("assembly").Select(l => l.Split('|')).ToList();
            var dependencies = Path.GetFullPath(ModuleFiles.DependencyFolder) + Path.DirectorySeparatorChar;
            foreach (var name in new[] { "DropboxProvisioning.Engine", "Microsoft.Graph.Core", "Newtonsoft.Json", "Microsoft.Kiota.Http.HttpClientLibrary", "Microsoft.Kiota.Abstractions" })
                Assert.Contains(assemblies, a => a[0] == name && a[2] == "IsolatedLoadContext" && a[3].StartsWith(dependencies, StringComparison.Ordinal));
            Assert.Contains(assemblies, a => a[0] == "Microsoft.Kiota.Http.HttpClientLibrary" && a[2] == "DefaultAssemblyLoadContext" && a[3].StartsWith(others, StringComparison.Ordinal));
            Assert.Contains(assemblies, a => a[0] == "Newtonsoft.Json" && a[2] == "DefaultAssemblyLoadContext");
            if (set == "CurrentModules")
                Assert.Contains(assemblies, a => a[0] == "Microsoft.Graph.Core" && a[1] == "4.0.1.0" && a[2] == "DefaultAssemblyLoadContext");
            Assert.Contains(assemblies, a => a[0] == "Microsoft.Graph.Core" && a[1] == "3.2.4.0" && a[2] == "IsolatedLoadContext");
            Assert.DoesNotContain(assemblies, a => a[2] == "DefaultAssemblyLoadContext" && a[3].StartsWith(dependencies, StringComparison.Ordinal));
            // Two Azure.Core copies: the other module's in the default context, the module's own (for Azure.Storage.Blobs) in its context.
            Assert.Contains(assemblies, a => a[0] == "Azure.Core" && a[1] == (set == "CurrentModules" ? "1.64.0.0" : "1.16.0.0") && a[2] == "DefaultAssemblyLoadContext");
            Assert.Contains(assemblies, a => a[0] == "Azure.Core" && a[2] == "IsolatedLoadContext" && a[3].StartsWith(dependencies, StringComparison.Ordinal));
            Assert.Contains(assemblies, a => a[0] == "Azure.Storage.Blobs" && a[2] == "IsolatedLoadContext" && a[3].StartsWith(dependencies, StringComparison.Ordinal));
        }
    }
}
