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

        protected override void OnProcessRecord()
        {
            var connection = RequireConnection();
            var planned = ParameterSetName == "Group"
                ? RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).PlanOnDemandGroupAsync(GroupId, cancel))
                : RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).PlanOnDemandAsync(UserId, cancel));
            using (planned.Plan)
            {
                var change = planned.Result.Change;
                var approved = change != null && change.Action != ChangeAction.Skip && ShouldProcess(change.TargetIdentity ?? change.SourceIdentity, change.Description);
                WriteObject(RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).ExecuteOnDemandAsync(planned.Result, planned.Plan, approved, cancel)));
            }
        }
    }
}
