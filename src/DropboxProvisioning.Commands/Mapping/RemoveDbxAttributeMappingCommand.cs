using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Commands.Completion;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Removes an attribute mapping. The only matching attribute cannot be removed.</para>
    /// <para type="description">The attribute stops flowing: Dropbox keeps the value it has. A mapping change makes the next cycle an initial one. The only attribute with a matching precedence cannot be removed, since accounts could no longer be matched.</para>
    /// <para type="link">Get-DbxAttributeMapping</para>
    /// <para type="link">Add-DbxAttributeMapping</para>
    /// <para type="link">Reset-DbxAttributeMapping</para>
    /// </summary>
    /// <example>
    /// <para>Stops sending the display name.</para>
    /// <code>
    /// Remove-DbxAttributeMapping -TargetAttribute displayName
    /// </code>
    /// </example>
    /// <example>
    /// <para>Shows what removing the e-mail mappings would do, from Get-DbxAttributeMapping output.</para>
    /// <code>
    /// Get-DbxAttributeMapping -ObjectType User -TargetAttribute emails* | Remove-DbxAttributeMapping -WhatIf
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "DbxAttributeMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveDbxAttributeMappingCommand : DbxConfigurationCmdlet
    {
        /// <summary>The object mapping: User (default) or Group.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ObjectType ObjectType { get; set; } = ObjectType.User;

        /// <summary>The Dropbox attribute whose mapping is removed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TargetAttributeCompleter))]
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
