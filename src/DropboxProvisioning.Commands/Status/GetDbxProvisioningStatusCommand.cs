using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Status
{
    /// <summary>
    /// <para type="synopsis">Shows whether provisioning is On or Off, the job's status code and its latest cycles.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DbxProvisioningStatus")]
    [OutputType(typeof(ProvisioningStatusReport))]
    public sealed class GetDbxProvisioningStatusCommand : DbxConnectedCmdlet
    {
        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            WriteObject(ProvisioningStatusReport.From(connection.Store.LoadState(), connection.StatePath));
        }
    }
}
