using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// The license check (setting CheckLicenses, Team API only): before anything is written, the planned creates are
    /// held to the licenses the team has free (team/get_info). Rules:
    /// <list type="bullet">
    /// <item>Creates go in a stable order: users already waiting for a license first (the longest waiting first, by
    /// their escrow's FirstFailure, the start of the cycle that first held them back), then the others; ties by Entra object id (ordinal). The first Free of them are
    /// created.</item>
    /// <item>The rest become planned skips that wait in escrow as <see cref="EscrowEntry.LicenseLimit"/>: due again at the
    /// next cycle with no backoff, never counted as failures (they do not quarantine the job), each logged with the
    /// numbers.</item>
    /// <item>Only creates and recoveries take a license (a member removed by the offboarding policy and restored with
    /// members/recover, whose refusal team_license_limit says so); a suspended member keeps the one it has, and licenses
    /// freed by this cycle's removals count from the next cycle on (Dropbox frees them once the removal is done).</item>
    /// </list>
    /// Pure: the seats and the time are passed in, and the changes are marked, never reordered.
    /// </summary>
    internal static class SeatLimit
    {
        /// <summary>Marks the creates that do not fit; returns how many were held back (0 when all fit).</summary>
        public static int Apply(IReadOnlyList<ProvisioningChange> changes, DropboxSeats seats, ProvisioningState state, DateTimeOffset cycleStart)
        {
            var creates = changes.Where(TakesLicense).ToList();
            if (creates.Count <= seats.Free) return 0;
            var ordered = creates
                .OrderBy(c => WaitingSince(state, c.SourceId) ?? DateTimeOffset.MaxValue)
                .ThenBy(c => c.SourceId, StringComparer.Ordinal)
                .ToList();
            var held = ordered.Skip((int)Math.Min(seats.Free, int.MaxValue)).ToList();
            var reason = Reason(seats, creates.Count);
            foreach (var change in held)
            {
                change.Planned = ChangeAction.Skip;
                change.PlannedStatus = ChangeStatus.Skipped;
                change.ModifiedFromValues = false;
                change.Offboarding = null; // a held recovery recovers nothing: the next cycle plans it again
                change.EscrowAs = EscrowEntry.LicenseLimit;
                change.EscrowSince = cycleStart;
                change.Reason = reason;
            }
            return held.Count;
        }

        /// <summary>A new account, or a removed member restored with members/recover: each needs a free license.</summary>
        internal static bool TakesLicense(ProvisioningChange change) => change.ObjectType == Mapping.ObjectType.User
            && (change.Planned == ChangeAction.Create || (change.Planned == ChangeAction.Update && change.Offboarding?.Recover == true));

        /// <summary>The log's and the warning's words: what was held back and why, with the numbers.</summary>
        public static string Reason(DropboxSeats seats, int creates) =>
            $"{EscrowEntry.LicenseLimit}: the Dropbox team has {seats.Licensed} license(s), {seats.Taken} in use and {seats.Free} free, and this cycle would create {creates} account(s); "
            + "the account waits in escrow and is created by a later cycle once a license is free (add licenses in the Dropbox admin console, or free some)";

        /// <summary>When the user began to wait for a license, or null when it does not wait.</summary>
        private static DateTimeOffset? WaitingSince(ProvisioningState state, string sourceId) =>
            state.Escrows.TryGetValue(sourceId, out var escrow) && escrow.Reason == EscrowEntry.LicenseLimit ? escrow.FirstFailure : (DateTimeOffset?)null;
    }
}
