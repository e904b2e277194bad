using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    public sealed partial class ProvisioningCycle
    {
        /// <summary>
        /// The license check (setting CheckLicenses), between the user planner and the group planner: the team's
        /// licenses are read before anything is written, and the creates that do not fit wait in escrow
        /// (<see cref="SeatLimit"/>), with one warning that gives the numbers. Under -WhatIf too, so the look shows it.
        /// </summary>
        private async Task HoldCreatesToLicensesAsync(List<ProvisioningChange> changes, ProvisioningState state, ProvisioningSettings settings, System.DateTimeOffset cycleStart, CancellationToken cancellationToken)
        {
            if (!settings.CheckLicenses) return;
            if (!(_connection.Target is IDropboxSeats target))
                throw new DbxException("TeamApiOnlySetting", DbxErrorCategory.InvalidArgument,
                    $"The setting CheckLicenses works only over the Team API (team/get_info); this job provisions over {_connection.Target.DisplayName}. Connect with Connect-DbxTenant -Api TeamApi, or turn it off with Set-DbxProvisioningSetting -CheckLicenses $false.",
                    target: nameof(ProvisioningSettings.CheckLicenses));
            DropboxSeats seats;
            try
            {
                seats = await target.GetSeatsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (!e.IsCredentialFailure && e.StatusCode != 429)
            {
                // Nothing has been written: the cycle stops rather than create past a limit it could not read.
                throw new DbxException("LicenseCheckFailed", DbxErrorCategory.ConnectionError,
                    $"The license check (CheckLicenses) could not read the team's licenses with team/get_info, so nothing was written: {e.Message}", e);
            }
            var held = SeatLimit.Apply(changes, seats, state, cycleStart);
            _observer.Verbose($"Licenses (team/get_info): {seats}.");
            if (held > 0)
                _observer.Warning($"The Dropbox team has {seats.Licensed} license(s), {seats.Taken} in use and {seats.Free} free: this cycle creates the {Fitting(changes)} account(s) that fit "
                    + $"and holds back {held} in escrow (LicenseLimit), oldest waiting first, until licenses are free. Add licenses in the Dropbox admin console; the held accounts are created by a later cycle.");
        }

        private static int Fitting(List<ProvisioningChange> changes)
        {
            var fit = 0;
            foreach (var c in changes) if (SeatLimit.TakesLicense(c)) fit++;
            return fit;
        }
    }
}
