using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Status
{
    /// <summary>
    /// <para type="synopsis">Shows the job's settings: scope, notification email, deletion threshold, skip out-of-scope deletions, cycle interval.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DbxProvisioningSetting")]
    [OutputType(typeof(ProvisioningSettings))]
    public sealed class GetDbxProvisioningSettingCommand : DbxConnectedCmdlet
    {
        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            WriteObject(connection.Store.LoadConfiguration().Settings);
        }
    }
}
