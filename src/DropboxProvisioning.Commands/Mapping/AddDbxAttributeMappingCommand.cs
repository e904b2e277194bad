using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Adds an attribute mapping (Entra's "Add New Mapping").</para>
    /// <para type="description">The target attribute must be one the connection's API takes: over SCIM the SCIM User and Group attributes; over the Team API (Connect-DbxTenant -Api TeamApi) userName, the work e-mail, name.givenName, name.familyName, externalId, active, persistentId and role (member_only, team_admin, user_management_admin, support_admin or a pid_dbtmr: role id), and for groups displayName, externalId, members and managementType (company_managed or user_managed). An attribute of the other API only is refused with TeamApiOnlyAttribute or ScimOnlyAttribute.</para>
    /// <example><code>Add-DbxAttributeMapping -TargetAttribute role -ConstantValue support_admin</code></example>
    /// <example><code>Add-DbxAttributeMapping -ObjectType Group -TargetAttribute managementType -ConstantValue user_managed</code></example>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "DbxAttributeMapping", SupportsShouldProcess = true, DefaultParameterSetName = "Direct")]
    [OutputType(typeof(MappingEntry))]
    public sealed class AddDbxAttributeMappingCommand : DbxConfigurationCmdlet
    {
        [Parameter]
        public ObjectType ObjectType { get; set; } = ObjectType.User;

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string TargetAttribute { get; set; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Direct")]
        [ValidateNotNullOrEmpty]
        public string SourceAttribute { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "Expression")]
        [ValidateNotNullOrEmpty]
        public string Expression { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "Constant")]
        [ValidateNotNull]
        public string ConstantValue { get; set; }

        [Parameter]
        public string DefaultValue { get; set; }

        [Parameter]
        public ApplyMapping Apply { get; set; } = ApplyMapping.Always;

        [Parameter]
        [ValidateRange(0, 20)]
        public int MatchingPrecedence { get; set; }

        protected override void OnProcessRecord()
        {
            var mapping = new AttributeMapping
            {
                Type = ParameterSetName == "Expression" ? MappingType.Expression : ParameterSetName == "Constant" ? MappingType.Constant : MappingType.Direct,
                SourceAttribute = SourceAttribute,
                Expression = Expression,
                ConstantValue = ConstantValue,
                TargetAttribute = TargetSchema.Normalize(TargetAttribute),
                DefaultValue = DefaultValue,
                Apply = Apply,
                MatchingPrecedence = MatchingPrecedence,
            };
            var saved = EditConfiguration($"{ObjectType} mapping", $"Add mapping {mapping.Source} -> '{mapping.TargetAttribute}'", configuration =>
            {
                var objectMapping = configuration.Mappings.For(ObjectType);
                if (MappingEditor.Find(objectMapping, TargetAttribute) != null)
                    throw new DbxException("MappingExists", DbxErrorCategory.ResourceExists,
                        $"The {ObjectType} mapping already maps '{TargetAttribute}'; change it with Set-DbxAttributeMapping.", target: TargetAttribute);
                objectMapping.Attributes.Add(mapping);
            });
            if (saved != null) WriteObject(new MappingEntry(ObjectType, saved.Mappings.For(ObjectType).Attributes.Last()));
        }
    }
}
