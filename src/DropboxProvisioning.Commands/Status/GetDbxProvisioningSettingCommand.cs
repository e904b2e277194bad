using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Status
{
    /// <summary>
    /// <para type="synopsis">Shows the job's settings: scope, notification email, deletion threshold, skip out-of-scope deletions, cycle interval.</para>
    /// <para type="description">The settings of Entra's Provisioning page for the Dropbox app: Scope (AssignedUsersAndGroups or AllUsersAndGroups), IncludeDefaultAccess, NotificationEmail and NotificationSender, DeletionThreshold (accidental deletions prevention), SkipOutOfScopeDeletions, TakeOverDropboxGroups (whether hand-made Dropbox groups and members may be removed), CycleInterval, MaxCycleDuration (the deadline after which a cycle stops and leaves the rest to the next one; none by default), FullReconciliationInterval (drift repair: how often a cycle reads Dropbox in full and puts back what was changed there by hand; off by default), the pacing of Dropbox requests (MaxConcurrency, MaxRequestsPerSecond), and the Team API's own: CheckLicenses (hold new accounts to the team's free licenses) and the invitation settings InviteReminderAfterDays, InviteReminderEveryDays and WithdrawInviteAfterDays (all off by default).</para>
    /// <para type="link">Set-DbxProvisioningSetting</para>
    /// <para type="link">Export-DbxProvisioningConfiguration</para>
    /// </summary>
    /// <example>
    /// <para>Shows the job's settings.</para>
    /// <code>
    /// Get-DbxProvisioningSetting
    /// </code>
    /// </example>
    /// <example>
    /// <para>Reads one setting in a script.</para>
    /// <code>
    /// (Get-DbxProvisioningSetting).DeletionThreshold
    /// </code>
    /// </example>
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
