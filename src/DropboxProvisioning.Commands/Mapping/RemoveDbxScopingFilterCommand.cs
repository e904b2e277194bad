using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Removes a scoping filter. Objects it kept in scope may leave scope and be suspended by the next cycle.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "DbxScopingFilter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveDbxScopingFilterCommand : DbxConfigurationCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ObjectType ObjectType { get; set; } = ObjectType.User;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        protected override void OnProcessRecord()
        {
            EditConfiguration($"{ObjectType} scoping filter '{Name}'", "Remove scoping filter", configuration =>
            {
                var filters = configuration.Mappings.For(ObjectType).ScopingFilters;
                var filter = filters.FirstOrDefault(f => string.Equals(f.Name, Name, System.StringComparison.OrdinalIgnoreCase))
                    ?? throw new DbxException("ScopingFilterNotFound", DbxErrorCategory.ObjectNotFound, $"The {ObjectType} mapping has no scoping filter named '{Name}'.", target: Name);
                filters.Remove(filter);
            });
        }
    }
}
