using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Drift: what was changed in Dropbox by hand on what the engine manages, as a full reconciliation sees it (the
    /// Dropbox side read live; setting FullReconciliationInterval). A value is drift when Dropbox no longer holds what the
    /// engine last wrote there (the managed record), as opposed to a change in Entra ID, where the mapping's value differs
    /// from what was written. Only managed objects, mapped attributes and members that are managed accounts are judged;
    /// an account the engine neither created nor adopted is never drift, and is left alone. The planner marks its own
    /// changes here while it plans them (a drift repair's reason starts with <see cref="Prefix"/>, its log record says Drift).
    /// </summary>
    internal static class DriftCheck
    {
        public const string Prefix = "drift: ";

        /// <summary>An update of a managed user or group: a drift repair when a value it puts back is one Dropbox no longer held as written.</summary>
        public static void MarkValues(ProvisioningChange update, ManagedObject managed)
        {
            if (managed == null) return;
            var edits = new List<string>();
            foreach (var property in update.PlannedModifiedProperties)
            {
                if (!managed.Exported.TryGetValue(property.Name, out var written) || written == property.OldValue) continue;
                edits.Add(property.Name == "active" && written == "True" && property.OldValue == "False" ? "suspended by hand"
                    : $"{property.Name}: the engine wrote '{written}', Dropbox held '{property.OldValue}'");
            }
            if (edits.Count == 0) return;
            update.Drift = true;
            update.Reason = Prefix + "changed in Dropbox by hand (" + string.Join("; ", edits) + "); put back as the mapping gives it";
        }

        /// <summary>A suspension of a managed account the engine had suspended: it was unsuspended in Dropbox by hand.</summary>
        public static void MarkSuspension(ProvisioningChange disable, ManagedObject managed)
        {
            if (managed == null || managed.Active) return;
            disable.Drift = true;
            disable.Reason = Prefix + "unsuspended in Dropbox by hand; suspended again, since it is " + disable.Reason;
        }

        /// <summary>
        /// A managed group read live: members a person added by hand since the engine last wrote the group (managed
        /// accounts that Entra does not put there; with TakeOverDropboxGroups, any account) are to be removed, and members
        /// removed by hand that Entra still puts there come back. Each is a modified property "member:&lt;userName&gt;"
        /// with Dropbox's value and the repaired one.
        /// </summary>
        /// <param name="wanted">The Dropbox ids of the provisioned members Entra puts in the group.</param>
        /// <param name="accounts">The managed accounts: Dropbox id to userName.</param>
        public static void MarkMembers(ProvisioningChange update, ManagedObject managed, ICollection<string> wanted, IReadOnlyDictionary<string, string> accounts, bool takeOver)
        {
            if (managed?.Members == null || update.CurrentMembers == null) return;
            var current = update.CurrentMembers;
            var addedByHand = current.Where(m => !managed.Members.Contains(m) && !wanted.Contains(m) && (takeOver || accounts.ContainsKey(m))).OrderBy(m => m, StringComparer.Ordinal).ToList();
            var removedByHand = managed.Members.Where(m => !current.Contains(m) && wanted.Contains(m)).OrderBy(m => m, StringComparer.Ordinal).ToList();
            if (addedByHand.Count == 0 && removedByHand.Count == 0) return;
            string Name(string id) => accounts.TryGetValue(id, out var userName) ? userName : id;
            foreach (var id in addedByHand) update.PlannedModifiedProperties.Add(new ModifiedProperty("member:" + Name(id), "member", "not a member"));
            foreach (var id in removedByHand) update.PlannedModifiedProperties.Add(new ModifiedProperty("member:" + Name(id), "not a member", "member"));
            update.DriftRemovals = new HashSet<string>(addedByHand, StringComparer.Ordinal);
            update.Drift = true;
            var said = new List<string>();
            if (addedByHand.Count > 0) said.Add($"{addedByHand.Count} member(s) added by hand ({string.Join(", ", addedByHand.Take(5).Select(Name))}{(addedByHand.Count > 5 ? ", ..." : "")}) are removed");
            if (removedByHand.Count > 0) said.Add($"{removedByHand.Count} member(s) removed by hand ({string.Join(", ", removedByHand.Take(5).Select(Name))}{(removedByHand.Count > 5 ? ", ..." : "")}) are added back");
            var values = update.Reason != null && update.Reason.StartsWith(Prefix, StringComparison.Ordinal) ? "; " + update.Reason.Substring(Prefix.Length) : "";
            update.Reason = Prefix + "the group's members were changed in Dropbox by hand: " + string.Join("; ", said) + values;
        }
    }
}
