using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Collections;

namespace DropboxProvisioning.State
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    /// <summary>Graph's synchronizationStatus codes.</summary>
    public enum ProvisioningStatusCode : long { NotRun, Active, Paused, Quarantine }

    /// <summary>What Get-DbxProvisioningStatus shows: the toggle, the job's code and its latest cycles.</summary>
    public sealed class ProvisioningStatusReport
    {
        public ProvisioningToggle Status { get; private set; }
        public ProvisioningStatusCode Code { get; private set; }
        public System.DateTimeOffset? StatusChanged { get; private set; }
        public int ManagedUsers { get; private set; }
        public CycleSummary LastCycle { get; private set; }
        public IReadOnlyList<CycleSummary> LastExecutions { get; private set; }
        public string StatePath { get; private set; }

        /// <summary>Set while the job is in quarantine: reason, currentBegan, nextAttempt, seriesBegan, seriesCount, error.</summary>
        public QuarantineInfo Quarantine { get; private set; }

        /// <summary>Suspensions and deletions held by the accidental-deletions threshold, waiting for Approve-DbxProvisioningDeletion.</summary>
        public IReadOnlyList<StagedDeletion> StagedDeletions { get; private set; }

        /// <summary>Failed changes waiting to be retried.</summary>
        public IReadOnlyList<EscrowEntry> Escrows { get; private set; }

        /// <summary>Whether the next cycle reads everything (Initial) or only changes (Incremental).</summary>
        public CycleMode NextCycle { get; private set; }

        /// <summary>Set while a cycle that stopped at its deadline has changes left: the next cycle continues it.</summary>
        public PartialCycle PartialCycle { get; private set; }

        /// <summary>The team's licenses (Team API: team/get_info, read when the status is asked for); null over SCIM, which cannot tell.</summary>
        public long? LicensesTotal { get; private set; }

        /// <summary>Licenses in use (the higher of num_used_licenses and num_provisioned_users); null over SCIM.</summary>
        public long? LicensesUsed { get; private set; }

        /// <summary>Licenses free for new members; null over SCIM.</summary>
        public long? LicensesFree { get; private set; }

        /// <summary>New accounts waiting in escrow for a free license (LicenseLimit).</summary>
        public int WaitingForLicense => Escrows?.Count(e => e.Reason == EscrowEntry.LicenseLimit) ?? 0;

        /// <summary>
        /// Team API, with the invitation settings on: the managed members who have not accepted the Dropbox invitation, oldest
        /// first, with when they were invited and reminded (as the last cycle found them).
        /// </summary>
        public IReadOnlyList<PendingInvite> PendingInvites { get; private set; }

        /// <summary>Members an offboarding rule suspended and will remove, the soonest due first: since when, when, by which rule.</summary>
        public IReadOnlyList<PendingRemoval> PendingRemovals { get; private set; }

        /// <summary>Users whose invitation the engine withdrew (WithdrawInviteAfterDays), waiting for Restart-DbxProvisioning -Scope Escrows.</summary>
        public int WithdrawnInvites => Escrows?.Count(e => e.Reason == EscrowEntry.InviteWithdrawn) ?? 0;

        /// <summary>When the last full reconciliation (drift repair) began; null while none ran.</summary>
        public System.DateTimeOffset? LastFullReconciliation { get; private set; }

        /// <summary>
        /// When the next full reconciliation is due (the first cycle at or after it is one); null while FullReconciliationInterval is off.
        /// With the setting on and none run yet: the time of the report (the next cycle is one).
        /// </summary>
        public System.DateTimeOffset? NextFullReconciliation { get; private set; }

        /// <summary>
        /// The report with the drift repair's schedule (setting FullReconciliationInterval), at <paramref name="now"/>: when the
        /// next full reconciliation is due; when it is due now, the next cycle is an initial one (it reads everything).
        /// </summary>
        public ProvisioningStatusReport WithFullReconciliation(ProvisioningSettings settings, System.DateTimeOffset now)
        {
            if (settings?.FullReconciliationInterval == null) return this;
            NextFullReconciliation = FullReconciliationSchedule.NextDue(settings, LastFullReconciliation) ?? now;
            if (PartialCycle == null && now >= NextFullReconciliation.Value) NextCycle = CycleMode.Initial;
            return this;
        }

        /// <summary>The report with the team's licenses as Dropbox told them.</summary>
        public ProvisioningStatusReport WithSeats(Dropbox.DropboxSeats seats)
        {
            if (seats != null) { LicensesTotal = seats.Licensed; LicensesUsed = seats.Taken; LicensesFree = seats.Free; }
            return this;
        }

        public static ProvisioningStatusReport From(ProvisioningState state, string statePath) => new ProvisioningStatusReport
        {
            Status = state.Status,
            Code = state.Status == ProvisioningToggle.Off ? ProvisioningStatusCode.Paused
                : state.Quarantine != null ? ProvisioningStatusCode.Quarantine
                : state.History.Count == 0 ? ProvisioningStatusCode.NotRun
                : ProvisioningStatusCode.Active,
            Quarantine = state.Quarantine,
            StagedDeletions = new TextList<StagedDeletion>(state.StagedDeletions),
            Escrows = new TextList<EscrowEntry>(state.Escrows.Values),
            PendingRemovals = new TextList<PendingRemoval>(state.PendingRemovals.Values.OrderBy(r => r.RemoveAfter).ThenBy(r => r.SourceId, System.StringComparer.Ordinal)),
            PendingInvites = new TextList<PendingInvite>(state.PendingInvites.Values.OrderBy(i => i.InvitedOn).ThenBy(i => i.SourceId, System.StringComparer.Ordinal)),
            NextCycle = state.UsersDeltaLink == null ? CycleMode.Initial : CycleMode.Incremental,
            PartialCycle = state.PartialCycle,
            LastFullReconciliation = state.LastFullReconciliation,
            StatusChanged = state.StatusChanged,
            ManagedUsers = state.Users.Count,
            LastCycle = state.History.FirstOrDefault(),
            LastExecutions = new TextList<CycleSummary>(state.History),
            StatePath = statePath,
        };
    }
}
