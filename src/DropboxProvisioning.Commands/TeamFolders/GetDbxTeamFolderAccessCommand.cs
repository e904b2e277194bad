using System;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.TeamFolders
{
    /// <summary>
    /// <para type="synopsis">Lists the job's team folder table beside the access the engine has granted (Team API).</para>
    /// <para type="description">One object per row: the group, the team folder, the access level asked for, -Create, and what the engine granted and when (State Granted, or Pending until the next cycle grants it or changes its level); then one object per grant the engine made that no row asks for any more (State Removing: the next cycle removes it). Reads the saved configuration and state only; nothing is sent to Dropbox.</para>
    /// <para type="link">Set-DbxTeamFolderAccess</para>
    /// <para type="link">Remove-DbxTeamFolderAccess</para>
    /// </summary>
    /// <example>
    /// <para>Lists the table and what is granted.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi
    /// Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales -AccessLevel viewer | Out-Null
    /// Get-DbxTeamFolderAccess
    /// </code>
    /// </example>
    /// <example>
    /// <para>The rows of one team folder.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi
    /// Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales | Out-Null
    /// Get-DbxTeamFolderAccess -TeamFolder Sales
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "DbxTeamFolderAccess")]
    [OutputType(typeof(TeamFolderAccessEntry))]
    public sealed class GetDbxTeamFolderAccessCommand : DbxConnectedCmdlet
    {
        /// <summary>Only the rows of this group (object id or name; wildcards allowed).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string Group { get; set; }

        /// <summary>Only the rows of this team folder (wildcards allowed).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string TeamFolder { get; set; }

        protected override void OnProcessRecord()
        {
            var connection = RequireConnection();
            var entries = TeamFolderAccessEntry.Of(connection.Store.LoadConfiguration(), connection.Store.LoadState());
            var group = Group == null ? null : new WildcardPattern(Group, WildcardOptions.IgnoreCase);
            var folder = TeamFolder == null ? null : new WildcardPattern(TeamFolder, WildcardOptions.IgnoreCase);
            foreach (var entry in entries.Where(e => (group == null || group.IsMatch(e.Group) || (e.GroupId != null && group.IsMatch(e.GroupId))) && (folder == null || folder.IsMatch(e.TeamFolder))))
                WriteObject(entry);
        }
    }
}
