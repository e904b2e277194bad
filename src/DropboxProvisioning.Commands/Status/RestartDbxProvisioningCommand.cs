using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Status
{
    /// <summary>
    /// <para type="synopsis">Clears part of the job's state: Full (forget managed accounts; they are matched again), Watermark (next cycle is an initial one), Escrows, or Quarantine.</para>
    /// <para type="description">Nothing in Dropbox changes. After -Scope Full, managed accounts that are out of scope are no longer the engine's to suspend until they are matched again.</para>
    /// <para type="link">Get-DbxProvisioningStatus</para>
    /// <para type="link">Invoke-DbxProvisioningCycle</para>
    /// </summary>
    /// <example>
    /// <para>Makes the next cycle an initial one (it reads every user, group and Dropbox account again) without asking for confirmation.</para>
    /// <code>
    /// Restart-DbxProvisioning -Scope Watermark -Confirm:$false
    /// </code>
    /// </example>
    /// <example>
    /// <para>Lifts a quarantine and shows the resulting status; without -Confirm:$false it asks first.</para>
    /// <code>
    /// Restart-DbxProvisioning -Scope Quarantine -Confirm:$false -PassThru
    /// </code>
    /// </example>
    [Cmdlet(VerbsLifecycle.Restart, "DbxProvisioning", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ProvisioningStatusReport))]
    public sealed class RestartDbxProvisioningCommand : DbxConnectedCmdlet
    {
        /// <summary>What to clear: Full (forget the managed accounts, escrows and watermark; accounts are matched again), Watermark (the next cycle is an initial one), Escrows (failed writes waiting for a retry) or Quarantine.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public RestartScope Scope { get; set; }

        /// <summary>Write the resulting status to the pipeline.</summary>
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
