using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.State
{
    /// <summary>Graph's synchronizationStatus codes.</summary>
    public enum ProvisioningStatusCode { NotRun, Active, Paused, Quarantine }

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

        public static ProvisioningStatusReport From(ProvisioningState state, string statePath) => new ProvisioningStatusReport
        {
            Status = state.Status,
            Code = state.Status == ProvisioningToggle.Off ? ProvisioningStatusCode.Paused
                : state.History.Count == 0 ? ProvisioningStatusCode.NotRun
                : ProvisioningStatusCode.Active,
            StatusChanged = state.StatusChanged,
            ManagedUsers = state.Users.Count,
            LastCycle = state.History.FirstOrDefault(),
            LastExecutions = state.History.ToList(),
            StatePath = statePath,
        };
    }
}
