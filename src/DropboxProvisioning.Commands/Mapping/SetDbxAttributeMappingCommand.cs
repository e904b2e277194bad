using System;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Commands.Completion;
using DropboxProvisioning.Reporting;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Changes an attribute mapping, or an object mapping's switches (enabled, target object actions).</para>
    /// <para type="description">The change is validated whole (expression syntax, functions, argument counts, target attribute, matching) before anything is saved.</para>
    /// <para type="link">Get-DbxAttributeMapping</para>
    /// <para type="link">Add-DbxAttributeMapping</para>
    /// <para type="link">Test-DbxAttributeMapping</para>
    /// </summary>
    /// <example>
    /// <para>Builds the display name from the given name and surname, and shows the mapping.</para>
    /// <code>
    /// Set-DbxAttributeMapping -TargetAttribute displayName -Expression 'Join(" ", [givenName], [surname])' -PassThru
    /// </code>
    /// </example>
    /// <example>
    /// <para>Takes the external id from the employee id, written only when the account is created.</para>
    /// <code>
    /// Set-DbxAttributeMapping -TargetAttribute externalId -SourceAttribute employeeId -Apply OnCreateOnly
    /// </code>
    /// </example>
    /// <example>
    /// <para>Stops provisioning groups: the group object mapping is switched off.</para>
    /// <code>
    /// Set-DbxAttributeMapping -ObjectType Group -Enabled $false
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "DbxAttributeMapping", SupportsShouldProcess = true, DefaultParameterSetName = AttributeSet)]
    [OutputType(typeof(MappingEntry))]
    public sealed class SetDbxAttributeMappingCommand : DbxConfigurationCmdlet
    {
        private const string AttributeSet = "Attribute";
        private const string ObjectSet = "Object";

        /// <summary>The object mapping: User (default) or Group.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ObjectType ObjectType { get; set; } = ObjectType.User;

        /// <summary>The Dropbox attribute of the mapping to change, as Get-DbxAttributeMapping shows it (userName, name.givenName, emails[type eq "work"].value...).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = AttributeSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TargetAttributeCompleter))]
        public string TargetAttribute { get; set; }

        /// <summary>Makes it a Direct mapping from this Entra attribute.</summary>
        [Parameter(ParameterSetName = AttributeSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SourceAttributeCompleter))]
        public string SourceAttribute { get; set; }

        /// <summary>Makes it an Expression mapping.</summary>
        [Parameter(ParameterSetName = AttributeSet)]
        [ValidateNotNullOrEmpty]
        public string Expression { get; set; }

        /// <summary>Makes it a Constant mapping.</summary>
        [Parameter(ParameterSetName = AttributeSet)]
        [ValidateNotNull]
        public string ConstantValue { get; set; }

        /// <summary>Sets the mapping type explicitly (None stops the attribute from flowing).</summary>
        [Parameter(ParameterSetName = AttributeSet)]
        public MappingType MappingType { get; set; }

        /// <summary>The value sent when the source attribute is empty.</summary>
        [Parameter(ParameterSetName = AttributeSet)]
        [AllowEmptyString]
        public string DefaultValue { get; set; }

        /// <summary>Always (every cycle) or OnCreateOnly (only when the account is created).</summary>
        [Parameter(ParameterSetName = AttributeSet)]
        public ApplyMapping Apply { get; set; }

        /// <summary>0 takes the attribute out of matching; 1 is tried first.</summary>
        [Parameter(ParameterSetName = AttributeSet)]
        [ValidateRange(0, 20)]
        public int MatchingPrecedence { get; set; }

        /// <summary>Switch the object mapping (users or groups) on or off, as Entra's "Enabled" toggle does.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ObjectSet)]
        public bool Enabled { get; set; }

        /// <summary>The target object actions left on (Create, Update, Delete); the others are switched off.</summary>
        [Parameter(ParameterSetName = ObjectSet)]
        [ValidateSet("Create", "Update", "Delete", IgnoreCase = true)]
        [AllowEmptyCollection]
        public string[] TargetObjectActions { get; set; }

        /// <summary>Write the changed mapping to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void OnProcessRecord()
        {
            if (ParameterSetName == ObjectSet)
            {
                var saved = EditConfiguration($"{ObjectType} mapping", (before, after) => SettingChanges.Describe(SettingChanges.Between(before.Mappings.For(ObjectType), after.Mappings.For(ObjectType))), configuration =>
                {
                    var mapping = configuration.Mappings.For(ObjectType);
                    if (MyInvocation.BoundParameters.ContainsKey(nameof(Enabled))) mapping.Enabled = Enabled;
                    if (TargetObjectActions != null)
                    {
                        mapping.Actions.Create = TargetObjectActions.Contains("Create", StringComparer.OrdinalIgnoreCase);
                        mapping.Actions.Update = TargetObjectActions.Contains("Update", StringComparer.OrdinalIgnoreCase);
                        mapping.Actions.Delete = TargetObjectActions.Contains("Delete", StringComparer.OrdinalIgnoreCase);
                    }
                });
                if (saved != null && PassThru)
                    foreach (var attribute in saved.Mappings.For(ObjectType).Attributes) WriteObject(new MappingEntry(ObjectType, attribute));
                return;
            }

            var given = new[] { SourceAttribute != null, Expression != null, ConstantValue != null }.Count(x => x);
            if (given > 1)
            {
                ThrowTerminating("AmbiguousSource", ErrorCategory.InvalidArgument, "Give only one of -SourceAttribute, -Expression and -ConstantValue.");
                return;
            }

            AttributeMapping result = null;
            var edited = EditConfiguration($"{ObjectType} mapping to '{TargetAttribute}'", (before, after) => SettingChanges.Describe(SettingChanges.Between(
                MappingEditor.Find(before.Mappings.For(ObjectType), TargetAttribute), MappingEditor.Find(after.Mappings.For(ObjectType), TargetAttribute))), configuration =>
            {
                var attribute = MappingEditor.Require(configuration.Mappings.For(ObjectType), TargetAttribute);
                if (SourceAttribute != null) { attribute.Type = DropboxProvisioning.Mapping.MappingType.Direct; attribute.SourceAttribute = SourceAttribute; attribute.Expression = null; attribute.ConstantValue = null; }
                if (Expression != null) { attribute.Type = DropboxProvisioning.Mapping.MappingType.Expression; attribute.Expression = Expression; attribute.SourceAttribute = null; attribute.ConstantValue = null; }
                if (ConstantValue != null) { attribute.Type = DropboxProvisioning.Mapping.MappingType.Constant; attribute.ConstantValue = ConstantValue; attribute.SourceAttribute = null; attribute.Expression = null; }
                if (MyInvocation.BoundParameters.ContainsKey(nameof(MappingType))) attribute.Type = MappingType;
                if (MyInvocation.BoundParameters.ContainsKey(nameof(DefaultValue))) attribute.DefaultValue = DefaultValue == "" ? null : DefaultValue;
                if (MyInvocation.BoundParameters.ContainsKey(nameof(Apply))) attribute.Apply = Apply;
                if (MyInvocation.BoundParameters.ContainsKey(nameof(MatchingPrecedence))) attribute.MatchingPrecedence = MatchingPrecedence;
                result = attribute;
            });
            if (edited != null && PassThru) WriteObject(new MappingEntry(ObjectType, result));
        }
    }
}
