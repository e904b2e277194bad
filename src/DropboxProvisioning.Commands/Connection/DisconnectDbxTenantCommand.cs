using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Connection;

namespace DropboxProvisioning.Commands.Connection
{
    /// <summary>
    /// <para type="synopsis">Forgets the current connection of this session. The state on disk is kept.</para>
    /// <para type="description">The connection is disposed and is no longer the current one of this runspace; cmdlets then need Connect-DbxTenant again. The job's state directory (managed accounts, configuration, logs) stays where it is, so connecting again to the same tenant and app picks up where it left off.</para>
    /// <para type="link">Connect-DbxTenant</para>
    /// </summary>
    /// <example>
    /// <para>Connects to the sandbox, then forgets the connection.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox | Out-Null
    /// Disconnect-DbxTenant -Verbose
    /// </code>
    /// </example>
    /// <example>
    /// <para>A state directory named with -StatePath outlives the connection (a sandbox connection's own temporary directory goes with it): the state, configuration and log stay for the next connection.</para>
    /// <code>
    /// $statePath = Join-Path ([System.IO.Path]::GetTempPath()) "dbx-rehearsal-$PID"
    /// Connect-DbxTenant -Sandbox -StatePath $statePath | Out-Null
    /// Invoke-DbxProvisioningCycle | Out-Null
    /// Disconnect-DbxTenant
    /// (Get-ChildItem -LiteralPath $statePath).Name
    /// </code>
    /// </example>
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
