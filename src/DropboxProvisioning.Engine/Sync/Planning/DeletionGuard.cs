using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Accidental-deletions prevention, as Entra does it: when the changes let through would suspend or delete more
    /// accounts than the threshold, every one of those suspensions and deletions is held (StagedDelete) until an
    /// admin approves it, and the rest of the cycle goes on. A hold is an outcome beside its planned change.
    /// </summary>
    internal static class DeletionGuard
    {
        /// <summary>The deprovisioning changes to hold: all of them above the threshold, none otherwise.</summary>
        public static List<ProvisioningChange> ToHold(IEnumerable<ProvisioningChange> approved, int threshold)
        {
            var deprovisions = approved.Where(c => c.Planned == ChangeAction.Disable || c.Planned == ChangeAction.Delete).ToList();
            return deprovisions.Count > threshold ? deprovisions : new List<ProvisioningChange>();
        }

        /// <summary>Holds the changes: recorded in the state to approve later (replacing what was held before), each with its outcome.</summary>
        public static List<ChangeOutcome> Hold(ProvisioningState state, IReadOnlyList<ProvisioningChange> held, int threshold, string cycleId, DateTimeOffset now)
        {
            state.StagedDeletions.Clear();
            var outcomes = new List<ChangeOutcome>(held.Count);
            foreach (var change in held)
            {
                state.StagedDeletions.Add(new StagedDeletion
                {
                    SourceId = change.SourceId, TargetId = change.TargetId, TargetIdentity = change.TargetIdentity,
                    Action = change.Planned.ToString(), Reason = change.Reason, Staged = now, CycleId = cycleId,
                });
                var outcome = new ChangeOutcome(change)
                {
                    Action = ChangeAction.StagedDelete, Status = ChangeStatus.Skipped,
                    Details = $"held: this cycle would suspend or delete {held.Count} account(s), more than the threshold of {threshold}. Approve with Approve-DbxProvisioningDeletion.",
                };
                change.Record(outcome);
                outcomes.Add(outcome);
            }
            return outcomes;
        }
    }
}
