using System;
using System.Collections.Generic;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.Commands.Sync
{
    /// <summary>
    /// <para type="synopsis">Runs one Entra user or group through the whole pipeline now (import, scope, match, action) and shows each step, like Entra's "Provision on demand".</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "DbxProvisioningOnDemand", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "User")]
    [OutputType(typeof(OnDemandResult))]
    public sealed class StartDbxProvisioningOnDemandCommand : DbxConnectedCmdlet
    {
        /// <summary>The Entra user's object id or userPrincipalName.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = "User")]
        [Alias("Id", "UserPrincipalName")]
        [ValidateNotNullOrEmpty]
        public string UserId { get; set; }

        /// <summary>The Entra group's object id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Group")]
        [ValidateNotNullOrEmpty]
        public string GroupId { get; set; }

        /// <summary>Provisioning log records (Get-DbxProvisioningLog): each record's object (SourceId, user or group) is provisioned once.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "LogRecord")]
        [ValidateNotNull]
        public ProvisioningLogRecord LogRecord { get; set; }

        // The log has many records per object: each object is provisioned once per pipeline.
        private readonly HashSet<string> _done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        protected override void OnProcessRecord()
        {
            var connection = RequireConnection();
            var group = ParameterSetName == "Group";
            var id = group ? GroupId : UserId;
            if (ParameterSetName == "LogRecord")
            {
                if (string.IsNullOrEmpty(LogRecord.SourceId))
                {
                    WriteError(Record("LogRecordWithoutSource", ErrorCategory.InvalidArgument, $"The log record {LogRecord.ChangeId} has no SourceId (an Entra object) to provision.", LogRecord));
                    return;
                }
                group = string.Equals(LogRecord.ObjectType, nameof(DropboxProvisioning.Mapping.ObjectType.Group), StringComparison.OrdinalIgnoreCase);
                id = LogRecord.SourceId;
                if (!_done.Add((group ? "g:" : "u:") + id))
                {
                    WriteVerbose($"'{LogRecord.SourceIdentity ?? id}' was provisioned already by this command.");
                    return;
                }
            }
            var planned = group
                ? RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).PlanOnDemandGroupAsync(id, cancel))
                : RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).PlanOnDemandAsync(id, cancel));
            using (planned.Plan)
            {
                var change = planned.Result.Change;
                var approved = change != null && change.Action != ChangeAction.Skip && ShouldProcess(change.TargetIdentity ?? change.SourceIdentity, change.Description);
                WriteObject(RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).ExecuteOnDemandAsync(planned.Result, planned.Plan, approved, cancel)));
            }
        }
    }
}
