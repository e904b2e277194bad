using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Status
{
    /// <summary>
    /// <para type="synopsis">Clears part of the job's state: Full (forget managed accounts; they are matched again), Watermark (next cycle is an initial one), Escrows, or Quarantine.</para>
    /// <para type="description">Nothing in Dropbox changes. After -Scope Full, managed accounts that are out of scope are no longer the engine's to suspend until they are matched again.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "DbxProvisioning", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ProvisioningStatusReport))]
    public sealed class RestartDbxProvisioningCommand : DbxConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public RestartScope Scope { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            var state = EditState(connection, current =>
            {
                if (!ShouldProcess(connection.StatePath, $"Restart provisioning: clear {Scope}")) return false;
                StateRestart.Apply(current, Scope);
                return true;
            });
            if (PassThru) WriteObject(ProvisioningStatusReport.From(state, connection.StatePath));
        }
    }
}
