using System;
using System.Management.Automation;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Commands.Infrastructure;

namespace DropboxProvisioning.Commands.Activity
{
    /// <summary>A cmdlet that reads the activity log: -ActivityConnection, or the runspace's current one (Connect-DbxActivity).</summary>
    public abstract class DbxActivityCmdlet : DbxCmdlet
    {
        /// <summary>The activity connection to use instead of the current one.</summary>
        [Parameter]
        [ValidateNotNull]
        public ActivityConnection ActivityConnection { get; set; }

        protected ActivityConnection RequireActivityConnection() => RequireSession(ActivityConnection,
            "There is no activity connection in this session. Run Connect-DbxActivity first (after Connect-DbxTenant -Sandbox, Connect-DbxActivity -Sandbox), or pass -ActivityConnection.");
    }
}
