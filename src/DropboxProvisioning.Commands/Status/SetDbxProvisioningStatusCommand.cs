using System;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Status
{
    /// <summary>
    /// <para type="synopsis">Turns provisioning On or Off. Off pauses: no cycle runs and nothing in Dropbox changes; On picks up where it left off.</para>
    /// <para type="description">Off is Entra's "Stop provisioning": no cycle runs (Invoke-DbxProvisioningCycle says the job is paused) and nothing in Dropbox changes. On resumes with an incremental cycle from the stored watermark; nothing is forgotten in between.</para>
    /// <para type="link">Get-DbxProvisioningStatus</para>
    /// <para type="link">Restart-DbxProvisioning</para>
    /// </summary>
    /// <example>
    /// <para>Pauses provisioning.</para>
    /// <code>
    /// Set-DbxProvisioningStatus -Status Off
    /// </code>
    /// </example>
    /// <example>
    /// <para>Pauses, then resumes and shows the resulting status.</para>
    /// <code>
    /// Set-DbxProvisioningStatus -Status Off
    /// Set-DbxProvisioningStatus -Status On -PassThru
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "DbxProvisioningStatus", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ProvisioningStatusReport))]
    public sealed class SetDbxProvisioningStatusCommand : DbxConnectedCmdlet
    {
        /// <summary>On (provisioning runs) or Off (paused).</summary>
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
                return StatusToggle.Apply(current, Status, connection.Clock.UtcNow);
            });
            if (PassThru) WriteObject(ProvisioningStatusReport.From(state, connection.StatePath));
        }
    }
}
