using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace DropboxProvisioning.Loader
{
    /// <summary>
    /// Chooses the isolation the runtime allows: on .NET (PowerShell 7) a load context of the module's own, from
    /// DropboxProvisioning.LoadContext.dll beside this assembly, loaded by path and called by reflection, so that
    /// nothing here names AssemblyLoadContext (Windows PowerShell 5.1 reads every type of this assembly at import);
    /// on .NET Framework (Windows PowerShell 5.1), which has no load contexts, an AssemblyResolve handler that
    /// answers only with the module's own files, and TLS 1.2 switched on.
    /// </summary>
    public static class DependencyIsolation
    {
        private static readonly object Gate = new object();
        private static bool _installed;

        /// <summary>True on .NET Core and .NET 5+, where System.Private.CoreLib defines AssemblyLoadContext.</summary>
        public static bool HasLoadContexts { get; } = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext") != null;

        /// <summary>The module's isolated dependencies, once installed (null before).</summary>
        public static DependencyFolder Folder { get; private set; }

        public const string LoadContextAssemblyName = "DropboxProvisioning.LoadContext";

        private static Type _loadContext;

        public static void Install(string dependencyFolder)
        {
            lock (Gate)
            {
                if (_installed) return;
                Folder = Folder ?? new DependencyFolder(dependencyFolder);
                if (HasLoadContexts) InstallLoadContext(Folder);
                else InstallFrameworkResolver(Folder);
                _installed = true;
            }
        }

        public static void Uninstall()
        {
            lock (Gate)
            {
                if (!_installed) return;
                if (HasLoadContexts) UninstallLoadContext();
                else FrameworkResolver.Uninstall();
                _installed = false;
            }
        }

        private static void InstallLoadContext(DependencyFolder folder)
        {
            if (_loadContext == null)
            {
                var moduleFolder = Path.GetDirectoryName(typeof(DependencyIsolation).Assembly.Location);
                var assembly = Assembly.LoadFrom(Path.Combine(moduleFolder, LoadContextAssemblyName + ".dll"));
                _loadContext = assembly.GetType(LoadContextAssemblyName + ".IsolatedLoadContext", throwOnError: true);
            }
            Func<AssemblyName, string> shippedFile = folder.Resolve;
            Func<AssemblyName, bool> isModuleAssembly = DependencyFolder.IsModuleAssembly;
            _loadContext.GetMethod("Install").Invoke(null, new object[] { shippedFile, isModuleAssembly });
        }

        private static void UninstallLoadContext() => _loadContext?.GetMethod("Uninstall").Invoke(null, null);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InstallFrameworkResolver(DependencyFolder folder)
        {
            TlsPolicy.Apply();
            FrameworkResolver.Install(folder);
        }
    }
}
