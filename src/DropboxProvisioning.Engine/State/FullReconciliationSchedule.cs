using System;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// When a cycle reads the Dropbox side in full to repair drift (the setting FullReconciliationInterval). Rules:
    /// off (null, the default) never; otherwise a full reconciliation is due when none is recorded yet, or when the
    /// interval has passed since the last one began; never while a cycle stopped at its deadline has parts left (they
    /// finish first, and the next cycle after them is the full one). Pure functions: the time is passed in.
    /// </summary>
    public static class FullReconciliationSchedule
    {
        public static bool IsDue(ProvisioningSettings settings, ProvisioningState state, DateTimeOffset now)
        {
            if (settings?.FullReconciliationInterval == null || state.PartialCycle != null) return false;
            var next = NextDue(settings, state.LastFullReconciliation);
            return next == null || now >= next.Value;
        }

        /// <summary>When the next full reconciliation is due: null when the setting is off, or when none ran yet (then the next cycle is one).</summary>
        public static DateTimeOffset? NextDue(ProvisioningSettings settings, DateTimeOffset? last) =>
            settings?.FullReconciliationInterval == null || last == null ? (DateTimeOffset?)null : last.Value + settings.FullReconciliationInterval.Value;

        /// <summary>A cycle that read everything with the setting on is a full reconciliation (whatever made it initial).</summary>
        public static bool Repairs(ProvisioningSettings settings, bool readInFull, bool adoption) =>
            settings?.FullReconciliationInterval != null && readInFull && !adoption;

        internal static void Validate(ProvisioningSettings settings)
        {
            var interval = settings.FullReconciliationInterval;
            if (interval.HasValue && (interval < ProvisioningSettings.MinFullReconciliationInterval || interval > ProvisioningSettings.MaxFullReconciliationInterval))
                throw new DbxException("InvalidFullReconciliationInterval", DbxErrorCategory.InvalidArgument,
                    $"The full reconciliation interval {interval} is outside one minute to 365 days.");
        }
    }
}
