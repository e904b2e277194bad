using System;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.Commands.Sync
{
    /// <summary>
    /// <para type="synopsis">Reads the provisioning logs, newest first: one record per action, shaped like Entra's provisioning logs.</para>
    /// <para type="description">Records are flat objects that Export-Csv and ConvertTo-Json take as they are; ModifiedPropertiesText holds the changed attributes as one line.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DbxProvisioningLog")]
    [OutputType(typeof(ProvisioningLogRecord))]
    public sealed class GetDbxProvisioningLogCommand : DbxConnectedCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string CycleId { get; set; }

        [Parameter]
        public ChangeStatus[] Status { get; set; }

        [Parameter]
        public ChangeAction[] Action { get; set; }

        /// <summary>User or Group.</summary>
        [Parameter]
        public DropboxProvisioning.Mapping.ObjectType[] ObjectType { get; set; }

        /// <summary>Matches the source or target identity or id (wildcards).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Identity { get; set; }

        [Parameter]
        public DateTimeOffset After { get; set; }

        [Parameter]
        public DateTimeOffset Before { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; } = int.MaxValue;

        protected override void OnProcessRecord()
        {
            var connection = RequireConnection();
            var pattern = Identity == null ? null : new WildcardPattern(Identity, WildcardOptions.IgnoreCase);
            var bound = MyInvocation.BoundParameters;
            var written = 0;
            foreach (var record in new ProvisioningLogStore(connection.Store.LogDirectory).Read())
            {
                if (Cancellation.IsCancellationRequested || written >= First) break;
                if (CycleId != null && !string.Equals(record.CycleId, CycleId, StringComparison.OrdinalIgnoreCase)) continue;
                if (Status != null && !Status.Contains(record.Status)) continue;
                if (Action != null && !Action.Contains(record.Action)) continue;
                if (ObjectType != null && !ObjectType.Any(t => string.Equals(t.ToString(), record.ObjectType, StringComparison.OrdinalIgnoreCase))) continue;
                if (bound.ContainsKey(nameof(After)) && record.Time < After) continue;
                if (bound.ContainsKey(nameof(Before)) && record.Time >= Before) continue;
                if (pattern != null && !new[] { record.SourceIdentity, record.TargetIdentity, record.SourceId, record.TargetId }.Any(v => v != null && pattern.IsMatch(v))) continue;
                WriteObject(record);
                written++;
            }
            // An id that names no cycle is said, not answered with silence.
            if (CycleId != null && written == 0 && !Cancellation.IsCancellationRequested && !new ProvisioningLogStore(connection.Store.LogDirectory).HasCycle(CycleId)
                && !connection.Store.LoadState().History.Any(c => string.Equals(c.CycleId, CycleId, StringComparison.OrdinalIgnoreCase)))
                WriteWarning($"No cycle '{CycleId}' is in the provisioning logs (the newest {ProvisioningLogStore.DefaultMaxCycles} cycles are kept) or in the job's history. (Get-DbxProvisioningStatus).LastExecutions lists the latest cycles.");
        }
    }
}
