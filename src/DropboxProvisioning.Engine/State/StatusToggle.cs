using System;

namespace DropboxProvisioning.State
{
    /// <summary>The Provisioning Status toggle: Off pauses every cycle, On lets them run again from where they stopped.</summary>
    public static class StatusToggle
    {
        /// <summary>Sets the toggle and when it changed; false (nothing to save) when it already is <paramref name="status"/>.</summary>
        public static bool Apply(ProvisioningState state, ProvisioningToggle status, DateTimeOffset now)
        {
            if (state.Status == status) return false;
            state.Status = status;
            state.StatusChanged = now;
            return true;
        }
    }
}
