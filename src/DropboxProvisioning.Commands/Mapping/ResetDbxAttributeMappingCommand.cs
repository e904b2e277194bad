using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Puts the user or group mappings (or both) back to the Dropbox for Business app's defaults.</para>
    /// <para type="description">The defaults are those of the connection's API: over the Team API the user mapping has no displayName, which that API cannot set. A change of mappings makes the next cycle an initial one.</para>
    /// <para type="link">Get-DbxAttributeMapping</para>
    /// </summary>
    /// <example>
    /// <para>Puts every mapping back to the defaults without asking for confirmation.</para>
    /// <code>
    /// Set-DbxAttributeMapping -TargetAttribute externalId -SourceAttribute employeeId
    /// Reset-DbxAttributeMapping -Confirm:$false
    /// </code>
    /// </example>
    /// <example>
    /// <para>Resets the user mappings only, and shows them.</para>
    /// <code>
    /// Reset-DbxAttributeMapping -ObjectType User -Confirm:$false -PassThru
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Reset, "DbxAttributeMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(MappingEntry))]
    public sealed class ResetDbxAttributeMappingCommand : DbxConfigurationCmdlet
    {
        /// <summary>User or Group; both when omitted.</summary>
        [Parameter(Position = 0)]
        public ObjectType[] ObjectType { get; set; }

        /// <summary>Write the mappings as they are after the reset to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void OnEndProcessing()
        {
            var api = RequireConnection().Api;
            var types = ObjectType ?? new[] { DropboxProvisioning.Mapping.ObjectType.User, DropboxProvisioning.Mapping.ObjectType.Group };
            var saved = EditConfiguration(string.Join(" and ", types) + " mapping", $"Reset to the Dropbox for Business defaults ({(api == DropboxProvisioning.Dropbox.DropboxApiKind.TeamApi ? "Team API" : "SCIM")})", configuration =>
            {
                foreach (var type in types)
                {
                    if (type == DropboxProvisioning.Mapping.ObjectType.User) configuration.Mappings.User = DefaultMappings.Users(api);
                    else configuration.Mappings.Group = DefaultMappings.Groups();
                }
            });
            if (saved == null || !PassThru) return;
            foreach (var type in types)
                foreach (var attribute in saved.Mappings.For(type).Attributes) WriteObject(new MappingEntry(type, attribute));
        }
    }
}
