using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Connection;

namespace DropboxProvisioning.Commands.Connection
{
    /// <summary>
    /// <para type="synopsis">Forgets the current connection of this session. The state on disk is kept.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "DbxTenant")]
    [OutputType(typeof(void))]
    public sealed class DisconnectDbxTenantCommand : DbxCmdlet
    {
        protected override void OnEndProcessing()
        {
            var connection = RunspaceSessions<DbxConnection>.Current;
            if (connection == null)
            {
                WriteVerbose("There was no connection.");
                return;
            }
            RunspaceSessions<DbxConnection>.Current = null;
            connection.Dispose();
            WriteVerbose("Disconnected.");
        }
    }
}
