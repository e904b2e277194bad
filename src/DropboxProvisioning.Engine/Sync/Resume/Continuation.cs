using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// A cycle taken up where an earlier part stopped at its deadline (the state's <see cref="PartialCycle"/>). The part reads
    /// only what changed in Entra since the earlier part read (the watermarks moved with it) and plans those objects afresh;
    /// every other remaining change is made as it was planned: nothing is read, planned or written twice. An initial cycle
    /// stays an initial one (its mode, its matching already decided in its plan), and the parts' counts add up for the
    /// deletion guard and the quarantine judgment. A change of configuration, adoption mode or a restart begins a new cycle.
    /// </summary>
    internal sealed class Continuation
    {
        private readonly List<ProvisioningChange> _users = new List<ProvisioningChange>();
        private readonly List<ProvisioningChange> _groups = new List<ProvisioningChange>();
        private readonly HashSet<ProvisioningChange> _carried = new HashSet<ProvisioningChange>();

        private Continuation(PartialCycle partial) { Partial = partial; }

        /// <summary>The partial cycle as the state held it when this part began.</summary>
        public PartialCycle Partial { get; }

        /// <summary>The remaining changes this part carries out as planned (after those Entra changed were planned again).</summary>
        public int Carried => _carried.Count;

        /// <summary>
        /// The partial cycle this part continues, or null (none, or a new cycle begins: the configuration changed, or an
        /// adoption). When this part reads everything anyway (no watermark), only the counts go on: its plan covers the rest.
        /// </summary>
        public static Continuation Begin(ProvisioningState state, bool configurationChanged, bool adoption, CompiledMapping users, CompiledMapping groups, ICycleObserver observer)
        {
            var partial = state.PartialCycle;
            if (partial == null) return null;
            if (configurationChanged || adoption)
            {
                observer.Verbose($"The cycle {partial.CycleId} stopped at its deadline with {partial.Remaining.Count} change(s) left; {(adoption ? "adoption mode" : "the mappings, scoping filters or settings changed, so this cycle")} plans everything afresh instead of continuing it.");
                state.PartialCycle = null;
                return null;
            }
            var continuation = new Continuation(partial);
            if (state.UsersDeltaLink == null) return continuation;
            try
            {
                foreach (var remaining in partial.Remaining)
                {
                    if (partial.Done.Contains(PartialCycle.Key(remaining.ObjectType, remaining.SourceId)) || AlreadyMade(state, remaining)) continue;
                    var change = RemainingWork.ToChange(remaining, remaining.ObjectType == ObjectType.User ? users : groups);
                    (change.ObjectType == ObjectType.User ? continuation._users : continuation._groups).Add(change);
                }
            }
            catch (StaleRemainingChange e)
            {
                observer.Warning($"The cycle {partial.CycleId} stopped at its deadline, but {e.Message}: this cycle reads and plans everything again (an initial cycle).");
                state.UsersDeltaLink = null;
                continuation._users.Clear();
                continuation._groups.Clear();
            }
            observer.Verbose($"Continuing cycle {partial.CycleId} ({partial.Mode}, part {partial.Parts + 1}): {continuation._users.Count + continuation._groups.Count} change(s) left by the earlier part(s).");
            return continuation;
        }

        /// <summary>
        /// A remaining change the state shows made already: by a part killed before it could say so (a create whose account
        /// the pending-writes reconciler took over), or by on-demand provisioning in between.
        /// </summary>
        private static bool AlreadyMade(ProvisioningState state, RemainingChange remaining)
        {
            var records = remaining.ObjectType == ObjectType.User ? state.Users : state.Groups;
            var managed = records.TryGetValue(remaining.SourceId, out var record);
            if (remaining.Action == ChangeAction.Create || remaining.IsAdoption) return managed;
            if (!managed || record.TargetId != remaining.TargetId) return true; // no longer ours as planned
            return remaining.ObjectType == ObjectType.User && remaining.Action == ChangeAction.Disable && !record.Active;
        }

        /// <summary>An initial read plans everything again: the remaining changes are covered by its plan.</summary>
        public void Reread()
        {
            _users.Clear();
            _groups.Clear();
        }

        /// <summary>
        /// The Dropbox accounts of the remaining user changes this part carries out as planned (their users not read again):
        /// claimed for the planner, so that a user read again is not matched to an account an earlier part's plan gave another.
        /// </summary>
        public IEnumerable<string> ClaimedAccounts(DirectorySnapshot directory) =>
            _users.Where(c => c.TargetId != null && !directory.Users.ContainsKey(c.SourceId) && !directory.Removed.ContainsKey(c.SourceId)).Select(c => c.TargetId).ToList();

        /// <summary>
        /// The remaining user changes beside this part's plan: a user this part read again (changed in Entra, entitlement
        /// changed, escrow due) is planned afresh, and one no longer entitled is not provisioned; the others' changes come as planned.
        /// </summary>
        public void AddUsers(List<ProvisioningChange> changes, DirectorySnapshot directory)
        {
            foreach (var change in _users)
            {
                if (directory.Users.ContainsKey(change.SourceId) || directory.Removed.ContainsKey(change.SourceId)) continue;
                // Unassigned since, and never ours: the reader passes over such a user, and nothing is to be done for it.
                if ((change.Planned == ChangeAction.Create || change.Planned == ChangeAction.Update) && !directory.Entitled.Contains(change.SourceId)) continue;
                changes.Add(change);
                _carried.Add(change);
            }
        }

        /// <summary>
        /// The remaining group changes beside this part's group plan: a group Entra changed since (its attributes, its
        /// members, its assignment) is planned afresh; otherwise the remaining change stands and replaces this part's, which
        /// was planned from the state rather than from what Dropbox held.
        /// </summary>
        public List<ProvisioningChange> MergeGroups(List<ProvisioningChange> planned, DirectorySnapshot directory)
        {
            var kept = _groups.Where(g => !ChangedInEntra(g, directory)).ToList();
            var replaced = new HashSet<string>(kept.Select(g => g.SourceId), StringComparer.OrdinalIgnoreCase);
            var merged = planned.Where(c => !replaced.Contains(c.SourceId)).ToList();
            merged.AddRange(kept);
            foreach (var change in kept) _carried.Add(change);
            return merged;
        }

        private static bool ChangedInEntra(ProvisioningChange group, DirectorySnapshot directory)
        {
            var id = group.SourceId;
            if (directory.Groups.ContainsKey(id) || directory.RemovedGroups.Contains(id)) return true;
            var inScopeThen = group.Planned == ChangeAction.Create || group.Planned == ChangeAction.Update || group.Planned == ChangeAction.Adopt;
            var inScopeNow = directory.AssignedGroups.TryGetValue(id, out var members);
            if (inScopeThen != inScopeNow) return true;
            return inScopeThen && !members.SetEquals(group.SourceMembers ?? new HashSet<string>());
        }

        /// <summary>Whether the change is a remaining one carried out as planned.</summary>
        public bool IsCarried(ProvisioningChange change) => _carried.Contains(change);

        /// <summary>A carried change has run: saved with the state, so a part killed later does not make it again (under the state's lock).</summary>
        public void Made(ProvisioningChange change)
        {
            if (_carried.Contains(change)) Partial.Done.Add(RemainingWork.Key(change));
        }
    }
}
