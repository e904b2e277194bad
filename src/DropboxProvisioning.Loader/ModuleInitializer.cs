using System.IO;
using System.Management.Automation;

namespace DropboxProvisioning.Loader
{
    /// <summary>
    /// Runs when Import-Module reaches the loader, which the manifest lists as a nested module so that PowerShell
    /// imports it before the cmdlets: from then on the engine, the sandbox and their third-party assemblies come
    /// from the module's own Dependencies folder, whatever other modules of the session have loaded.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public const string DependencyFolderName = "Dependencies";

        public void OnImport()
        {
            var moduleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location);
            DependencyIsolation.Install(Path.Combine(moduleFolder, DependencyFolderName));
        }

        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyIsolation.Uninstall();
    }
}
