using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace DropboxProvisioning.Module.Tests
{
    /// <summary>Where the built module, its package and the downloaded reference material are, and what a built assembly references.</summary>
    public static class ModuleFiles
    {
        public static string RepositoryRoot { get; } = FindRoot();

        public static string Version => Metadata("ModuleVersion");

        /// <summary>out/package/DropboxProvisioning/&lt;version&gt;: the module as the Gallery installs it (written by every build of the cmdlets).</summary>
        public static string PackageFolder => Path.Combine(RepositoryRoot, "out", "package", "DropboxProvisioning", Version);

        public static string PackageManifest => Path.Combine(PackageFolder, "DropboxProvisioning.psd1");

        public static string DependencyFolder => Path.Combine(PackageFolder, Loader.ModuleInitializer.DependencyFolderName);

        /// <summary>out/DropboxProvisioning/Dependencies: everything the build copied, before the package trims it.</summary>
        public static string BuildDependencyFolder => Path.Combine(RepositoryRoot, "out", "DropboxProvisioning", Loader.ModuleInitializer.DependencyFolderName);

        public static string Net472ReferenceAssemblies => Metadata("Net472ReferenceAssemblies");

        public static string NuGetPackageRoot => Metadata("NuGetPackageRoot");

        public static string ConflictFolder(string set) => Path.Combine(RepositoryRoot, "out", "conflicts", set);

        public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Scripts", name);

        /// <summary>Every assembly of the package: the cmdlets and the loader at the top, the isolated ones in Dependencies/.</summary>
        public static IReadOnlyList<string> ShippedAssemblies() =>
            Directory.GetFiles(PackageFolder, "*.dll", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList();

/// <summary>.NET Framework 4.7.2's assemblies and facades (netstandard 2.0 included), from Microsoft's reference assembly package.</summary>
        public static Dictionary<string, AssemblyName> Net472Assemblies()
        {
            var root = ModuleFiles.Net472ReferenceAssemblies;
            if (!Directory.Exists(root)) throw new Xunit.Sdk.XunitException(".NET Framework 4.7.2 reference assemblies not restored at " + root);
            var result = new Dictionary<string, AssemblyName>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in Directory.GetFiles(root, "*.dll").Concat(Directory.GetFiles(Path.Combine(root, "Facades"), "*.dll")))
            {
                try { result[Path.GetFileNameWithoutExtension(file)] = ModuleFiles.Identity(file); }
                catch (BadImageFormatException) { } // a native or module file among the facades
            }
            if (!result.ContainsKey("netstandard")) throw new Xunit.Sdk.XunitException("no netstandard facade in " + root);
            return result;
        }

        public static AssemblyName Identity(string file) => AssemblyName.GetAssemblyName(file);

        public static IReadOnlyList<AssemblyName> References(string file)
        {
            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            return metadata.AssemblyReferences.Select(h => metadata.GetAssemblyReference(h).GetAssemblyName()).ToList();
        }

        private static string Metadata(string key) =>
            typeof(ModuleFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value;

        private static string FindRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "DropboxProvisioning.psd1"))) return dir.FullName;
            throw new InvalidOperationException("DropboxProvisioning.psd1 not found above " + AppContext.BaseDirectory);
        }
    }
}
