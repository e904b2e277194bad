using System;
using System.Linq;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    public sealed partial class ProvisioningCycle
    {
        /// <summary>
        /// Drift repair (setting FullReconciliationInterval): when a full reconciliation is due, this cycle reads everything,
        /// as an initial cycle does (Entra ID, then every Dropbox member and the managed groups' members, live), so that the
        /// planners compare Dropbox as it is with what the engine last wrote (<see cref="DriftCheck"/>).
        /// </summary>
        private void PrepareFullReconciliation(ProvisioningState state, ProvisioningSettings settings, DateTimeOffset now, bool adoption)
        {
            if (adoption || !FullReconciliationSchedule.IsDue(settings, state, now)) return;
            _observer.Verbose(state.LastFullReconciliation == null
                ? $"Drift repair is on (FullReconciliationInterval {settings.FullReconciliationInterval}) and no full reconciliation has run yet: this cycle reads Entra ID and Dropbox in full and puts back what was changed in Dropbox by hand."
                : $"A full reconciliation is due (FullReconciliationInterval {settings.FullReconciliationInterval}; the last began {state.LastFullReconciliation:u}): this cycle reads Entra ID and Dropbox in full and puts back what was changed in Dropbox by hand.");
            state.UsersDeltaLink = null;
        }

        /// <summary>After the run: a full reconciliation whose reading the cycle used to its end is recorded, and the next one is due an interval later.</summary>
        private void RecordFullReconciliation(ProvisioningState state, CyclePlan plan)
        {
            if (!plan.IsFullReconciliation) return;
            state.LastFullReconciliation = plan.StartTime;
            var repairs = plan.Changes.Count(c => c.Drift);
            _observer.Verbose($"Full reconciliation: {repairs} change(s) put back what was changed in Dropbox by hand (Get-DbxProvisioningLog -Drift); the next is due {plan.StartTime + plan.Configuration.Settings.FullReconciliationInterval.Value:u}.");
        }
    }
}
