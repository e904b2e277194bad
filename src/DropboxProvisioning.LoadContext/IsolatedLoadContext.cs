using System;
using System.Collections.Concurrent;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace DropboxProvisioning.LoadContext
{
    /// <summary>
    /// PowerShell 7: the load context of the module's engine, as PowerShell's documentation on resolving assembly
    /// conflicts describes. The cmdlets (in the default context) reference the engine by name; the default context
    /// cannot find it, so <see cref="OnDefaultResolving"/> loads it here, and from then on every assembly the engine
    /// needs is asked of this context first: the module's own copy, never another module's. .NET's own assemblies
    /// (System.*, netstandard) are left to the default context unless the module ships a higher version.
    /// Which file answers which name is the loader's decision (its DependencyFolder and ResolutionRules), given here
    /// as delegates so that this assembly references nothing of the module.
    /// </summary>
    public sealed class IsolatedLoadContext : AssemblyLoadContext
    {
        private static IsolatedLoadContext _context;
        private static readonly string RuntimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location);
        private readonly Func<AssemblyName, string> _shippedFile;
        private readonly Func<AssemblyName, bool> _isModuleAssembly;
        private readonly ConcurrentDictionary<string, Version> _runtimeVersions = new ConcurrentDictionary<string, Version>(StringComparer.OrdinalIgnoreCase);

        private IsolatedLoadContext(Func<AssemblyName, string> shippedFile, Func<AssemblyName, bool> isModuleAssembly)
        {
            _shippedFile = shippedFile;
            _isModuleAssembly = isModuleAssembly;
        }

        /// <summary>Called by the loader (by reflection, on .NET only) when the module is imported.</summary>
        public static void Install(Func<AssemblyName, string> shippedFile, Func<AssemblyName, bool> isModuleAssembly)
        {
            if (_context == null) _context = new IsolatedLoadContext(shippedFile, isModuleAssembly);
            Default.Resolving += OnDefaultResolving;
        }

        public static void Uninstall() => Default.Resolving -= OnDefaultResolving;

        private static Assembly OnDefaultResolving(AssemblyLoadContext context, AssemblyName name) =>
            _context._isModuleAssembly(name) && _context._shippedFile(name) != null ? _context.LoadFromAssemblyName(name) : null;

        protected override Assembly Load(AssemblyName name)
        {
            if (RuntimeProvides(name)) return null;
            var file = _shippedFile(name);
            return file == null ? null : LoadFromAssemblyPath(file);
        }

        /// <summary>Whether the .NET runtime itself has this assembly at the version asked for (System.Memory, System.Text.Json...).</summary>
        private bool RuntimeProvides(AssemblyName name)
        {
            if (name.Name == null) return false;
            var version = _runtimeVersions.GetOrAdd(name.Name, n =>
            {
                var file = Path.Combine(RuntimeFolder, n + ".dll");
                try { return File.Exists(file) ? AssemblyName.GetAssemblyName(file).Version : null; }
                catch (BadImageFormatException) { return null; }
            });
            return version != null && (name.Version == null || version >= name.Version);
        }
    }
}
