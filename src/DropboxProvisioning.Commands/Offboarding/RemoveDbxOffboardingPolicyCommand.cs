using System;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Offboarding
{
    /// <summary>
    /// <para type="synopsis">Removes a rule of the offboarding policy, the default rule, or the whole policy.</para>
    /// <para type="description">Without a policy leavers are suspended, as always. Members already suspended by a rule that removes them later stay suspended and are no longer removed: (Get-DbxProvisioningStatus).PendingRemovals shows them until they come back or are removed by hand.</para>
    /// <para type="link">Set-DbxOffboardingPolicy</para>
    /// <para type="link">Get-DbxOffboardingPolicy</para>
    /// </summary>
    /// <example>
    /// <para>Removes the rule named Sales.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxOffboardingPolicy -Name Sales -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Sales' } -WipeData | Out-Null
    /// Remove-DbxOffboardingPolicy -Name Sales
    /// </code>
    /// </example>
    /// <example>
    /// <para>Removes the whole policy without a prompt: leavers are suspended again, as a job without a policy does.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxOffboardingPolicy -Default -WipeData | Out-Null
    /// Remove-DbxOffboardingPolicy -All -Confirm:$false
    /// </code>
    /// </example>
    /// <example>
    /// <para>Removes every rule Get-DbxOffboardingPolicy gives, through the pipeline (-WhatIf: nothing is saved).</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxOffboardingPolicy -Name Temporary -Clause @{ Attribute = 'employeeType'; Operator = 'EQUALS'; Value = 'Temp' } | Out-Null
    /// Get-DbxOffboardingPolicy -Name Temp* | Remove-DbxOffboardingPolicy -WhatIf
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "DbxOffboardingPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Rule")]
    [OutputType(typeof(void))]
    public sealed class RemoveDbxOffboardingPolicyCommand : DbxConfigurationCmdlet
    {
        /// <summary>The rule to remove ("Default" is the default rule).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Rule", ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Removes the whole policy.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "All")]
        public SwitchParameter All { get; set; }

        protected override void OnProcessRecord()
        {
            if (All)
            {
                EditConfiguration("offboarding policy", (before, after) => before.Offboarding == null ? null : "Remove the whole offboarding policy", c => c.Offboarding = null);
                return;
            }
            EditConfiguration($"offboarding rule '{Name}'", "Remove offboarding rule", configuration =>
            {
                var policy = configuration.Offboarding;
                var isDefault = string.Equals(Name, OffboardingPolicy.DefaultRuleName, StringComparison.OrdinalIgnoreCase);
                var rule = policy == null ? null : isDefault ? policy.Default : policy.Rules.FirstOrDefault(r => string.Equals(r.Name, Name, StringComparison.OrdinalIgnoreCase));
                if (rule == null)
                    throw new DbxException("OffboardingRuleNotFound", DbxErrorCategory.ObjectNotFound, $"The offboarding policy has no rule named '{Name}'.", target: Name);
                if (isDefault) policy.Default = null;
                else policy.Rules.Remove(rule);
                if (policy.IsEmpty) configuration.Offboarding = null;
            });
        }
    }
}
