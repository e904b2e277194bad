using System;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// What stands before every cycle, on-demand run and approval: the state directory's lock (one at a time), the
    /// On/Off toggle, and the quarantine's next attempt. Each refusal has one message, whoever asks.
    /// </summary>
    internal static class CycleGate
    {
        /// <summary>Takes the state directory's lock for <paramref name="purpose"/> (refused with CycleRunning while another holds it).</summary>
        public static CycleLock Lock(StateStore store, string purpose, Time.IClock clock) => CycleLock.Acquire(store, purpose, clock);

        /// <summary>The lock for -WhatIf: still refused while a cycle runs, but nothing is created or written to take it.</summary>
        public static CycleLock LockForReading(StateStore store) => CycleLock.AcquireForReading(store);

        /// <summary>Refuses to go on while provisioning is Off.</summary>
        public static void RequireOn(ProvisioningState state, StateStore store)
        {
            if (state.Status == ProvisioningToggle.Off)
                throw new DbxException("ProvisioningOff", DbxErrorCategory.InvalidOperation,
                    $"Provisioning is Off{(state.StatusChanged.HasValue ? " since " + state.StatusChanged.Value.ToString("u") : "")}, so nothing is provisioned. Turn it on with Set-DbxProvisioningStatus -Status On; the next cycle picks up where the last one left off.",
                    target: store.DirectoryPath);
        }

        /// <summary>Refuses a cycle while the job is in quarantine and its next attempt is not due, unless forced.</summary>
        public static void RequireQuarantineDue(ProvisioningState state, StateStore store, DateTimeOffset now, bool force)
        {
            if (state.Quarantine != null && now < state.Quarantine.NextAttempt && !force)
                throw new DbxException("Quarantined", DbxErrorCategory.ResourceUnavailable,
                    $"The job is in quarantine ({state.Quarantine.Reason}: {state.Quarantine.Error}); its next attempt is due at {state.Quarantine.NextAttempt:u}. Fix the cause, then run with -Force, or lift it with Restart-DbxProvisioning -Scope Quarantine.",
                    target: store.DirectoryPath);
        }
    }
}
