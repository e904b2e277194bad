using System;
using System.Collections.Concurrent;
using System.IO;
using System.Reflection;

namespace DropboxProvisioning.Loader
{
    /// <summary>
    /// The module's Dependencies folder: the engine, the sandbox and the third-party assemblies they need, one file
    /// per simple name. A file's identity is read the first time its name is asked for, so an import reads none.
    /// </summary>
    public sealed class DependencyFolder
    {
        private readonly ConcurrentDictionary<string, AssemblyName> _identities = new ConcurrentDictionary<string, AssemblyName>(StringComparer.OrdinalIgnoreCase);

        public DependencyFolder(string path)
        {
            Path = path ?? throw new ArgumentNullException(nameof(path));
        }

        public string Path { get; }

        /// <summary>The module's own assemblies, which the cmdlets reference by name: the entry into the isolated set.</summary>
        public static bool IsModuleAssembly(AssemblyName name) =>
            name?.Name != null && name.Name.StartsWith("DropboxProvisioning.", StringComparison.OrdinalIgnoreCase);

        /// <summary>The shipped file that answers <paramref name="requested"/> under <see cref="ResolutionRules"/>, else null.</summary>
        public string Resolve(AssemblyName requested)
        {
            if (requested?.Name == null || requested.Name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0) return null;
            var file = System.IO.Path.Combine(Path, requested.Name + ".dll");
            var shipped = _identities.GetOrAdd(requested.Name, _ => File.Exists(file) ? AssemblyName.GetAssemblyName(file) : null);
            return shipped != null && ResolutionRules.Accepts(requested, shipped) ? file : null;
        }

        /// <summary>Whether <paramref name="path"/> is inside the module's folder (the Dependencies folder's parent).</summary>
        public bool IsInModule(string path)
        {
            if (string.IsNullOrEmpty(path)) return false;
            var module = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar));
            var full = System.IO.Path.GetFullPath(path);
            return module != null && full.StartsWith(module + System.IO.Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase);
        }
    }
}
