using System;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Status
{
    /// <summary>
    /// <para type="synopsis">Turns provisioning On or Off. Off pauses: no cycle runs and nothing in Dropbox changes; On picks up where it left off.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "DbxProvisioningStatus", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ProvisioningStatusReport))]
    public sealed class SetDbxProvisioningStatusCommand : DbxConnectedCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public ProvisioningToggle Status { get; set; }

        /// <summary>Write the resulting status to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            var state = EditState(connection, current =>
            {
                if (current.Status == Status)
                {
                    WriteVerbose($"Provisioning is already {Status}.");
                    return false;
                }
                if (!ShouldProcess(connection.StatePath, $"Set provisioning status from {current.Status} to {Status}")) return false;
                return StatusToggle.Apply(current, Status, DateTimeOffset.UtcNow);
            });
            if (PassThru) WriteObject(ProvisioningStatusReport.From(state, connection.StatePath));
        }
    }
}
