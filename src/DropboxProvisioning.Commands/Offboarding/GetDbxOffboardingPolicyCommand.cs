using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Offboarding
{
    /// <summary>
    /// <para type="synopsis">Shows the job's offboarding policy: its rules in the order they are tried, then the default rule.</para>
    /// <para type="description">Nothing is shown when the job has no policy: leavers are then suspended, as always. The members suspended by a rule that removes them later, and when, are in (Get-DbxProvisioningStatus).PendingRemovals.</para>
    /// <para type="link">Set-DbxOffboardingPolicy</para>
    /// <para type="link">Remove-DbxOffboardingPolicy</para>
    /// <para type="link">Get-DbxProvisioningStatus</para>
    /// </summary>
    /// <example>
    /// <para>Lists the rules, each as one line.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxOffboardingPolicy -Default -WipeData | Out-Null
    /// Get-DbxOffboardingPolicy | Format-Table Name, Text
    /// </code>
    /// </example>
    /// <example>
    /// <para>Shows only the rules whose name starts with Sal.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxOffboardingPolicy -Name Sales -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Sales' } -WipeData | Out-Null
    /// Get-DbxOffboardingPolicy -Name Sal*
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "DbxOffboardingPolicy")]
    [OutputType(typeof(OffboardingRule))]
    public sealed class GetDbxOffboardingPolicyCommand : DbxConnectedCmdlet
    {
        /// <summary>Only rules whose name matches (wildcards allowed; the default rule is "Default").</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        protected override void OnEndProcessing()
        {
            var policy = RequireConnection().Store.LoadConfiguration().Offboarding;
            if (policy == null) return;
            var pattern = Name == null ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            var rules = policy.Rules.Concat(policy.Default == null ? new OffboardingRule[0] : new[] { policy.Default });
            foreach (var rule in rules)
                if (pattern == null || pattern.IsMatch(rule.Name ?? OffboardingPolicy.DefaultRuleName))
                    WriteObject(rule.Clone());
        }
    }
}
