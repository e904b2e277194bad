using System;
using System.Collections.Generic;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.Commands.Sync
{
    /// <summary>
    /// <para type="synopsis">Runs one Entra user or group through the whole pipeline now (import, scope, match, action) and shows each step, like Entra's "Provision on demand".</para>
    /// <para type="description">Like "Provision on demand" in the Entra admin center: the user (or group) is read from Entra ID, its assignment and the scoping filters are checked, it is matched in Dropbox, and the action the next cycle would take is taken now. The steps are returned with their status and details, so a failure says where it happened. The change is logged like a cycle's.</para>
    /// <para type="link">Invoke-DbxProvisioningCycle</para>
    /// <para type="link">Test-DbxAttributeMapping</para>
    /// <para type="link">Get-DbxProvisioningLog</para>
    /// </summary>
    /// <example>
    /// <para>Provisions one user now and shows each step (import, scope, match, action).</para>
    /// <code>
    /// Start-DbxProvisioningOnDemand -UserId zoltan.jones@contoso.com
    /// </code>
    /// </example>
    /// <example>
    /// <para>Provisions the Sales group of the sandbox tenant now.</para>
    /// <code>
    /// $connection = Connect-DbxTenant -Sandbox
    /// $sales = $connection.Sandbox.Directory.Groups | Where-Object DisplayName -eq 'Sales'
    /// Start-DbxProvisioningOnDemand -GroupId $sales.Id
    /// </code>
    /// </example>
    [Cmdlet(VerbsLifecycle.Start, "DbxProvisioningOnDemand", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "User")]
    [OutputType(typeof(OnDemandResult))]
    public sealed class StartDbxProvisioningOnDemandCommand : DbxConnectedCmdlet
    {
        /// <summary>The Entra user's object id or userPrincipalName.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = "User")]
        [Alias("Id", "UserPrincipalName", "SourceId")]
        [ValidateNotNullOrEmpty]
        public string UserId { get; set; }

        /// <summary>The Entra group's object id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Group")]
        [ValidateNotNullOrEmpty]
        public string GroupId { get; set; }

        /// <summary>Group when the id piped by property name (a provisioning log record's SourceId) is an Entra group's.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = "User")]
        public DropboxProvisioning.Mapping.ObjectType ObjectType { get; set; } = DropboxProvisioning.Mapping.ObjectType.User;

        // Get-DbxProvisioningLog gives many records per object: each object is provisioned once per pipeline.
        private readonly HashSet<string> _done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        protected override void OnProcessRecord()
        {
            var connection = RequireConnection();
            var group = ParameterSetName == "Group" || ObjectType == DropboxProvisioning.Mapping.ObjectType.Group;
            var id = ParameterSetName == "Group" ? GroupId : UserId;
            if (MyInvocation.ExpectingInput && !_done.Add((group ? "group:" : "user:") + id))
            {
                WriteVerbose($"'{id}' was provisioned already by this command.");
                return;
            }
            var whatIf = IsWhatIf;
            var planned = group
                ? RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).PlanOnDemandGroupAsync(id, cancel, whatIf))
                : RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).PlanOnDemandAsync(id, cancel, whatIf));
            using (planned.Plan)
            {
                var change = planned.Result.Change;
                var approved = change != null && change.Action != ChangeAction.Skip && ShouldProcess(change.TargetIdentity ?? change.SourceIdentity, change.Description);
                WriteObject(RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).ExecuteOnDemandAsync(planned.Result, planned.Plan, approved, cancel)));
            }
        }
    }
}
