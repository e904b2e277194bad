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
        protected override void EndProcessing()
        {
            var connection = RequireConnection();
            try { WriteObject(connection.Store.LoadConfiguration().Settings); }
            catch (Errors.DbxException e) { ThrowTerminating(e); }
        }
    }
}
