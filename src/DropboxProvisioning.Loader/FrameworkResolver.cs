using System;
using System.Reflection;

namespace DropboxProvisioning.Loader
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework: no load contexts, no binding redirects for a module). .NET Framework
    /// raises AssemblyResolve when it cannot bind a reference, for example when a shipped assembly was built against
    /// an older version of another shipped assembly (Kiota.Http 1.22 against DiagnosticSource 6.0.0.0). The handler
    /// answers with the module's own copy under <see cref="ResolutionRules"/>, and only for requests made by the
    /// module's own files (or by no known assembly): another module's failed bindings are left to that module.
    /// Strong-named assemblies of different versions load side by side, so another module's Newtonsoft.Json 12 and
    /// this module's 13 coexist.
    /// </summary>
    internal static class FrameworkResolver
    {
        private static DependencyFolder _folder;

        public static void Install(DependencyFolder folder)
        {
            _folder = folder;
            AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
        }

        public static void Uninstall() => AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;

        private static Assembly OnAssemblyResolve(object sender, ResolveEventArgs args)
        {
            var requesting = args.RequestingAssembly;
            if (requesting != null && (requesting.IsDynamic || !_folder.IsInModule(requesting.Location))) return null;
            AssemblyName name;
            try { name = new AssemblyName(args.Name); }
            catch (ArgumentException) { return null; }
            catch (System.IO.FileLoadException) { return null; }
            var file = _folder.Resolve(name);
            return file == null ? null : Assembly.LoadFrom(file);
        }
    }
}
