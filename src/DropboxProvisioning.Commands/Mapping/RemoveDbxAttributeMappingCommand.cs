using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Removes an attribute mapping. The only matching attribute cannot be removed.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "DbxAttributeMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveDbxAttributeMappingCommand : DbxConfigurationCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ObjectType ObjectType { get; set; } = ObjectType.User;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string TargetAttribute { get; set; }

        protected override void OnProcessRecord()
        {
            EditConfiguration($"{ObjectType} mapping to '{TargetAttribute}'", "Remove attribute mapping", configuration =>
            {
                var mapping = configuration.Mappings.For(ObjectType);
                mapping.Attributes.Remove(MappingEditor.Require(mapping, TargetAttribute));
            });
        }
    }
}
