using System;
using System.Management.Automation;
using DropboxProvisioning.State;
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
        protected DbxConnection RequireConnection() => RequireSession(Connection,
            "There is no connection in this session. Run Connect-DbxTenant first (Connect-DbxTenant -Sandbox to rehearse), or pass -Connection.");

        /// <summary>
        /// Changes the job's state under the state directory's lock, so a cycle running at the same time cannot
        /// write its own copy over the change (a second writer is refused with CycleRunning). The edit returns
        /// false to save nothing. Returns the state as it now is. Under -WhatIf the lock is taken without writing it.
        /// </summary>
        protected ProvisioningState EditState(DbxConnection connection, Func<ProvisioningState, bool> edit)
        {
            using (IsWhatIf ? CycleLock.AcquireForReading(connection.Store) : CycleLock.Acquire(connection.Store, "state change", connection.Clock))
            {
                var state = connection.Store.LoadState();
                if (edit(state)) connection.Store.SaveState(state);
                return state;
            }
        }

        /// <summary>The connection if there is one, else null.</summary>
        protected DbxConnection OptionalConnection() => Connection ?? RunspaceSessions<DbxConnection>.Current;
    }
}
