using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Commands.Completion;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Shows the attribute mappings from Entra ID to Dropbox: the job's own, or the app's defaults when not connected.</para>
    /// <para type="description">One MappingEntry per attribute mapping: the target attribute in Dropbox, the mapping type (Direct, Constant, Expression, None), the source attribute, constant or expression, the default value, when it applies (Always or OnCreateOnly) and its matching precedence. Without a connection, the Dropbox for Business app's default mappings are shown.</para>
    /// <para type="link">Set-DbxAttributeMapping</para>
    /// <para type="link">Add-DbxAttributeMapping</para>
    /// <para type="link">Test-DbxAttributeMapping</para>
    /// <para type="link">Reset-DbxAttributeMapping</para>
    /// </summary>
    /// <example>
    /// <para>Shows the user and group mappings of the job.</para>
    /// <code>
    /// Get-DbxAttributeMapping
    /// </code>
    /// </example>
    /// <example>
    /// <para>Shows the user mappings to the name attributes.</para>
    /// <code>
    /// Get-DbxAttributeMapping -ObjectType User -TargetAttribute name.*
    /// </code>
    /// </example>
    /// <example>
    /// <para>Compares the job's user mappings with the app's defaults.</para>
    /// <code>
    /// Set-DbxAttributeMapping -TargetAttribute externalId -SourceAttribute employeeId
    /// Compare-Object (Get-DbxAttributeMapping -ObjectType User -Default) (Get-DbxAttributeMapping -ObjectType User) -Property TargetAttribute, Source
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "DbxAttributeMapping")]
    [OutputType(typeof(MappingEntry))]
    public sealed class GetDbxAttributeMappingCommand : DbxConnectedCmdlet
    {
        /// <summary>User or Group; both when omitted.</summary>
        [Parameter(Position = 0)]
        public ObjectType[] ObjectType { get; set; }

        /// <summary>Only mappings whose target attribute matches (wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TargetAttributeCompleter))]
        public string TargetAttribute { get; set; }

        /// <summary>Show the Dropbox app's default mappings (for the connection's API), whatever the job has.</summary>
        [Parameter]
        public SwitchParameter Default { get; set; }

        protected override void OnEndProcessing()
        {
            var connection = OptionalConnection();
            MappingConfiguration mappings;
            if (Default || connection == null)
            {
                if (!Default) WriteVerbose("Not connected: showing the Dropbox for Business app's default mappings.");
                mappings = DefaultMappings.Configuration(connection?.Api ?? DropboxProvisioning.Dropbox.DropboxApiKind.Scim);
            }
            else
            {
                mappings = connection.Store.LoadConfiguration().Mappings;
            }

            var pattern = TargetAttribute == null ? null : new WildcardPattern(TargetAttribute, WildcardOptions.IgnoreCase);
            var types = ObjectType ?? new[] { DropboxProvisioning.Mapping.ObjectType.User, DropboxProvisioning.Mapping.ObjectType.Group };
            foreach (var type in types.Distinct())
            {
                var objectMapping = mappings.For(type);
                if (objectMapping == null) continue;
                foreach (var attribute in objectMapping.Attributes)
                {
                    if (pattern != null && !pattern.IsMatch(attribute.TargetAttribute ?? "")) continue;
                    WriteObject(new MappingEntry(type, attribute));
                }
            }
        }
    }
}
