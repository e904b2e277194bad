using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using DropboxProvisioning.Loader;
using Xunit;

namespace DropboxProvisioning.Module.Tests
{
    /// <summary>
    /// Only the assemblies the module loads are shipped. A fresh pwsh runs what an admin's session does (SCIM cycles, the
    /// log, on demand, a mapping preview, an export, a Team API cycle, the activity log) through the package; the package's
    /// Dependencies/ must be exactly what that loaded into the module's load context, plus the platform assemblies (System.*
    /// and Microsoft.Bcl.* backports) those reference that .NET Framework 4.7.2 lacks: PowerShell 7 takes them from .NET
    /// itself, so they never show in its load context, and Windows PowerShell 5.1 needs them from the module.
    /// </summary>
    public sealed class ShippedDependencyTests
    {
        [Fact]
        public void Dependencies_hold_what_a_session_loads_and_the_platform_assemblies_NET_Framework_lacks()
        {
            var pwsh = FreshPwsh.Run(ModuleFiles.Script("Invoke-ModuleWorkload.ps1"), new[] { "-Manifest", ModuleFiles.PackageManifest, "-StateStorageUri", TestSupport.Azurite.Shared.NewContainer() },
                new Dictionary<string, string> { ["DBX_STATE_KEY"] = TestSupport.Azurite.AccountKey });
            Assert.True(pwsh.ExitCode == 0, pwsh.Describe());
            foreach (var status in new[] { "scim.status", "scim.again", "teamapi.status", "blob.status" }) Assert.Equal("Succeeded", pwsh.Value(status));
            Assert.True(int.Parse(pwsh.Value("blob.created")) > 0 && int.Parse(pwsh.Value("blob.log")) > 0, pwsh.Describe());
            Assert.True(int.Parse(pwsh.Value("scim.created")) > 0 && int.Parse(pwsh.Value("teamapi.created")) > 0, pwsh.Describe());
            Assert.True(int.Parse(pwsh.Value("activity.records")) > 0, pwsh.Describe());

            var dependencies = Path.GetFullPath(ModuleFiles.DependencyFolder) + Path.DirectorySeparatorChar;
            var loaded = pwsh.Values("alc").Select(l => l.Split('|')).ToList();
            Assert.All(loaded, a => Assert.StartsWith(dependencies, a[2]));
            var loadedNames = new SortedSet<string>(loaded.Select(a => a[0]), StringComparer.OrdinalIgnoreCase);
            Assert.Contains("Microsoft.Graph.Core", loadedNames);
            Assert.Contains("Azure.Storage.Blobs", loadedNames);

            var platformOnlyOnNet = PlatformAssembliesNetFrameworkLacks(loadedNames);
            var expected = new SortedSet<string>(loadedNames.Concat(platformOnlyOnNet), StringComparer.OrdinalIgnoreCase);
            var shipped = new SortedSet<string>(Directory.GetFiles(ModuleFiles.DependencyFolder, "*.dll").Select(Path.GetFileNameWithoutExtension), StringComparer.OrdinalIgnoreCase);
            Assert.True(expected.SetEquals(shipped),
                "shipped but not loaded: " + string.Join(", ", shipped.Except(expected)) + "\nloaded or needed on .NET Framework but not shipped: " + string.Join(", ", expected.Except(shipped)) +
                "\nloaded: " + string.Join(", ", loadedNames) + "\nplatform assemblies .NET Framework 4.7.2 lacks: " + string.Join(", ", platformOnlyOnNet));
        }

        /// <summary>
        /// The references, transitively, of the loaded assemblies (read from the untrimmed build output) that are .NET's own
        /// on PowerShell 7 (in the runtime's folder, or a Microsoft.Bcl backport) and that .NET Framework 4.7.2 does not
        /// provide at the version asked for.
        /// </summary>
        private static SortedSet<string> PlatformAssembliesNetFrameworkLacks(IEnumerable<string> loaded)
        {
            var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
            var framework = ModuleFiles.Net472Assemblies();
            var result = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            var pending = new Queue<string>(loaded);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            while (pending.Count > 0)
            {
                var name = pending.Dequeue();
                if (!seen.Add(name)) continue;
                var file = Path.Combine(ModuleFiles.BuildDependencyFolder, name + ".dll");
                if (!File.Exists(file)) continue;
                foreach (var reference in ModuleFiles.References(file))
                {
                    var platform = File.Exists(Path.Combine(runtime, reference.Name + ".dll")) || reference.Name.StartsWith("Microsoft.Bcl.", StringComparison.Ordinal);
                    var provided = framework.TryGetValue(reference.Name, out var net472) && ResolutionRules.Accepts(reference, net472);
                    if (!platform || provided || reference.Name == "netstandard") continue;
                    result.Add(reference.Name);
                    pending.Enqueue(reference.Name);
                }
            }
            return result;
        }
    }
}
