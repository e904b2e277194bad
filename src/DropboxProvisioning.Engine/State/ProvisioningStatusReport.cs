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
            NextCycle = state.UsersDeltaLink == null ? CycleMode.Initial : CycleMode.Incremental,
            StatusChanged = state.StatusChanged,
            ManagedUsers = state.Users.Count,
            LastCycle = state.History.FirstOrDefault(),
            LastExecutions = new TextList<CycleSummary>(state.History),
            StatePath = statePath,
        };
    }
}
