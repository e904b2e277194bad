using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// The last stage: from the outcomes, the counts and the cycle's status; then the watermarks (moved on only when
    /// everything was let through and ran), the quarantine judgment and the notification. Escrow is kept as each
    /// outcome arrives.
    /// </summary>
    internal sealed class CycleOutcome
    {
        private readonly IDirectoryClient _directory;
        private readonly ICycleObserver _observer;

        public CycleOutcome(IDirectoryClient directory, ICycleObserver observer)
        {
            _directory = directory; _observer = observer;
        }

        /// <summary>A failure waits in escrow for a later cycle, with backoff; a success or warning clears the escrow.</summary>
        public static void Escrow(ProvisioningState state, ChangeOutcome outcome, DateTimeOffset now, TimeSpan cycleInterval)
        {
            var change = outcome.Change;
            if (outcome.Status == ChangeStatus.Failure)
            {
                if (!state.Escrows.TryGetValue(change.SourceId, out var escrow))
                    state.Escrows[change.SourceId] = escrow = new EscrowEntry { SourceId = change.SourceId, Identity = change.TargetIdentity ?? change.SourceIdentity };
                escrow.Failed(outcome.Details, now, cycleInterval);
            }
            else if (outcome.Status == ChangeStatus.Skipped && change.EscrowAs == EscrowEntry.LicenseLimit)
            {
                // Held back, not failed (no license free): due again at the next cycle, without backoff.
                if (!state.Escrows.TryGetValue(change.SourceId, out var escrow))
                    state.Escrows[change.SourceId] = escrow = new EscrowEntry { SourceId = change.SourceId, Identity = change.TargetIdentity ?? change.SourceIdentity };
                escrow.Waiting(change.EscrowAs, change.Reason, change.EscrowSince ?? now, now);
            }
            else if (outcome.Status == ChangeStatus.Success && change.EscrowAs == EscrowEntry.InviteWithdrawn && outcome.Action == ChangeAction.Delete)
            {
                // The invitation was withdrawn: the user waits, never due, until Restart-DbxProvisioning -Scope Escrows.
                state.Escrows[change.SourceId] = new EscrowEntry { SourceId = change.SourceId, Identity = change.TargetIdentity ?? change.SourceIdentity };
                state.Escrows[change.SourceId].Waiting(EscrowEntry.InviteWithdrawn, change.Reason, now, DateTimeOffset.MaxValue);
                state.PendingInvites.Remove(change.SourceId);
            }
            else if (outcome.Status == ChangeStatus.Success || outcome.Status == ChangeStatus.Warning)
            {
                state.Escrows.Remove(change.SourceId);
            }
        }

        /// <summary>Adds the outcomes to the result's counts: what was actually done, as each outcome says.</summary>
        public void Count(CycleResult result, IEnumerable<ChangeOutcome> outcomes)
        {
            var limited = 0;
            foreach (var outcome in outcomes)
            {
                if (outcome.LicenseLimited) limited++;
                if (outcome.Change.EscrowAs == EscrowEntry.LicenseLimit && outcome.Status == ChangeStatus.Skipped) result.LicenseDeferred++;
                if (outcome.Status == ChangeStatus.Failure) result.Failed++;
                else if (outcome.Status == ChangeStatus.Skipped) result.Skipped++;
                else if (outcome.Status == ChangeStatus.Success || outcome.Status == ChangeStatus.Warning)
                {
                    if (outcome.Change.ObjectType == ObjectType.Group) CountGroup(result, outcome.Action);
                    else CountUser(result, outcome);
                }
            }
            if (limited > 0)
            {
                result.LicenseLimited = limited;
                _observer.Warning($"Dropbox refused {limited} new account(s) because the team has no license left. Add licenses in the Dropbox admin console; the accounts stay in escrow and are created by a later cycle.");
            }
        }

        private static void CountGroup(CycleResult result, ChangeAction action)
        {
            if (action == ChangeAction.Create) result.GroupsCreated++;
            else if (action == ChangeAction.Update) result.GroupsUpdated++;
            else if (action == ChangeAction.Delete) result.GroupsDeleted++;
        }

        private static void CountUser(CycleResult result, ChangeOutcome outcome)
        {
            switch (outcome.Action)
            {
                case ChangeAction.Create: if (outcome.TookOver) result.Adopted++; else result.Created++; break;
                case ChangeAction.Update: result.Updated++; if (outcome.Change.IsAdoption) result.Adopted++; break;
                case ChangeAction.Disable: result.Suspended++; break;
                case ChangeAction.Delete: result.Deleted++; if (outcome.Change.EscrowAs == EscrowEntry.InviteWithdrawn) result.InvitesWithdrawn++; break;
                case ChangeAction.Adopt: result.Adopted++; break;
                case ChangeAction.Remind: result.InvitesResent++; break;
            }
        }

        /// <param name="stoppedAtDeadline">The cycle stopped at its deadline with work left (and was neither refused nor cancelled): Partial.</param>
        public static CycleStatus StatusOf(CycleResult result, bool credentialsRefused, bool cancelled, bool stoppedAtDeadline = false) =>
            credentialsRefused ? CycleStatus.Failed
            : cancelled ? CycleStatus.Cancelled
            : stoppedAtDeadline ? CycleStatus.Partial
            : result.Failed > 0 ? CycleStatus.CompletedWithFailures
            : CycleStatus.Succeeded;

        /// <summary>The next cycle starts where this one read to: stored only when it ran to its end and every change was let through.</summary>
        public static void MoveWatermarks(ProvisioningState state, CyclePlan plan)
        {
            state.UsersDeltaLink = plan.Directory.UsersDeltaLink;
            state.GroupsDeltaLink = plan.Directory.GroupsDeltaLink;
            state.EntitledUsers = plan.Directory.Entitled;
            state.AssignedGroups = plan.Directory.AssignedGroups;
            state.ConfigurationFingerprint = ConfigurationFile.Fingerprint(plan.Configuration);
            state.Reconsider.Clear(); // looked at by this cycle's plan
        }

        /// <summary>
        /// A part that stopped at its deadline: what it did joins the counts of the earlier parts (a partial cycle is judged
        /// for quarantine only when its last part ends, on all its parts), and the changes it did not make are saved for the next
        /// part, when the watermarks moved with it; otherwise the next part reads from the same watermarks and plans them again.
        /// </summary>
        public static void Stop(ProvisioningState state, CyclePlan plan, CycleResult result, RunResult run, int operations, bool watermarksMoved)
        {
            var earlier = plan.Continuation?.Partial;
            state.PartialCycle = new PartialCycle
            {
                CycleId = earlier?.CycleId ?? plan.CycleId, LastPartId = plan.CycleId, StartTime = earlier?.StartTime ?? plan.StartTime, Mode = plan.Mode,
                Parts = (earlier?.Parts ?? 0) + 1,
                Operations = (earlier?.Operations ?? 0) + operations,
                Failed = (earlier?.Failed ?? 0) + result.Failed,
                Deprovisioned = (earlier?.Deprovisioned ?? 0) + run.Outcomes.Count(o => o.Change.ObjectType == ObjectType.User && (o.Change.Planned == ChangeAction.Disable || o.Change.Planned == ChangeAction.Delete)),
                // Watermarks that stayed (a change declined) make the next part read the same again, and plan it afresh; but a part
                // that continues a cycle reads from where an earlier part moved them: what is left is kept, or nothing would bring it back.
                Remaining = watermarksMoved || earlier != null ? run.Remaining.Select(RemainingWork.ToRemaining).ToList() : new List<RemainingChange>(),
                // Left unmatched as this part saw them (it read again those an earlier part left so): the next part reads them all again.
                Ambiguous = new HashSet<string>(plan.AmbiguousUsers, StringComparer.OrdinalIgnoreCase),
            };
        }

        /// <summary>Enters, continues or lifts the quarantine after a cycle that ran to its end, and notifies when it must.</summary>
        /// <param name="earlierFailures">Failures of the earlier parts of a cycle that stopped at a deadline and was continued.</param>
        public async Task JudgeAsync(CycleResult result, ProvisioningState state, ProvisioningSettings settings, int operations, int objectsInScope,
            DropboxTargetException credentialFailure, int held, CancellationToken cancellationToken, int earlierFailures = 0)
        {
            var staged = held > 0;
            var reason = QuarantinePolicy.Judge(operations, result.Failed + earlierFailures, objectsInScope, credentialFailure != null, staged);
            var wasQuarantined = state.Quarantine != null;
            if (reason != null)
            {
                state.Quarantine = QuarantinePolicy.Enter(state.Quarantine, reason, credentialFailure?.Message ?? FirstFailure(result) ?? (staged ? $"{held} suspensions or deletions held" : null), result.EndTime.Value);
                result.Quarantine = state.Quarantine.Reason;
                if (QuarantinePolicy.Expired(state.Quarantine, result.EndTime.Value))
                {
                    state.Status = ProvisioningToggle.Off;
                    state.StatusChanged = result.EndTime;
                    _observer.Warning("The job has been in quarantine for 28 days and is now turned Off, as Entra does.");
                }
            }
            else if (wasQuarantined && result.Failed + earlierFailures == 0)
            {
                state.Quarantine = null;
                _observer.Verbose("The cycle succeeded: the quarantine is lifted.");
            }
            if (reason != null || result.Failed > 0)
                await NotifyAsync(result, reason, state, settings, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Rejected credentials while reading quarantine the job at once, as Entra does.</summary>
        public async Task CredentialsRefusedAsync(string cycleId, DateTimeOffset start, DateTimeOffset now, string error, ProvisioningState state, StateStore store, ProvisioningSettings settings)
        {
            var failed = new CycleResult { CycleId = cycleId, StartTime = start, EndTime = now, Status = CycleStatus.Failed, Quarantine = QuarantinePolicy.Credentials };
            state.Quarantine = QuarantinePolicy.Enter(state.Quarantine, QuarantinePolicy.Credentials, error, now);
            state.Record(failed.ToSummary());
            store.SaveState(state);
            await NotifyAsync(failed, QuarantinePolicy.Credentials, state, settings, CancellationToken.None).ConfigureAwait(false);
        }

        private static string FirstFailure(CycleResult result) => result.Changes.FirstOrDefault(c => c.Status == ChangeStatus.Failure)?.StatusDetails;

        private Task NotifyAsync(CycleResult result, string quarantineReason, ProvisioningState state, ProvisioningSettings settings, CancellationToken cancellationToken)
        {
            var subject = quarantineReason != null
                ? $"Dropbox provisioning is in quarantine ({quarantineReason})"
                : $"Dropbox provisioning cycle completed with {result.Failed} failure(s)";
            var body = $"Cycle {result.CycleId} ({result.Mode}) ended {result.EndTime:u} with status {result.Status}: created {result.Created}, updated {result.Updated}, suspended {result.Suspended}, deleted {result.Deleted}, skipped {result.Skipped}, failed {result.Failed}."
                + (state.Quarantine == null ? "" : $"\nQuarantine: {state.Quarantine.Reason}, next attempt {state.Quarantine.NextAttempt:u}. {state.Quarantine.Error}")
                + (state.StagedDeletions.Count == 0 ? "" : $"\n{state.StagedDeletions.Count} suspension(s) or deletion(s) are held until approved with Approve-DbxProvisioningDeletion.");
            return Notifier.SendAsync(_directory, settings, subject, body, _observer, cancellationToken);
        }
    }
}
