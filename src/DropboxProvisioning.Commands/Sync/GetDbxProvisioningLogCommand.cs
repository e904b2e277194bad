using System;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using DropboxProvisioning.Commands.Completion;

namespace DropboxProvisioning.Commands.Sync
{
    /// <summary>
    /// <para type="synopsis">Reads the provisioning logs, newest first: one record per action, shaped like Entra's provisioning logs.</para>
    /// <para type="description">Records are flat objects that Export-Csv and ConvertTo-Json take as they are; ModifiedPropertiesText holds the changed attributes as one line.</para>
    /// <para type="link">Invoke-DbxProvisioningCycle</para>
    /// <para type="link">Start-DbxProvisioningOnDemand</para>
    /// </summary>
    /// <example>
    /// <para>Shows the ten newest records after a cycle.</para>
    /// <code>
    /// Invoke-DbxProvisioningCycle | Out-Null
    /// Get-DbxProvisioningLog -First 10
    /// </code>
    /// </example>
    /// <example>
    /// <para>Writes the users a cycle created to a CSV file.</para>
    /// <code>
    /// $cycle = Invoke-DbxProvisioningCycle
    /// Get-DbxProvisioningLog -CycleId $cycle.CycleId -Action Create -ObjectType User |
    ///     Select-Object Time, SourceIdentity, TargetId, ModifiedPropertiesText |
    ///     Export-Csv -Path ./created.csv -NoTypeInformation
    /// </code>
    /// </example>
    /// <example>
    /// <para>Shows the skipped and failed changes of the last day for the contoso.com domain.</para>
    /// <code>
    /// Invoke-DbxProvisioningCycle | Out-Null
    /// Get-DbxProvisioningLog -Status Skipped, Failure -After (Get-Date).AddDays(-1) -Identity '*@contoso.com' |
    ///     Format-Table Time, Action, SourceIdentity, StatusDetails
    /// </code>
    /// </example>
    /// <example>
    /// <para>With drift repair on (Set-DbxProvisioningSetting -FullReconciliationInterval), shows what was changed in Dropbox by hand and put back: each record's reason and the old and new values.</para>
    /// <code>
    /// Set-DbxProvisioningSetting -FullReconciliationInterval (New-TimeSpan -Days 1)
    /// Invoke-DbxProvisioningCycle | Out-Null
    /// Get-DbxProvisioningLog -Drift | Format-List Time, Action, TargetIdentity, StatusDetails, ModifiedPropertiesText
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "DbxProvisioningLog")]
    [OutputType(typeof(ProvisioningLogRecord))]
    public sealed class GetDbxProvisioningLogCommand : DbxConnectedCmdlet
    {
        /// <summary>Only the records of this cycle (the CycleId of a CycleResult or of Get-DbxProvisioningStatus's executions).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CycleIdCompleter))]
        public string CycleId { get; set; }

        /// <summary>Only records with these statuses: Success, Failure, Skipped, Warning (Planned: -WhatIf changes).</summary>
        [Parameter]
        public ChangeStatus[] Status { get; set; }

        /// <summary>Only records of these actions: Create, Update, Disable, Delete, Adopt, Skip, StagedDelete (held by the accidental-deletions threshold), Other.</summary>
        [Parameter]
        public ChangeAction[] Action { get; set; }

        /// <summary>User, Group, or TeamFolderAccess (the grants of Set-DbxTeamFolderAccess).</summary>
        [Parameter]
        [ValidateSet("User", "Group", "TeamFolderAccess", IgnoreCase = true)]
        public string[] ObjectType { get; set; }

        /// <summary>Matches the source or target identity or id (wildcards).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ManagedIdentityCompleter))]
        public string Identity { get; set; }

        /// <summary>Only records written at or after this time.</summary>
        [Parameter]
        public DateTimeOffset After { get; set; }

        /// <summary>Only records written before this time.</summary>
        [Parameter]
        public DateTimeOffset Before { get; set; }

        /// <summary>At most this many records (the newest).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; } = int.MaxValue;

        /// <summary>Only drift repairs: changes that put back what was changed in Dropbox by hand (setting FullReconciliationInterval).</summary>
        [Parameter]
        public SwitchParameter Drift { get; set; }

        protected override void OnProcessRecord()
        {
            var connection = RequireConnection();
            var pattern = Identity == null ? null : new WildcardPattern(Identity, WildcardOptions.IgnoreCase);
            try { pattern?.IsMatch(""); } // a pattern is parsed on its first use
            catch (WildcardPatternException e)
            {
                ThrowTerminatingError(new ErrorRecord(new PSArgumentException($"-Identity '{Identity}' is not a valid wildcard pattern ({e.Message}).", e), ErrorPrefix + "InvalidIdentityPattern", ErrorCategory.InvalidArgument, Identity)
                {
                    ErrorDetails = new ErrorDetails($"-Identity '{Identity}' is not a valid wildcard pattern ({e.Message}).") { RecommendedAction = "Escape a literal [ or ] with a backtick (`[), or use [WildcardPattern]::Escape()." },
                });
            }
            try { Write(connection, pattern); }
            catch (Errors.DbxException e) { ThrowTerminating(e); }
        }

        private void Write(DropboxProvisioning.Connection.DbxConnection connection, WildcardPattern pattern)
        {
            var bound = MyInvocation.BoundParameters;
            var written = 0;
            foreach (var record in connection.Store.Logs.Read())
            {
                if (Cancellation.IsCancellationRequested || written >= First) break;
                if (CycleId != null && !string.Equals(record.CycleId, CycleId, StringComparison.OrdinalIgnoreCase)) continue;
                if (Status != null && !Status.Contains(record.Status)) continue;
                if (Action != null && !Action.Contains(record.Action)) continue;
                if (Drift && !record.Drift) continue;
                if (ObjectType != null && !ObjectType.Any(t => string.Equals(t, record.ObjectType, StringComparison.OrdinalIgnoreCase))) continue;
                if (bound.ContainsKey(nameof(After)) && record.Time < After) continue;
                if (bound.ContainsKey(nameof(Before)) && record.Time >= Before) continue;
                if (pattern != null && !new[] { record.SourceIdentity, record.TargetIdentity, record.SourceId, record.TargetId }.Any(v => v != null && pattern.IsMatch(v))) continue;
                WriteObject(record);
                written++;
            }
            // An id that names no cycle is said, not answered with silence.
            if (CycleId != null && written == 0 && !Cancellation.IsCancellationRequested && !connection.Store.Logs.HasCycle(CycleId)
                && !connection.Store.LoadState().History.Any(c => string.Equals(c.CycleId, CycleId, StringComparison.OrdinalIgnoreCase)))
                WriteNotice($"No cycle '{CycleId}' is in the provisioning logs (the newest {ProvisioningLogStore.DefaultMaxCycles} cycles are kept) or in the job's history. (Get-DbxProvisioningStatus).LastExecutions lists the latest cycles.");
        }
    }
}
