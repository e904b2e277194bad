using System.Management.Automation;
using DropboxProvisioning.Connection;

namespace DropboxProvisioning.Commands.Infrastructure
{
    /// <summary>A cmdlet that works on a connection: -Connection, or the runspace's current one.</summary>
    public abstract class DbxConnectedCmdlet : DbxCmdlet
    {
        /// <summary>The connection to use instead of the current one (from Connect-DbxTenant).</summary>
        [Parameter]
        [ValidateNotNull]
        public DbxConnection Connection { get; set; }

        /// <summary>The connection to work on; terminates with a clear error when there is none.</summary>
        protected DbxConnection RequireConnection()
        {
            var connection = Connection ?? RunspaceSessions<DbxConnection>.Current;
            if (connection == null)
                ThrowTerminating("NotConnected", ErrorCategory.ConnectionError,
                    "There is no connection in this session. Run Connect-DbxTenant first (Connect-DbxTenant -Sandbox to rehearse), or pass -Connection.");
            return connection;
        }

        /// <summary>The connection if there is one, else null.</summary>
        protected DbxConnection OptionalConnection() => Connection ?? RunspaceSessions<DbxConnection>.Current;
    }
}
