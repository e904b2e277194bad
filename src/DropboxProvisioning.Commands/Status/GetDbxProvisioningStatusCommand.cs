using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Status
{
    /// <summary>
    /// <para type="synopsis">Shows whether provisioning is On or Off, the job's status code and its latest cycles.</para>
    /// <para type="description">The report holds the On/Off status, the job's code (NotRun, Active, Paused, Quarantine), the number of managed users, the last cycle and the latest executions, the quarantine (reason and next attempt), the deletions held by the accidental-deletions threshold, the escrowed failures waiting for a retry (and the new accounts waiting for a license, WaitingForLicense), over the Team API the team's licenses (LicensesTotal, LicensesUsed, LicensesFree from team/get_info; blank over SCIM, which cannot tell), what the next cycle will be (initial or incremental), with drift repair on when the last full reconciliation began and when the next is due (LastFullReconciliation, NextFullReconciliation), and where the state lives.</para>
    /// <para type="link">Set-DbxProvisioningStatus</para>
    /// <para type="link">Restart-DbxProvisioning</para>
    /// <para type="link">Approve-DbxProvisioningDeletion</para>
    /// </summary>
    /// <example>
    /// <para>Shows the status of the current job.</para>
    /// <code>
    /// Get-DbxProvisioningStatus
    /// </code>
    /// </example>
    /// <example>
    /// <para>Over the Team API: how many licenses are free, and how many new accounts wait for one.</para>
    /// <code>
    /// Get-DbxProvisioningStatus | Select-Object LicensesTotal, LicensesUsed, LicensesFree, WaitingForLicense
    /// </code>
    /// </example>
    /// <example>
    /// <para>A runbook step: warns when the job is in quarantine, and lists the latest executions.</para>
    /// <code>
    /// Invoke-DbxProvisioningCycle | Out-Null
    /// $status = Get-DbxProvisioningStatus
    /// if ($status.Code -eq 'Quarantine') { Write-Warning "Quarantined: $($status.Quarantine)" }
    /// $status.LastExecutions
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "DbxProvisioningStatus")]
    [OutputType(typeof(ProvisioningStatusReport))]
    public sealed class GetDbxProvisioningStatusCommand : DbxConnectedCmdlet
    {
        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            var report = ProvisioningStatusReport.From(connection.Store.LoadState(), connection.StatePath);
            // The drift repair's schedule: when the last full reconciliation ran and when the next is due.
            try { report.WithFullReconciliation(connection.Store.LoadConfiguration().Settings, connection.Clock.UtcNow); }
            catch (DbxException e) { WriteWarning("The settings could not be read, so the full reconciliation's schedule is not shown: " + e.Message); }
            // The Team API tells the team's licenses (team/get_info); SCIM cannot, and leaves them blank.
            if (connection.Target is IDropboxSeats seats)
            {
                try { report.WithSeats(RunEngine((observer, token) => seats.GetSeatsAsync(token))); }
                catch (DropboxTargetException e) { WriteWarning("The team's licenses could not be read (team/get_info): " + e.Message); }
            }
            WriteObject(report);
        }
    }
}
