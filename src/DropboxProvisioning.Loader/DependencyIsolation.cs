using System;
using System.Runtime.CompilerServices;

namespace DropboxProvisioning.Loader
{
    /// <summary>
    /// Chooses the isolation the runtime allows: on .NET (PowerShell 7) a load context of the module's own;
    /// on .NET Framework (Windows PowerShell 5.1), which has none, an AssemblyResolve handler that answers only
    /// with the module's own files, and TLS 1.2 switched on. Each path is in its own class and never inlined, so
    /// that .NET Framework never compiles a method that names AssemblyLoadContext.
    /// </summary>
    public static class DependencyIsolation
    {
        private static readonly object Gate = new object();
        private static bool _installed;

        /// <summary>True on .NET Core and .NET 5+, where System.Private.CoreLib defines AssemblyLoadContext.</summary>
        public static bool HasLoadContexts { get; } = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext") != null;

        /// <summary>The module's isolated dependencies, once installed (null before).</summary>
        public static DependencyFolder Folder { get; private set; }

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

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InstallLoadContext(DependencyFolder folder) => IsolatedLoadContext.Install(folder);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void UninstallLoadContext() => IsolatedLoadContext.Uninstall();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InstallFrameworkResolver(DependencyFolder folder)
        {
            TlsPolicy.Apply();
            FrameworkResolver.Install(folder);
        }
    }
}
