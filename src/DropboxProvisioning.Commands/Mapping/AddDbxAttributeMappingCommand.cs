using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Commands.Completion;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Adds an attribute mapping (Entra's "Add New Mapping").</para>
    /// <para type="description">The target attribute must be one the connection's API takes: over SCIM the SCIM User and Group attributes; over the Team API (Connect-DbxTenant -Api TeamApi) userName, the work e-mail, name.givenName, name.familyName, externalId, active, persistentId, role (member_only, team_admin, user_management_admin, support_admin or a pid_dbtmr: role id), spaceLimitGb (the member's custom space limit in GB, a whole number of at least 2) and secondaryEmails (the member's secondary e-mails: from proxyAddresses, its smtp: aliases), and for groups displayName, externalId, members and managementType (company_managed or user_managed). An attribute of the other API only is refused with TeamApiOnlyAttribute or ScimOnlyAttribute.</para>
    /// <para type="link">Get-DbxAttributeMapping</para>
    /// <para type="link">Set-DbxAttributeMapping</para>
    /// <para type="link">Remove-DbxAttributeMapping</para>
    /// </summary>
    /// <example>
    /// <para>Maps Entra's job title to the SCIM title attribute.</para>
    /// <code>
    /// Add-DbxAttributeMapping -TargetAttribute title -SourceAttribute jobTitle
    /// </code>
    /// </example>
    /// <example>
    /// <para>Maps the department to the SCIM enterprise extension, with a default for users without one.</para>
    /// <code>
    /// Add-DbxAttributeMapping -TargetAttribute 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department' -SourceAttribute department -DefaultValue Unassigned
    /// </code>
    /// </example>
    /// <example>
    /// <para>Over the Team API: gives Sales members a custom space limit of 100 GB and everyone else 50 GB (member_space_limits/set_custom_quota; Dropbox's minimum is 2 GB), and previews it for one user.</para>
    /// <code>
    /// $teamApi = Connect-DbxTenant -Sandbox -Api TeamApi
    /// Add-DbxAttributeMapping -TargetAttribute spaceLimitGb -Expression 'IIF([department]="Sales", "100", "50")'
    /// Test-DbxAttributeMapping -SourceAttributes @{ userPrincipalName = 'ada@contoso.com'; givenName = 'Ada'; surname = 'Lovelace'; department = 'Sales'; accountEnabled = $true }
    /// </code>
    /// </example>
    /// <example>
    /// <para>Over the Team API: gives each member their Exchange aliases (proxyAddresses' smtp: entries, not the SMTP: primary) as Dropbox secondary e-mails (members/secondary_emails/add and delete; addresses added by hand stay), and shows what the next cycle would change.</para>
    /// <code>
    /// $teamApi = Connect-DbxTenant -Sandbox -Api TeamApi
    /// Add-DbxAttributeMapping -TargetAttribute secondaryEmails -SourceAttribute proxyAddresses
    /// Invoke-DbxProvisioningCycle -WhatIf
    /// </code>
    /// </example>
    /// <example>
    /// <para>Over the Team API: makes every provisioned group a user-managed group.</para>
    /// <code>
    /// $teamApi = Connect-DbxTenant -Sandbox -Api TeamApi
    /// Add-DbxAttributeMapping -ObjectType Group -TargetAttribute managementType -ConstantValue user_managed
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Add, "DbxAttributeMapping", SupportsShouldProcess = true, DefaultParameterSetName = "Direct")]
    [OutputType(typeof(MappingEntry))]
    public sealed class AddDbxAttributeMappingCommand : DbxConfigurationCmdlet
    {
        /// <summary>The object mapping to add to: User (default) or Group.</summary>
        [Parameter]
        public ObjectType ObjectType { get; set; } = ObjectType.User;

        /// <summary>The Dropbox attribute to write; it must be one the connection's API takes (see the description).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TargetAttributeCompleter))]
        public string TargetAttribute { get; set; }

        /// <summary>A Direct mapping: the Entra attribute whose value is written (userPrincipalName, department, extension_&lt;app id&gt;_&lt;name&gt;...).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Direct")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SourceAttributeCompleter))]
        public string SourceAttribute { get; set; }

        /// <summary>An Expression mapping: an expression in Entra's syntax (Join, Switch, ToLower, Replace, SelectUniqueValue...). Test-DbxAttributeMapping -Expression previews it.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Expression")]
        [ValidateNotNullOrEmpty]
        public string Expression { get; set; }

        /// <summary>A Constant mapping: the value written for every object.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Constant")]
        [ValidateNotNull]
        public string ConstantValue { get; set; }

        /// <summary>The value sent when the source attribute is empty.</summary>
        [Parameter]
        public string DefaultValue { get; set; }

        /// <summary>Always (every cycle; default) or OnCreateOnly (only when the account is created).</summary>
        [Parameter]
        public ApplyMapping Apply { get; set; } = ApplyMapping.Always;

        /// <summary>Use the attribute to match accounts: 1 is tried first; 0 (default) does not match on it.</summary>
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
