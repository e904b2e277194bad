using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Accidental-deletions prevention, as Entra does it: when the changes let through would suspend or delete more
    /// accounts than the threshold, every one of those suspensions and deletions is held (StagedDelete) until an
    /// admin approves it, and the rest of the cycle goes on. The planner decides the holds (<see cref="Decide"/>) and
    /// the plan carries them; a hold is then recorded as an outcome beside its planned change, which stays as planned.
    /// Deprovisioning an admin approved (<see cref="Release"/>) is never held again.
    /// </summary>
    internal static class DeletionGuard
    {
        /// <summary>The deprovisioning changes to hold: all of them above the threshold, none otherwise.</summary>
        public static List<ProvisioningChange> ToHold(IEnumerable<ProvisioningChange> approved, int threshold)
        {
            var deprovisions = approved.Where(IsDeprovisioning).ToList();
            return deprovisions.Count > threshold ? deprovisions : new List<ProvisioningChange>();
        }

        /// <summary>
        /// The guard's decision over planned changes: which are held, and the records to save for approval. <paramref name="earlier"/>
        /// is what the earlier parts of a cycle continued after its deadline already suspended or deleted: they count towards the threshold.
        /// </summary>
        public static DeletionHolds Decide(IEnumerable<ProvisioningChange> changes, int threshold, string cycleId, DateTimeOffset now, int earlier = 0) =>
            new DeletionHolds(ToHold(changes, threshold - earlier), threshold, cycleId, now);

        /// <summary>Holds the changes: recorded in the state to approve later (replacing what was held before), each with its outcome.</summary>
        public static List<ChangeOutcome> Hold(ProvisioningState state, IReadOnlyList<ProvisioningChange> held, int threshold, string cycleId, DateTimeOffset now) =>
            new DeletionHolds(held, threshold, cycleId, now).Record(state);

        /// <summary>
        /// The held suspensions and deletions an admin approved, planned again to be carried out (never held: the admin
        /// has decided), and taken off the state's list; entries whose user is no longer managed are dropped.
        /// </summary>
        public static List<ProvisioningChange> Release(ProvisioningState state, ICollection<string> approvedSourceIds)
        {
            var changes = new List<ProvisioningChange>();
            foreach (var entry in state.StagedDeletions.Where(d => approvedSourceIds.Contains(d.SourceId)).ToList())
            {
                state.StagedDeletions.Remove(entry);
                if (!state.Users.ContainsKey(entry.SourceId)) continue;
                changes.Add(new ProvisioningChange
                {
                    Planned = entry.Action == nameof(ChangeAction.Delete) ? ChangeAction.Delete : ChangeAction.Disable,
                    SourceId = entry.SourceId, SourceIdentity = entry.TargetIdentity, TargetId = entry.TargetId, TargetIdentity = entry.TargetIdentity,
                    Reason = "approved by an admin: " + entry.Reason,
                    EscrowAs = entry.EscrowAs, // a withdrawn invitation stays withdrawn: the user is not invited again
                    // An offboarding rule's suspension or removal is carried out as it was decided (wipe_data, transfer, kept account).
                    Offboarding = OffboardingDecision.From(entry.Offboarding),
                });
            }
            return changes;
        }

        internal static bool IsDeprovisioning(ProvisioningChange change) => change.Planned == ChangeAction.Disable || change.Planned == ChangeAction.Delete;
    }

    /// <summary>
    /// What the deletion guard decided for a plan: the changes it holds (none, or every suspension and deletion above
    /// the threshold) and the records that go to the state for Approve-DbxProvisioningDeletion.
    /// </summary>
    internal sealed class DeletionHolds
    {
        private readonly HashSet<ProvisioningChange> _held;

        internal DeletionHolds(IReadOnlyList<ProvisioningChange> held, int threshold, string cycleId, DateTimeOffset decided)
        {
            Changes = held;
            Threshold = threshold;
            _held = new HashSet<ProvisioningChange>(held);
            Records = held.Select(change => new StagedDeletion
            {
                SourceId = change.SourceId, TargetId = change.TargetId, TargetIdentity = change.TargetIdentity,
                Action = change.Planned.ToString(), Reason = change.Reason, Staged = decided, CycleId = cycleId, EscrowAs = change.EscrowAs,
                Offboarding = change.Offboarding?.ToRecord(),
            }).ToList();
        }

        /// <summary>The planned suspensions and deletions held back, in plan order.</summary>
        public IReadOnlyList<ProvisioningChange> Changes { get; }

        /// <summary>The records of the held changes, to be saved for approval (they replace what an earlier cycle held).</summary>
        public IReadOnlyList<StagedDeletion> Records { get; }

        public int Threshold { get; }

        public int Count => Changes.Count;

        public bool Holds(ProvisioningChange change) => _held.Contains(change);

        /// <summary>
        /// Records the decision once the plan runs: the state's held list becomes this one (so a cause held before is
        /// decided afresh), and each held change gets its outcome, StagedDelete.
        /// </summary>
        internal List<ChangeOutcome> Record(ProvisioningState state)
        {
            state.StagedDeletions.Clear();
            state.StagedDeletions.AddRange(Records);
            var outcomes = new List<ChangeOutcome>(Changes.Count);
            foreach (var change in Changes)
            {
                var outcome = new ChangeOutcome(change)
                {
                    Action = ChangeAction.StagedDelete, Status = ChangeStatus.Skipped,
                    Details = $"held: this cycle would suspend or delete {Changes.Count} account(s), more than the threshold of {Threshold}. Approve with Approve-DbxProvisioningDeletion.",
                };
                change.Record(outcome);
                outcomes.Add(outcome);
            }
            return outcomes;
        }
    }
}
