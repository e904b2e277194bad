using System.IO;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Applies a configuration file written by Export-DbxProvisioningConfiguration. Everything is validated first; if any part is invalid, nothing changes.</para>
    /// <para type="description">The mappings are validated against the target attributes of the connection's API (SCIM or Team API): a file that maps an attribute the API does not have is refused.</para>
    /// <para type="link">Export-DbxProvisioningConfiguration</para>
    /// </summary>
    /// <example>
    /// <para>Saves the configuration, changes a setting, and puts the saved configuration back.</para>
    /// <code>
    /// Export-DbxProvisioningConfiguration -Path ./contoso.json | Out-Null
    /// Set-DbxProvisioningSetting -DeletionThreshold 10
    /// Import-DbxProvisioningConfiguration -Path ./contoso.json -Confirm:$false
    /// (Get-DbxProvisioningSetting).DeletionThreshold
    /// </code>
    /// </example>
    /// <example>
    /// <para>Copies the configuration of one job to another (here two sandbox jobs).</para>
    /// <code>
    /// $production = Connect-DbxTenant -Sandbox
    /// Add-DbxScopingFilter -Connection $production -Name Sales -SourceAttribute department -Operator EQUALS -Value Sales | Out-Null
    /// Export-DbxProvisioningConfiguration -Connection $production -Path ./production.json | Out-Null
    /// $rehearsal = Connect-DbxTenant -Sandbox -SandboxSeed 2
    /// Import-DbxProvisioningConfiguration -Connection $rehearsal -Path ./production.json -Confirm:$false
    /// Get-DbxScopingFilter -Connection $rehearsal
    /// </code>
    /// </example>
    [Cmdlet(VerbsData.Import, "DbxProvisioningConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class ImportDbxProvisioningConfigurationCommand : DbxConnectedCmdlet
    {
        /// <summary>The JSON file written by Export-DbxProvisioningConfiguration.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            var path = ResolvePath(Path);
            if (!File.Exists(path))
                ThrowTerminating("FileNotFound", ErrorCategory.ObjectNotFound, $"There is no file at '{path}'.", path);
            var configuration = ConfigurationFile.FromJson(File.ReadAllText(path), path);
            // The file is checked against both APIs' schemas; what is applied must suit this connection's API.
            ConfigurationFile.ValidateFor(configuration, connection.Api, path);
            if (!ShouldProcess(connection.StatePath, $"Replace the mappings, scoping filters and settings with those in '{path}'")) return;
            connection.Store.SaveConfiguration(configuration);
        }
    }
}
