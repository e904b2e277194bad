using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping.Scoping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Offboarding
{
    /// <summary>
    /// <para type="synopsis">Adds or changes a rule of the job's offboarding policy (Team API): what happens to the Dropbox member of a user who leaves scope, has sign-in blocked or is soft-deleted.</para>
    /// <para type="description">Rules are tried in order against the leaver's Entra attributes (clauses as a scoping filter's); the first whose clauses all hold wins, else the default rule (-Default); with no policy a leaver is suspended, as always. -Action Suspend suspends (members/suspend, with -WipeData its devices are wiped); -Action SuspendThenRemove suspends now and removes the member (members/remove) after -RemoveAfterDays unless the user comes back, its files going to the user's manager, to a member an attribute or expression names, or to a fixed member (-TransferFilesTo, -TransferTarget, -TransferAdmin), or the person keeping a Basic account (-KeepAccount, -RetainTeamShares). Only the parameters given change; the policy is validated whole before it is saved. Over SCIM a policy is refused (TeamApiOnlyOffboardingPolicy). Changing the policy makes the next cycle an initial one, as a scoping filter change does.</para>
    /// <para type="link">Get-DbxOffboardingPolicy</para>
    /// <para type="link">Remove-DbxOffboardingPolicy</para>
    /// <para type="link">Add-DbxScopingFilter</para>
    /// </summary>
    /// <example>
    /// <para>Every leaver is suspended with its devices wiped.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxOffboardingPolicy -Default -Action Suspend -WipeData
    /// </code>
    /// </example>
    /// <example>
    /// <para>Sales leavers are suspended, then removed after 30 days with their files going to their manager; transfer errors go to it-admin@contoso.com.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxOffboardingPolicy -Name Sales -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Sales' } -Action SuspendThenRemove -RemoveAfterDays 30 -TransferFilesTo Manager -TransferAdmin it-admin@contoso.com
    /// </code>
    /// </example>
    /// <example>
    /// <para>Contractors keep a Basic account with the folders shared with them when they are removed a week after leaving; the rule is tried first.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxOffboardingPolicy -Name Contractors -Clause @{ Attribute = 'jobTitle'; Operator = 'REGEX MATCH'; Value = '(?i)contractor' } -Action SuspendThenRemove -RemoveAfterDays 7 -KeepAccount -RetainTeamShares -Position 1
    /// </code>
    /// </example>
    /// <example>
    /// <para>The files of removed leavers go to the member a directory extension names (one your HR sync fills with the successor's e-mail), or to a fixed archive member for a rule of its own.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxOffboardingPolicy -Default -Action SuspendThenRemove -RemoveAfterDays 14 -TransferFilesTo Attribute -TransferTarget extension_9c8f3b0e1a2d4c5b8e7f6a5b4c3d2e1f_successorMail -TransferAdmin it-admin@contoso.com
    /// Set-DbxOffboardingPolicy -Name Legal -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Legal' } -Action SuspendThenRemove -RemoveAfterDays 0 -TransferFilesTo Member -TransferTarget archive@contoso.com -TransferAdmin it-admin@contoso.com
    /// </code>
    /// </example>
    /// <example>
    /// <para>The recipient is given by an expression over the leaver's attributes; -WhatIf shows the change and saves nothing.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxOffboardingPolicy -Name Interns -Clause @{ Attribute = 'employeeType'; Operator = 'EQUALS'; Value = 'Intern' } -Action SuspendThenRemove -RemoveAfterDays 3 -TransferFilesTo Expression -TransferTarget 'Join("@", "mentors", "contoso.com")' -TransferAdmin it-admin@contoso.com -WhatIf
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "DbxOffboardingPolicy", SupportsShouldProcess = true, DefaultParameterSetName = "Rule")]
    [OutputType(typeof(OffboardingRule))]
    public sealed class SetDbxOffboardingPolicyCommand : DbxConfigurationCmdlet
    {
        /// <summary>The rule's name; a rule of that name is changed, else one is added (last, or at -Position).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Rule", ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Sets the default rule: the one for leavers no other rule takes (and for users Entra no longer returns).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Default")]
        public SwitchParameter Default { get; set; }

        /// <summary>The rule's clauses, as hashtables with Attribute, Operator and (where the operator needs one) Value, as Add-DbxScopingFilter takes them; all must hold. Required for a new rule.</summary>
        [Parameter(ParameterSetName = "Rule")]
        [ValidateNotNullOrEmpty]
        public Hashtable[] Clause { get; set; }

        /// <summary>Suspend (the default), or SuspendThenRemove (removed after -RemoveAfterDays unless the user comes back).</summary>
        [Parameter]
        public OffboardingAction Action { get; set; }

        /// <summary>Wipes the member's data from their linked devices at suspension and removal (wipe_data); off by default.</summary>
        [Parameter]
        public SwitchParameter WipeData { get; set; }

        /// <summary>With SuspendThenRemove: whole days from the suspension to the removal, 0 to 3650 (0: at the next cycle).</summary>
        [Parameter]
        [ValidateRange(0, OffboardingPolicy.MaxRemoveAfterDays)]
        public int RemoveAfterDays { get; set; }

        /// <summary>At removal, where the files go: None (the default), Manager (Entra's manager), Attribute, Expression or Member (see -TransferTarget).</summary>
        [Parameter]
        public FileTransferTarget TransferFilesTo { get; set; }

        /// <summary>With -TransferFilesTo Attribute: the Entra attribute holding the recipient's e-mail; Expression: the expression giving it; Member: the recipient's e-mail.</summary>
        [Parameter]
        [AllowNull]
        public string TransferTarget { get; set; }

        /// <summary>The team admin's e-mail to whom Dropbox sends transfer errors (transfer_admin_id); required with a transfer.</summary>
        [Parameter]
        [AllowNull]
        public string TransferAdmin { get; set; }

        /// <summary>At removal, the person keeps a Basic account with their e-mail and non-team data (keep_account); wipe_data is then sent false.</summary>
        [Parameter]
        public SwitchParameter KeepAccount { get; set; }

        /// <summary>With -KeepAccount: the Basic account keeps folders shared with it directly (retain_team_shares).</summary>
        [Parameter]
        public SwitchParameter RetainTeamShares { get; set; }

        /// <summary>Where the rule goes in the order, from 1 (tried first); a rule keeps its place when omitted, a new one goes last.</summary>
        [Parameter(ParameterSetName = "Rule")]
        [ValidateRange(1, 1000)]
        public int Position { get; set; }

        protected override void OnProcessRecord()
        {
            var clauses = Clause == null ? null : Clause.Select(ClauseTables.Parse).ToList();
            var name = Default ? OffboardingPolicy.DefaultRuleName : Name;
            OffboardingRule result = null;
            var saved = EditConfiguration("offboarding policy", (before, after) => Describe(before, after, name), configuration =>
            {
                var policy = configuration.Offboarding ?? (configuration.Offboarding = new OffboardingPolicy());
                var existing = Default ? policy.Default : policy.Rules.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
                var rule = existing?.Clone() ?? new OffboardingRule { Name = name };
                if (clauses != null) rule.Clauses = clauses;
                else if (existing == null && !Default)
                    throw new DbxException("InvalidOffboardingRule", DbxErrorCategory.InvalidArgument, $"The offboarding policy has no rule '{name}' yet: a new rule needs -Clause (or use -Default for the rule that takes every other leaver).", target: name);
                Apply(rule);
                if (Default) policy.Default = rule;
                else
                {
                    var index = existing == null ? policy.Rules.Count : policy.Rules.IndexOf(existing);
                    if (existing != null) policy.Rules.RemoveAt(index);
                    if (MyInvocation.BoundParameters.ContainsKey(nameof(Position))) index = Math.Min(Position - 1, policy.Rules.Count);
                    policy.Rules.Insert(index, rule);
                }
                result = rule;
            });
            if (saved != null && result != null) WriteObject(result);
        }

        private void Apply(OffboardingRule rule)
        {
            var bound = MyInvocation.BoundParameters;
            if (bound.ContainsKey(nameof(Action))) rule.Action = Action;
            if (bound.ContainsKey(nameof(WipeData))) rule.WipeData = WipeData;
            if (bound.ContainsKey(nameof(RemoveAfterDays))) rule.RemoveAfterDays = RemoveAfterDays;
            else if (rule.Action == OffboardingAction.Suspend) rule.RemoveAfterDays = null;
            if (bound.ContainsKey(nameof(TransferFilesTo))) rule.TransferFilesTo = TransferFilesTo;
            if (bound.ContainsKey(nameof(TransferTarget))) rule.TransferTarget = string.IsNullOrWhiteSpace(TransferTarget) ? null : TransferTarget.Trim();
            if (bound.ContainsKey(nameof(TransferAdmin))) rule.TransferAdmin = string.IsNullOrWhiteSpace(TransferAdmin) ? null : TransferAdmin.Trim();
            if (bound.ContainsKey(nameof(KeepAccount))) rule.KeepAccount = KeepAccount;
            if (bound.ContainsKey(nameof(RetainTeamShares))) rule.RetainTeamShares = RetainTeamShares;
        }

        private static string Describe(ProvisioningConfiguration before, ProvisioningConfiguration after, string name)
        {
            string Text(ProvisioningConfiguration c) => c.Offboarding == null ? null
                : string.Equals(name, OffboardingPolicy.DefaultRuleName, StringComparison.OrdinalIgnoreCase) ? c.Offboarding.Default?.Text
                : c.Offboarding.Rules.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))?.Text;
            var old = Text(before);
            var now = Text(after);
            var order = string.Join(", ", after.Offboarding?.Rules.Select(r => r.Name) ?? new string[0]);
            var beforeOrder = string.Join(", ", before.Offboarding?.Rules.Select(r => r.Name) ?? new string[0]);
            if (old == now && order == beforeOrder) return null;
            return old == null ? $"Add offboarding rule '{name}': {now}" : $"Set offboarding rule '{name}': {old} => {now}" + (order == beforeOrder ? "" : $" (order: {order})");
        }
    }
}
