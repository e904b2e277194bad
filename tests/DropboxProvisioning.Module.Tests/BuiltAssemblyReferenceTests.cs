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
    /// What the package's assemblies reference, read from their metadata. PowerShell 7: the cmdlets (loaded into the
    /// default context) name nothing that the loader isolates. Windows PowerShell 5.1, which cannot run here: every
    /// reference of every shipped assembly binds, on .NET Framework 4.7.2, either to the framework itself or, through
    /// the loader's own resolution rules, to a shipped file of an equal or higher version, or is one of the built
    /// assemblies the package leaves out because no cycle loads them (Microsoft.Graph.Core's authentication stack).
    /// </summary>
    public sealed class BuiltAssemblyReferenceTests
    {
        /// <summary>What PowerShell itself provides: netstandard (the .NET Framework 4.7.2 facade or .NET), and PowerShell 5.1's engine.</summary>
        private static readonly Version WindowsPowerShellEngine = new Version(3, 0, 0, 0);

        private static string Top(string name) => Path.Combine(ModuleFiles.PackageFolder, name + ".dll");

        private static IReadOnlyList<AssemblyName> ThirdPartyReferences(string file) =>
            ModuleFiles.References(file).Where(r => r.Name != "netstandard" && r.Name != "System.Management.Automation"
                && !r.Name.StartsWith("DropboxProvisioning.", StringComparison.Ordinal)).ToList();

        [Fact]
        public void The_cmdlet_assembly_references_nothing_that_is_isolated()
        {
            var commands = Top("DropboxProvisioning.Commands");
            Assert.Empty(ThirdPartyReferences(commands).Select(r => r.FullName));
            // What it does reference of the module's own is in Dependencies/, where only the loader's context finds it.
            foreach (var own in ModuleFiles.References(commands).Where(r => r.Name.StartsWith("DropboxProvisioning.", StringComparison.Ordinal)))
            {
                Assert.False(File.Exists(Top(own.Name)), own.Name + " is beside the cmdlets, where PowerShell's default context would load it");
                Assert.NotNull(new DependencyFolder(ModuleFiles.DependencyFolder).Resolve(own));
            }
            // The same check on the engine sees what it must: the engine does name third-party assemblies.
            Assert.Contains(ThirdPartyReferences(Path.Combine(ModuleFiles.DependencyFolder, "DropboxProvisioning.Engine.dll")), r => r.Name == "Newtonsoft.Json");
        }

        [Fact]
        public void The_loader_references_only_netstandard_and_PowerShell_and_its_load_context_only_NET_s_loader()
        {
            // Windows PowerShell 5.1 reads every type of a module assembly at import: nothing in the loader may need an
            // assembly that .NET Framework lacks. The AssemblyLoadContext subclass is in its own file, loaded on .NET only.
            var loader = ModuleFiles.References(Top("DropboxProvisioning.Loader")).Select(r => r.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(new[] { "netstandard", "System.Management.Automation" }, loader);
            var loadContext = ModuleFiles.References(Top("DropboxProvisioning.LoadContext")).Select(r => r.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(new[] { "netstandard", "System.Runtime.Loader" }, loadContext);
            Assert.DoesNotContain(ModuleFiles.References(Top("DropboxProvisioning.Commands")), r => r.Name == "DropboxProvisioning.LoadContext");
            Assert.False(File.Exists(Path.Combine(ModuleFiles.PackageFolder, "System.Runtime.Loader.dll")));
            Assert.False(File.Exists(Path.Combine(ModuleFiles.DependencyFolder, "System.Runtime.Loader.dll")));
        }

        [Fact]
        public void Every_reference_of_every_shipped_assembly_binds_on_NET_Framework_4_7_2()
        {
            var framework = ModuleFiles.Net472Assemblies();
            var folder = new DependencyFolder(ModuleFiles.DependencyFolder);
            var problems = new List<string>();
            var checkedReferences = 0;
            // Built but not shipped, because no cycle loads them (ShippedDependencyTests proves that on PowerShell 7, the
            // mono smoke on a .NET Framework profile): Graph.Core's authentication stack, Kiota's serializers...
            var trimmed = new HashSet<string>(Directory.GetFiles(ModuleFiles.BuildDependencyFolder, "*.dll").Select(Path.GetFileNameWithoutExtension)
                .Where(n => !File.Exists(Path.Combine(ModuleFiles.DependencyFolder, n + ".dll"))), StringComparer.OrdinalIgnoreCase);
            var trimmedReferences = new List<string>();
            foreach (var file in ModuleFiles.ShippedAssemblies())
            {
                foreach (var reference in ModuleFiles.References(file))
                {
                    checkedReferences++;
                    var what = $"{Path.GetFileName(file)} -> {reference.FullName}";
                    if (reference.Name == "System.Management.Automation")
                    {
                        if (reference.Version > WindowsPowerShellEngine) problems.Add(what + ": newer than Windows PowerShell 5.1's engine (3.0.0.0)");
                        continue;
                    }
                    if (framework.TryGetValue(reference.Name, out var provided) && ResolutionRules.Accepts(reference, provided)) continue;
                    if (reference.Name == "System.Runtime.Loader" && file.EndsWith("DropboxProvisioning.LoadContext.dll", StringComparison.Ordinal)) continue; // .NET only, never loaded on .NET Framework
                    if (folder.Resolve(reference) != null) continue;
                    if (trimmed.Contains(reference.Name)) { trimmedReferences.Add(what); continue; }
                    var shipped = Path.Combine(ModuleFiles.DependencyFolder, reference.Name + ".dll");
                    problems.Add(what + (File.Exists(shipped) ? ": the shipped copy is " + ModuleFiles.Identity(shipped).FullName : ": neither in .NET Framework 4.7.2 nor shipped"));
                }
            }
            Assert.True(checkedReferences > 50, "only " + checkedReferences + " references read");
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            // Only third-party code names what is left out (Graph.Core its authentication stack, Kiota.Abstractions Std.UriTemplate...);
            // the module's own assemblies never do.
            Assert.NotEmpty(trimmedReferences);
            Assert.DoesNotContain(trimmedReferences, r => r.StartsWith("DropboxProvisioning.", StringComparison.Ordinal));
        }

        [Fact]
        public void The_resolution_rules_the_test_applies_refuse_what_would_not_bind()
        {
            var folder = new DependencyFolder(ModuleFiles.DependencyFolder);
            var newtonsoft = ModuleFiles.Identity(Path.Combine(ModuleFiles.DependencyFolder, "Newtonsoft.Json.dll"));
            Assert.NotNull(folder.Resolve(new AssemblyName(newtonsoft.FullName.Replace("13.0.0.0", "12.0.0.0"))));
            Assert.Null(folder.Resolve(new AssemblyName(newtonsoft.FullName.Replace("13.0.0.0", "14.0.0.0"))));
            Assert.Null(folder.Resolve(new AssemblyName("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef")));
            Assert.Null(folder.Resolve(new AssemblyName("Microsoft.Graph.Core, Version=4.0.1.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35")));
            // Azure.Core ships now (for Azure.Storage.Blobs): an older version asked for gets the shipped copy, a newer one does not.
            var azureCore = ModuleFiles.Identity(Path.Combine(ModuleFiles.DependencyFolder, "Azure.Core.dll"));
            Assert.NotNull(folder.Resolve(new AssemblyName("Azure.Core, Version=1.0.0.0, Culture=neutral, PublicKeyToken=92742159e12e44c8")));
            Assert.Null(folder.Resolve(new AssemblyName($"Azure.Core, Version={azureCore.Version.Major + 1}.0.0.0, Culture=neutral, PublicKeyToken=92742159e12e44c8")));
        }

        [Fact]
        public void Only_assemblies_the_module_can_load_are_shipped()
        {
            var folder = new DependencyFolder(ModuleFiles.DependencyFolder);
            var reachable = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var pending = new Queue<string>(new[] { Top("DropboxProvisioning.Commands"), Top("DropboxProvisioning.Loader"), Top("DropboxProvisioning.LoadContext") });
            while (pending.Count > 0)
            {
                var file = pending.Dequeue();
                if (!reachable.Add(Path.GetFullPath(file))) continue;
                foreach (var reference in ModuleFiles.References(file))
                {
                    var shipped = folder.Resolve(reference);
                    if (shipped != null) pending.Enqueue(shipped);
                }
            }
            var extra = ModuleFiles.ShippedAssemblies().Select(Path.GetFullPath).Where(f => !reachable.Contains(f)).ToList();
            Assert.True(extra.Count == 0, "shipped but referenced by nothing the module loads:\n" + string.Join("\n", extra));
            var everything = Directory.GetFiles(ModuleFiles.PackageFolder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
            Assert.DoesNotContain("System.Management.Automation.dll", everything);
            Assert.DoesNotContain(everything, f => f.EndsWith(".pdb", StringComparison.Ordinal) || f.EndsWith(".deps.json", StringComparison.Ordinal));
            Assert.DoesNotContain(everything, f => f.Contains("Tests") || f.Contains("TestSupport") || f.Contains("Benchmarks") || f.StartsWith("dbxhost", StringComparison.Ordinal) || f.Contains(".Host."));
            // Of the Azure SDK, only what the state in Azure Blob Storage loads; no identity stack (MSAL, IdentityModel, Azure.Identity).
            Assert.Equal(new[] { "Azure.Core.dll", "Azure.Storage.Blobs.dll", "Azure.Storage.Common.dll" }, everything.Where(f => f.StartsWith("Azure.", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal));
            Assert.DoesNotContain(everything, f => f.Contains("IdentityModel") || f.StartsWith("Microsoft.Identity.", StringComparison.Ordinal));
        }
    }
}
