using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// The offboarding policy over a cycle's plan (Team API). Rules:
    /// <list type="bullet">
    /// <item>each planned suspension of a user takes the policy's rule for that user (<see cref="OffboardingPolicy.Select"/>):
    /// it is sent with the rule's wipe_data, and a SuspendThenRemove rule names when the removal falls due
    /// (now plus RemoveAfterDays) and who gets the files (resolved now, while the user's attributes are known);</item>
    /// <item>a pending removal whose time has come is planned as a Delete (members/remove with the rule's options), which
    /// the accidental-deletions threshold counts like any other; a user the cycle changes anyway (coming back: an
    /// unsuspension) is left to that change, and the pending removal ends when the member is recorded active;</item>
    /// <item>a recipient that cannot be found (no manager, an empty attribute, a manager not provisioned) fails the
    /// removal with the reason, and the removal stays pending for the next cycle.</item>
    /// </list>
    /// Pure: the time, the users' attributes and their managers are passed in.
    /// </summary>
    internal static class OffboardingPlanner
    {
        public static void DecideSuspensions(IEnumerable<ProvisioningChange> changes, OffboardingPolicy policy, Func<string, IAttributeSource> sourceOf,
            Func<string, (string Email, string SourceId)?> managerOf, DateTimeOffset now)
        {
            foreach (var change in changes.Where(c => c.Planned == ChangeAction.Disable && c.ObjectType == Mapping.ObjectType.User))
            {
                var source = sourceOf(change.SourceId);
                var rule = policy.Select(source);
                if (rule == null) continue;
                var decision = new OffboardingDecision { Rule = rule.Clone(), WipeData = rule.WipeData };
                var said = $"; offboarding rule '{rule.Name}': members/suspend with wipe_data {(rule.WipeData ? "true" : "false")}";
                if (rule.Action == OffboardingAction.SuspendThenRemove)
                {
                    decision.RemoveAfter = now.AddDays(rule.RemoveAfterDays ?? 0);
                    decision.Removal = Removal(rule, source, change.SourceId, managerOf, out var problem);
                    decision.Problem = problem;
                    said += $", then members/remove on or after {decision.RemoveAfter:u} unless the user comes back";
                    if (problem != null) said += $" ({problem})";
                }
                change.Offboarding = decision;
                change.Reason += said;
            }
        }

        /// <summary>
        /// The removals due at <paramref name="now"/>, for users the cycle does not change otherwise. A removal Dropbox
        /// refused waits in escrow like any failed change: it is due again only once its escrow's next attempt has come
        /// (<paramref name="retryAt"/>, the doubling backoff of <see cref="EscrowEntry.Failed"/>), not every cycle.
        /// </summary>
        public static List<ProvisioningChange> DueRemovals(IEnumerable<PendingRemoval> pending, ISet<string> busy, Func<string, string> managedTargetId, DateTimeOffset now,
            Func<string, DateTimeOffset?> retryAt = null)
        {
            var removals = new List<ProvisioningChange>();
            foreach (var entry in pending.Where(p => p.RemoveAfter <= now && !(retryAt?.Invoke(p.SourceId) > now))
                         .OrderBy(p => p.RemoveAfter).ThenBy(p => p.SourceId, StringComparer.Ordinal))
            {
                if (busy.Contains(entry.SourceId)) continue;
                var removal = entry.Removal ?? new MemberRemoval { WipeData = entry.Rule.WipeData && !entry.Rule.KeepAccount, KeepAccount = entry.Rule.KeepAccount, RetainTeamShares = entry.Rule.RetainTeamShares };
                string problem = entry.TransferProblem;
                if (problem == null && removal.TransferDestSourceId != null)
                {
                    // The recipient is an Entra user (the manager): its Dropbox member, as the engine manages it.
                    var id = managedTargetId(removal.TransferDestSourceId);
                    if (id == null) problem = $"the recipient '{removal.TransferDest}' (the manager) is not a provisioned, active Dropbox member";
                    else removal = Copy(removal, id);
                }
                removals.Add(new ProvisioningChange
                {
                    Planned = ChangeAction.Delete, SourceId = entry.SourceId, SourceIdentity = entry.Identity, TargetId = entry.TargetId, TargetIdentity = entry.Identity,
                    Reason = $"offboarding rule '{entry.Rule.Name}': suspended {entry.SuspendedOn:u}, removal due {entry.RemoveAfter:u} and the user has not come back: members/remove ({removal})",
                    ModifiedProperties = { new ModifiedProperty("(account)", entry.Identity, null) },
                    Offboarding = new OffboardingDecision { Rule = entry.Rule, WipeData = removal.WipeData, Removal = removal, Problem = problem },
                });
            }
            return removals;
        }

        /// <summary>
        /// Users who come back within Dropbox's recovery window after the policy removed them: their planned create becomes
        /// an update of the removed member, recovered first (members/recover), so that the person gets back its account,
        /// files and id rather than a new invitation. Entries past the window are dropped.
        /// </summary>
        public static void Recoveries(List<ProvisioningChange> changes, IDictionary<string, RemovedMember> removed, DateTimeOffset now)
        {
            foreach (var stale in removed.Values.Where(r => now - r.RemovedOn >= OffboardingPolicy.RecoveryWindow).Select(r => r.SourceId).ToList()) removed.Remove(stale);
            for (var i = 0; i < changes.Count; i++)
            {
                var create = changes[i];
                if (create.Planned != ChangeAction.Create || create.ObjectType != Mapping.ObjectType.User || !removed.TryGetValue(create.SourceId, out var member)) continue;
                var update = new ProvisioningChange
                {
                    Planned = ChangeAction.Update, SourceId = create.SourceId, SourceIdentity = create.SourceIdentity, TargetId = member.TargetId, TargetIdentity = create.TargetIdentity,
                    Existing = new Newtonsoft.Json.Linq.JObject { ["id"] = member.TargetId, ["userName"] = member.Identity },
                    Values = create.Values, Desired = create.Desired, MatchedBy = "Recovered", ModifiedFromValues = true,
                    Reason = $"came back within Dropbox's recovery window (removed {member.RemovedOn:u} by the offboarding policy): restored with members/recover, not invited anew",
                    Offboarding = new OffboardingDecision { Recover = true },
                };
                changes[i] = update;
            }
        }

        private static MemberRemoval Copy(MemberRemoval removal, string dest) => new MemberRemoval
        {
            WipeData = removal.WipeData, TransferDest = dest, TransferDestSourceId = removal.TransferDestSourceId, TransferAdmin = removal.TransferAdmin, KeepAccount = removal.KeepAccount, RetainTeamShares = removal.RetainTeamShares,
        };

        /// <summary>members/remove's options for a rule and a user; the recipient by the rule's kind, or the reason none was found.</summary>
        internal static MemberRemoval Removal(OffboardingRule rule, IAttributeSource source, string sourceId, Func<string, (string Email, string SourceId)?> managerOf, out string problem)
        {
            problem = null;
            var removal = new MemberRemoval
            {
                // Dropbox keeps an account only without wiping it (cannot_keep_account_and_delete_data).
                WipeData = rule.WipeData && !rule.KeepAccount,
                KeepAccount = rule.KeepAccount,
                RetainTeamShares = rule.RetainTeamShares,
            };
            if (rule.TransferFilesTo == FileTransferTarget.None) return removal;
            removal.TransferAdmin = rule.TransferAdmin;
            string dest = null;
            switch (rule.TransferFilesTo)
            {
                case FileTransferTarget.Member: dest = rule.TransferTarget; break;
                case FileTransferTarget.Attribute:
                    object value = null;
                    source?.TryGetValue(rule.TransferTarget, out value);
                    dest = value as string;
                    if (string.IsNullOrWhiteSpace(dest)) problem = $"the user's {rule.TransferTarget} is empty, so no recipient of the files is known";
                    break;
                case FileTransferTarget.Expression:
                    try { dest = ExpressionParser.Parse(rule.TransferTarget).Evaluate(source ?? new DictionaryAttributeSource(new Dictionary<string, object>())) as string; }
                    catch (ExpressionException e) { problem = "the transfer expression failed for this user: " + e.Message; }
                    if (problem == null && string.IsNullOrWhiteSpace(dest)) problem = "the transfer expression gave no recipient for this user";
                    break;
                case FileTransferTarget.Manager:
                    var manager = managerOf(sourceId);
                    if (manager == null) problem = "the user has no manager in Entra ID (GET /users/{id}/manager)";
                    else { dest = manager.Value.Email; removal.TransferDestSourceId = manager.Value.SourceId; }
                    break;
            }
            removal.TransferDest = problem == null ? dest?.Trim() : null;
            return removal;
        }
    }
}
