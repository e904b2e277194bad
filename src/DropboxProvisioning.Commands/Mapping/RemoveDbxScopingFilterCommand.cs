using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Removes a scoping filter. Objects it kept in scope may leave scope and be suspended by the next cycle.</para>
    /// <para type="description">Objects that only this filter kept in scope leave scope: with no filter left, every assigned object is in scope again. Run Invoke-DbxProvisioningCycle -WhatIf to see the effect before the next cycle.</para>
    /// <para type="link">Get-DbxScopingFilter</para>
    /// <para type="link">Add-DbxScopingFilter</para>
    /// </summary>
    /// <example>
    /// <para>Removes the Sales filter.</para>
    /// <code>
    /// Add-DbxScopingFilter -Name Sales -SourceAttribute department -Operator EQUALS -Value Sales | Out-Null
    /// Remove-DbxScopingFilter -Name Sales
    /// </code>
    /// </example>
    /// <example>
    /// <para>Shows what removing every user filter would do, from Get-DbxScopingFilter output.</para>
    /// <code>
    /// Add-DbxScopingFilter -Name Sales -SourceAttribute department -Operator EQUALS -Value Sales | Out-Null
    /// Get-DbxScopingFilter -ObjectType User | Remove-DbxScopingFilter -WhatIf
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "DbxScopingFilter", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveDbxScopingFilterCommand : DbxConfigurationCmdlet
    {
        /// <summary>The object mapping: User (default) or Group.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ObjectType ObjectType { get; set; } = ObjectType.User;

        /// <summary>The name of the filter to remove.</summary>
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
