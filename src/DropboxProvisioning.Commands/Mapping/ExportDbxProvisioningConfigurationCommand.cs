using System.IO;
using System.Management.Automation;
using System.Text;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Writes the job's mappings, scoping filters and settings to a readable JSON file, for source control or another tenant.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "DbxProvisioningConfiguration", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportDbxProvisioningConfigurationCommand : DbxConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Refuse to overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (NoClobber && File.Exists(path))
                ThrowTerminating("FileExists", ErrorCategory.ResourceExists, $"'{path}' exists and -NoClobber was given.", path);
            var configuration = connection.Store.LoadConfiguration();
            if (!ShouldProcess(path, "Export provisioning configuration")) return;
            try
            {
                File.WriteAllText(path, ConfigurationFile.ToJson(configuration) + "\n", new UTF8Encoding(false));
            }
            catch (System.Exception e) when (e is IOException || e is System.UnauthorizedAccessException)
            {
                ThrowTerminatingError(Record("WriteFailed", ErrorCategory.WriteError, e.Message, path, e));
            }
            WriteObject(new FileInfo(path));
        }
    }
}
