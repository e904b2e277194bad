using System.IO;
using System.Management.Automation;
using System.Text;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Writes the job's mappings, scoping filters and settings to a readable JSON file, for source control or another tenant.</para>
    /// <para type="description">The file holds the user and group mappings, their scoping filters and the settings, indented and in a stable order, so that a change shows as a small diff in git. No secret is in it. Import-DbxProvisioningConfiguration applies it to this or another job.</para>
    /// <para type="link">Import-DbxProvisioningConfiguration</para>
    /// <para type="link">Get-DbxAttributeMapping</para>
    /// <para type="link">Get-DbxProvisioningSetting</para>
    /// </summary>
    /// <example>
    /// <para>Writes the configuration to a file and returns the file.</para>
    /// <code>
    /// Export-DbxProvisioningConfiguration -Path ./dropbox-provisioning.json
    /// </code>
    /// </example>
    /// <example>
    /// <para>Shows what a change of settings changes in the file.</para>
    /// <code>
    /// Export-DbxProvisioningConfiguration -Path ./before.json | Out-Null
    /// Set-DbxProvisioningSetting -DeletionThreshold 100
    /// Export-DbxProvisioningConfiguration -Path ./after.json | Out-Null
    /// Compare-Object (Get-Content ./before.json) (Get-Content ./after.json)
    /// </code>
    /// </example>
    [Cmdlet(VerbsData.Export, "DbxProvisioningConfiguration", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportDbxProvisioningConfigurationCommand : DbxConnectedCmdlet
    {
        /// <summary>The JSON file to write (relative paths are from the current location).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Refuse to overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            var path = ResolvePath(Path);
            if (NoClobber && File.Exists(path))
                ThrowTerminating("FileExists", ErrorCategory.ResourceExists, $"'{path}' exists and -NoClobber was given.", path);
            var configuration = connection.Store.LoadConfiguration();
            if (!ShouldProcess(path, "Export provisioning configuration")) return;
            try
            {
                File.WriteAllText(path, ConfigurationFile.ToJson(configuration) + "\n", new UTF8Encoding(false));
            }
            catch (System.Exception e) when (e is IOException || e is System.UnauthorizedAccessException || e is System.ArgumentException || e is System.NotSupportedException)
            {
                ThrowTerminatingError(Record("WriteFailed", ErrorCategory.WriteError, e.Message, path, e));
            }
            WriteObject(new FileInfo(path));
        }
    }
}
