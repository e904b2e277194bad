using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Reporting;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.Commands.Sync
{
    /// <summary>
    /// <para type="synopsis">Runs a provisioning cycle from Entra ID to Dropbox: create, update, suspend and delete users as the mappings say.</para>
    /// <para type="description">The first cycle (and the first after a mapping change or Restart-DbxProvisioning, or when a full reconciliation is due under the FullReconciliationInterval setting, which also puts back what was changed in Dropbox by hand: changes whose Drift is set) reads everything; later cycles read only what changed in Entra ID. With -WhatIf nothing is written: each planned change is shown and returned as an object. -Continuous runs a cycle every CycleInterval (40 minutes by default) until stopped. -MaxDuration (or the MaxCycleDuration setting) gives the cycle a deadline: there it starts no further write, lets those in flight finish and saves what remains; the result's Status is Partial, with RemainingChanges, and the next Invoke-DbxProvisioningCycle, in any process, continues where it stopped (an initial cycle stays an initial one, and the accidental-deletions threshold counts every part). Ctrl+C still cancels.</para>
    /// <para type="link">Get-DbxProvisioningLog</para>
    /// <para type="link">Get-DbxProvisioningStatus</para>
    /// <para type="link">Approve-DbxProvisioningDeletion</para>
    /// <para type="link">Start-DbxProvisioningOnDemand</para>
    /// </summary>
    /// <example>
    /// <para>Runs one cycle and returns its CycleResult: created, updated, suspended, deleted, skipped and failed counts.</para>
    /// <code>
    /// Invoke-DbxProvisioningCycle
    /// </code>
    /// </example>
    /// <example>
    /// <para>Shows what a cycle would do without writing anything to Dropbox or to the state.</para>
    /// <code>
    /// Invoke-DbxProvisioningCycle -WhatIf
    /// </code>
    /// </example>
    /// <example>
    /// <para>Runs two cycles one second apart, as a host that Azure Automation does not schedule would run them every CycleInterval.</para>
    /// <code>
    /// Invoke-DbxProvisioningCycle -Continuous -Interval (New-TimeSpan -Seconds 1) -MaxCycles 2
    /// </code>
    /// </example>
    /// <example>
    /// <para>In a runbook that Azure Automation stops after three hours: the cycle stops writing after two and a half, and the next job's cycle continues it. Status is Partial while changes remain.</para>
    /// <code>
    /// $result = Invoke-DbxProvisioningCycle -MaxDuration (New-TimeSpan -Hours 2 -Minutes 30)
    /// if ($result.Status -eq 'Partial') { "Left for the next job: $($result.RemainingChanges)" }
    /// </code>
    /// </example>
    /// <example>
    /// <para>Shows what a cycle with a deadline would do (the changes an earlier cycle left included); -WhatIf writes nothing.</para>
    /// <code>
    /// Invoke-DbxProvisioningCycle -MaxDuration (New-TimeSpan -Minutes 30) -WhatIf
    /// </code>
    /// </example>
    /// <example>
    /// <para>Migrating from another tool: takes the Dropbox members that match Entra users under management without changing them; the next normal cycle creates only those who had no account.</para>
    /// <code>
    /// Invoke-DbxProvisioningCycle -AdoptionMode
    /// Invoke-DbxProvisioningCycle
    /// </code>
    /// </example>
    [Cmdlet(VerbsLifecycle.Invoke, "DbxProvisioningCycle", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Once")]
    [OutputType(typeof(CycleResult))]
    [OutputType(typeof(ProvisioningChange))]
    [OutputType(typeof(TeamFolderAccessChange))]
    public sealed class InvokeDbxProvisioningCycleCommand : DbxConnectedCmdlet
    {
        /// <summary>Run although the job is in quarantine and its next attempt is not due yet.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// Migration from the old Dropbox integration (or another tool): match existing Dropbox members by userName,
        /// email or external id and take them under management without changing them; nothing else is done.
        /// </summary>
        [Parameter(ParameterSetName = "Once")]
        public SwitchParameter AdoptionMode { get; set; }

        /// <summary>
        /// How long the cycle may write, instead of the MaxCycleDuration setting (one second to seven days). At the deadline it
        /// starts no further write, lets those in flight finish and saves what remains (Status Partial); the next cycle continues
        /// it. With -Continuous, each cycle has this much time.
        /// </summary>
        [Parameter]
        public TimeSpan MaxDuration { get; set; }

        /// <summary>Run cycles on the configured interval until stopped (Ctrl+C), for hosts that Azure Automation does not schedule.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Continuous")]
        public SwitchParameter Continuous { get; set; }

        /// <summary>The time between cycles for this run, instead of the CycleInterval setting.</summary>
        [Parameter(ParameterSetName = "Continuous")]
        public TimeSpan Interval { get; set; }

        /// <summary>Stop after this many cycles.</summary>
        [Parameter(ParameterSetName = "Continuous")]
        [ValidateRange(1, int.MaxValue)]
        public int MaxCycles { get; set; } = int.MaxValue;

        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Interval)) && (Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromDays(7)))
                ThrowTerminating("InvalidInterval", ErrorCategory.InvalidArgument, $"-Interval {Interval} is outside one second to seven days.", Interval);
            if (MyInvocation.BoundParameters.ContainsKey(nameof(MaxDuration)) && (MaxDuration < ProvisioningSettings.MinCycleDuration || MaxDuration > ProvisioningSettings.MaxCycleDurationLimit))
                ThrowTerminating("InvalidMaxDuration", ErrorCategory.InvalidArgument, $"-MaxDuration {MaxDuration} is outside one second to seven days.", MaxDuration);
            if (!Continuous)
            {
                RunOnce(connection, Force);
                return;
            }

            for (var cycle = 1; cycle <= MaxCycles; cycle++)
            {
                try
                {
                    RunOnce(connection, Force);
                }
                catch (PipelineStoppedException)
                {
                    throw;
                }
                catch (Exception e) when (e is RuntimeException runtime && runtime.ErrorRecord != null)
                {
                    // One failed cycle (Off, quarantine not due, Graph down) does not end a continuous run.
                    WriteError(runtime.ErrorRecord);
                }
                catch (Errors.DbxException e)
                {
                    WriteError(ToErrorRecord(e));
                }
                if (cycle == MaxCycles || IsWhatIf) break;
                var interval = MyInvocation.BoundParameters.ContainsKey(nameof(Interval)) ? Interval : LoadInterval(connection);
                WriteVerbose($"Next cycle at {connection.Clock.UtcNow.ToLocalTime().Add(interval):T}.");
                // The wait itself is elapsed time (the wait handle's), not a time of day: it is not the clock's.
                if (Cancellation.WaitHandle.WaitOne(interval)) throw new PipelineStoppedException();
            }
        }

        private TimeSpan LoadInterval(DbxConnection connection) => connection.Store.LoadConfiguration().Settings.CycleInterval;

        private static string ChangeSummaryNumber(int n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

        private void RunOnce(DbxConnection connection, bool force)
        {
            var whatIf = IsWhatIf;
            var maxDuration = MyInvocation.BoundParameters.ContainsKey(nameof(MaxDuration)) ? MaxDuration : (TimeSpan?)null;
            var plan = RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).PlanAsync(cancel, force, AdoptionMode, whatIf, maxDuration));
            using (plan) ExecutePlan(connection, plan);
        }

        private void ExecutePlan(DbxConnection connection, CyclePlan plan)
        {
            var summary = ChangeSummary.Of(plan.Changes);
            WriteVerbose($"Cycle {plan.CycleId} ({plan.Mode}): {plan.Changes.Count} change(s) planned, {plan.Unchanged} user(s) already in step."
                + (plan.ContinuesCycleId != null ? $" It continues cycle {plan.ContinuesCycleId}, which stopped at its deadline." : "")
                + (plan.Deadline.HasValue ? $" Deadline: {plan.Deadline.Value.ToLocalTime():T}." : ""));

            if (IsWhatIf)
            {
                // One summary, not a line per change: every change is in the objects written below.
                ShouldProcess(summary.Text(
                    $"Cycle {plan.CycleId} ({plan.Mode}) would make {ChangeSummaryNumber(summary.Total)} change(s); {ChangeSummaryNumber(plan.Unchanged)} user(s) are already in step.",
                    "Every change is in the objects this command returns: $changes = Invoke-DbxProvisioningCycle -WhatIf; $changes | Group-Object Action, ObjectType; $changes | Export-Csv changes.csv"),
                    null, null);
                foreach (var change in plan.Changes) WriteObject(change);
                // Team folder access (Set-DbxTeamFolderAccess): each change as its own object, its text as a WhatIf line.
                foreach (var access in plan.TeamFolderAccess)
                {
                    if (access.WritesToDropbox) ShouldProcess(access.TeamFolder, access.Description);
                    WriteObject(access);
                }
                return;
            }

            // -Confirm asks once per kind of change (Create users, Suspend users...); Yes to All answers the rest.
            var approved = new HashSet<ProvisioningChange>();
            foreach (var kind in summary.Confirmable)
                if (ShouldProcess(kind.Prompt(), kind.Title + "?", "Confirm")) approved.UnionWith(kind.Changes);

            var accessWrites = plan.TeamFolderAccess.Where(a => a.WritesToDropbox).ToList();
            var approvedAccess = new HashSet<TeamFolderAccessChange>();
            if (accessWrites.Count > 0 && ShouldProcess($"{accessWrites.Count} team folder access change(s): " + string.Join("; ", accessWrites.Take(5).Select(a => a.Description)) + (accessWrites.Count > 5 ? "; ..." : ""),
                    "Change team folder access?", "Confirm"))
                approvedAccess.UnionWith(accessWrites);
            var result = RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).ExecuteAsync(plan, approved, approvedAccess, cancel));
            foreach (var change in result.Changes.Where(c => c.Status == ChangeStatus.Skipped))
                WriteVerbose($"Skipped '{change.SourceIdentity}': {change.StatusDetails ?? change.Reason}");
            WriteObject(result);
        }
    }
}
