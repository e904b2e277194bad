using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Commands.Mapping
{
    /// <summary>
    /// <para type="synopsis">Shows the scoping filters of the user and group mappings.</para>
    /// <para type="description">An object is in scope when any one filter has all of its clauses true. With no filters, every assigned object is in scope.</para>
    /// <para type="link">Add-DbxScopingFilter</para>
    /// <para type="link">Remove-DbxScopingFilter</para>
    /// <para type="link">Test-DbxAttributeMapping</para>
    /// </summary>
    /// <example>
    /// <para>Shows the scoping filters of the user and group mappings.</para>
    /// <code>
    /// Get-DbxScopingFilter
    /// </code>
    /// </example>
    /// <example>
    /// <para>Adds a filter and shows the user filters whose name starts with Sal.</para>
    /// <code>
    /// Add-DbxScopingFilter -Name Sales -SourceAttribute department -Operator EQUALS -Value Sales | Out-Null
    /// Get-DbxScopingFilter -ObjectType User -Name Sal*
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "DbxScopingFilter")]
    [OutputType(typeof(ScopingFilterEntry))]
    public sealed class GetDbxScopingFilterCommand : DbxConnectedCmdlet
    {
        /// <summary>User or Group; both when omitted.</summary>
        [Parameter(Position = 0)]
        public ObjectType[] ObjectType { get; set; }

        /// <summary>Only filters whose name matches (wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            ProvisioningConfigurationView(connection, configuration =>
            {
                var pattern = Name == null ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
                foreach (var type in (ObjectType ?? new[] { DropboxProvisioning.Mapping.ObjectType.User, DropboxProvisioning.Mapping.ObjectType.Group }).Distinct())
                    foreach (var filter in configuration.Mappings.For(type).ScopingFilters)
                        if (pattern == null || pattern.IsMatch(filter.Name ?? ""))
                            WriteObject(new ScopingFilterEntry(type, filter));
            });
        }

        private void ProvisioningConfigurationView(DropboxProvisioning.Connection.DbxConnection connection, System.Action<State.ProvisioningConfiguration> show)
        {
            show(connection.Store.LoadConfiguration());
        }
    }
}
