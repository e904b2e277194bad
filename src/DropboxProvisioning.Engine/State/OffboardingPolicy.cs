using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.Mapping.Scoping;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// A job's offboarding policy (Team API only): what happens to the Dropbox member of a managed user who leaves scope,
    /// has sign-in blocked or is soft-deleted. Rules:
    /// <list type="bullet">
    /// <item>the rules are tried in order against the user's Entra attributes and the first whose clauses all hold wins;
    /// else the default rule; with neither (no policy, the default for every job) the member is suspended as before;</item>
    /// <item>a user no longer returned by Entra ID (deleted) has no attributes: only the default rule applies to it;</item>
    /// <item>Suspend: members/suspend with wipe_data as the rule says; SuspendThenRemove: the same, then members/remove once
    /// RemoveAfterDays have passed unless the user came back, with the rule's transfer_dest_id (manager, attribute,
    /// expression or fixed member), transfer_admin_id, keep_account and retain_team_shares;</item>
    /// <item>Dropbox's own rules on MembersRemoveArg are checked when the policy is saved: a transfer needs a transfer
    /// admin; keep_account cannot go with a transfer; retain_team_shares needs keep_account; removal options need a removal.</item>
    /// </list>
    /// Pure: the user's attributes are passed in.
    /// </summary>
    public sealed class OffboardingPolicy
    {
        public const string DefaultRuleName = "Default";
        public const int MaxRemoveAfterDays = 3650;

        /// <summary>Dropbox keeps a removed member recoverable (members/recover) for 7 days (team.stone, members/remove).</summary>
        public static readonly TimeSpan RecoveryWindow = TimeSpan.FromDays(7);

        /// <summary>The rules, tried in order.</summary>
        public List<OffboardingRule> Rules { get; set; } = new List<OffboardingRule>();

        /// <summary>The rule for leavers no other rule takes; null: they are suspended as without a policy.</summary>
        public OffboardingRule Default { get; set; }

        [Newtonsoft.Json.JsonIgnore]
        public bool IsEmpty => (Rules == null || Rules.Count == 0) && Default == null;

        public OffboardingPolicy Clone() => new OffboardingPolicy
        {
            Rules = (Rules ?? new List<OffboardingRule>()).Select(r => r.Clone()).ToList(),
            Default = Default?.Clone(),
        };

        /// <summary>The rule for a leaver: the first whose clauses all hold on <paramref name="user"/> (null: a user Entra no longer returns), else the default; null when none.</summary>
        public OffboardingRule Select(IAttributeSource user)
        {
            if (user != null)
                foreach (var rule in Rules ?? new List<OffboardingRule>())
                    if (new ScopingFilterSet(rule.AsFilter()).Evaluate(user).InScope) return rule;
            return Default;
        }

        /// <summary>The Entra attributes the rules read (added to what Graph is asked to $select).</summary>
        public IEnumerable<string> SourceAttributes()
        {
            var all = (Rules ?? new List<OffboardingRule>()).Concat(Default == null ? new OffboardingRule[0] : new[] { Default }).ToList();
            foreach (var rule in all)
            {
                foreach (var clause in rule.Clauses ?? new List<ScopingClause>()) yield return clause.SourceAttribute;
                if (rule.TransferFilesTo == FileTransferTarget.Attribute && rule.TransferTarget != null) yield return rule.TransferTarget;
                if (rule.TransferFilesTo == FileTransferTarget.Expression && rule.TransferTarget != null && ExpressionParser.TryParse(rule.TransferTarget, out var parsed, out _))
                    foreach (var attribute in parsed.ReferencedAttributes) yield return attribute;
            }
        }

        /// <summary>Throws the first problem of the policy; over SCIM any policy is refused (TeamApiOnlyOffboardingPolicy).</summary>
        public static void Validate(OffboardingPolicy policy, DropboxApiKind? api)
        {
            if (policy == null || policy.IsEmpty) return;
            if (api == DropboxApiKind.Scim)
                throw new DbxException("TeamApiOnlyOffboardingPolicy", DbxErrorCategory.InvalidArgument,
                    "An offboarding policy works only over the Team API (members/suspend with wipe_data, members/remove with file transfer or keep_account, members/recover); this connection provisions over SCIM, which can only set active=false or delete. Connect with Connect-DbxTenant -Api TeamApi, or remove the policy.",
                    target: "OffboardingPolicy");
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { DefaultRuleName };
            foreach (var rule in policy.Rules ?? new List<OffboardingRule>())
            {
                if (rule == null || string.IsNullOrWhiteSpace(rule.Name))
                    throw Invalid("InvalidOffboardingRule", "An offboarding rule needs a name.", null);
                if (!names.Add(rule.Name))
                    throw Invalid("OffboardingRuleExists", $"The offboarding policy has two rules named '{rule.Name}' ('{DefaultRuleName}' is the default rule's).", rule.Name);
                if (rule.Clauses == null || rule.Clauses.Count == 0)
                    throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{rule.Name}' has no clauses: only the default rule takes every leaver.", rule.Name);
                ValidateRule(rule);
            }
            if (policy.Default != null)
            {
                if (policy.Default.Clauses != null && policy.Default.Clauses.Count > 0)
                    throw Invalid("InvalidOffboardingRule", "The default offboarding rule takes every leaver no other rule takes: it has no clauses.", DefaultRuleName);
                ValidateRule(policy.Default);
            }
        }

        private static void ValidateRule(OffboardingRule rule)
        {
            var name = rule.Name ?? DefaultRuleName;
            if (rule.Clauses != null && rule.Clauses.Count > 0)
            {
                try { ScopingFilterSet.Validate(new[] { rule.AsFilter() }); }
                catch (ScopingException e) { throw new DbxException("InvalidOffboardingRule", DbxErrorCategory.InvalidArgument, $"The offboarding rule '{name}': {e.Message}", e, name); }
                foreach (var clause in rule.Clauses) RequireUserAttribute(name, clause.SourceAttribute, "its clause reads");
            }
            if (!Enum.IsDefined(typeof(OffboardingAction), rule.Action) || !Enum.IsDefined(typeof(FileTransferTarget), rule.TransferFilesTo))
                throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{name}' has an unknown action or transfer.", name);
            var removes = rule.Action == OffboardingAction.SuspendThenRemove;
            if (removes && !rule.RemoveAfterDays.HasValue)
                throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{name}' removes members but says not when: give RemoveAfterDays (0 to {MaxRemoveAfterDays}).", name);
            if (rule.RemoveAfterDays.HasValue && (rule.RemoveAfterDays < 0 || rule.RemoveAfterDays > MaxRemoveAfterDays))
                throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{name}' has RemoveAfterDays {rule.RemoveAfterDays}; it takes 0 to {MaxRemoveAfterDays}.", name);
            if (!removes && (rule.RemoveAfterDays.HasValue || rule.TransferFilesTo != FileTransferTarget.None || rule.KeepAccount || rule.RetainTeamShares || rule.TransferAdmin != null))
                throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{name}' only suspends: RemoveAfterDays, file transfer, KeepAccount and RetainTeamShares apply to a removal (-Action SuspendThenRemove).", name);
            if (rule.KeepAccount && rule.TransferFilesTo != FileTransferTarget.None)
                throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{name}' keeps the account and transfers its files: Dropbox refuses both at once (cannot_keep_account_and_transfer).", name);
            if (rule.RetainTeamShares && !rule.KeepAccount)
                throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{name}' retains team shares without keeping the account: retain_team_shares applies only to a kept Basic account (keep_account).", name);
            if (rule.TransferFilesTo == FileTransferTarget.None)
            {
                if (rule.TransferTarget != null || rule.TransferAdmin != null)
                    throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{name}' names a transfer recipient or admin but transfers no files (-TransferFilesTo).", name);
                return;
            }
            if (rule.TransferAdmin == null || !ConfigurationEditor.EmailAddress.IsMatch(rule.TransferAdmin))
                throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{name}' transfers files without a transfer admin's e-mail: Dropbox requires transfer_admin_id with transfer_dest_id (unspecified_transfer_admin_id).", name);
            switch (rule.TransferFilesTo)
            {
                case FileTransferTarget.Manager:
                    if (rule.TransferTarget != null) throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{name}' transfers files to the manager: it takes no TransferTarget.", name);
                    break;
                case FileTransferTarget.Member:
                    if (rule.TransferTarget == null || !ConfigurationEditor.EmailAddress.IsMatch(rule.TransferTarget))
                        throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{name}' transfers files to a fixed member: TransferTarget is that member's e-mail.", name);
                    break;
                case FileTransferTarget.Attribute:
                    if (string.IsNullOrWhiteSpace(rule.TransferTarget))
                        throw Invalid("InvalidOffboardingRule", $"The offboarding rule '{name}' transfers files to the member an attribute names: TransferTarget is that Entra attribute.", name);
                    RequireUserAttribute(name, rule.TransferTarget, "its recipient is read from");
                    break;
                case FileTransferTarget.Expression:
                    if (!ExpressionParser.TryParse(rule.TransferTarget ?? "", out var expression, out var error))
                        throw new DbxException("InvalidOffboardingRule", DbxErrorCategory.InvalidArgument, $"The offboarding rule '{name}': the transfer expression is not valid: {error?.Message}", error, name);
                    foreach (var attribute in expression.ReferencedAttributes) RequireUserAttribute(name, attribute, "its transfer expression reads");
                    break;
            }
        }

        /// <summary>As for scoping filters and mappings: an attribute Entra ID does not have is refused when saved, not found missing at offboarding.</summary>
        private static void RequireUserAttribute(string rule, string attribute, string use)
        {
            if (!Directory.GraphAttributeNames.IsKnown(Directory.SourceObjectKind.User, attribute))
                throw new DbxException("UnknownSourceAttribute", DbxErrorCategory.InvalidArgument,
                    $"The offboarding rule '{rule}': {use} '{attribute}', which is not an Entra ID user attribute.", target: attribute);
        }

        private static DbxException Invalid(string condition, string message, string target) =>
            new DbxException(condition, DbxErrorCategory.InvalidArgument, message, target: target);
    }
}
