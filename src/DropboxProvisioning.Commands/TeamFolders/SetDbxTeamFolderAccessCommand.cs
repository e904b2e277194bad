using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.TeamFolders
{
    /// <summary>
    /// <para type="synopsis">Gives a provisioned group access to a Dropbox team folder (Team API only): a row of the job's team folder table.</para>
    /// <para type="description">Each cycle gives every group the table names, and that the engine provisions, the access level of its row to the team folder of that name (sharing/add_folder_member on the team folder, as the admin who authorized the app), changes the level when the row changes (sharing/update_folder_member), and removes the access it gave when the row is removed (sharing/remove_folder_member). Access given by hand, and groups the engine does not provision, are never touched. -Create creates the team folder (team_folder/create) when the team has none of that name. The row is validated and the configuration saved whole; changing the table does not make the next cycle an initial one. Over SCIM the table is refused (TeamApiOnlyTeamFolderAccess). The Team API app needs the scopes team_data.content.read, team_data.content.write and sharing.write.</para>
    /// <para type="link">Get-DbxTeamFolderAccess</para>
    /// <para type="link">Remove-DbxTeamFolderAccess</para>
    /// <para type="link">Invoke-DbxProvisioningCycle</para>
    /// </summary>
    /// <example>
    /// <para>Gives the provisioned group Sales edit access to the team folder Sales, creating the folder if the team has none.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi
    /// Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales -AccessLevel editor -Create
    /// </code>
    /// </example>
    /// <example>
    /// <para>Makes the group's access read-only (the next cycle calls sharing/update_folder_member); -WhatIf shows the change and saves nothing.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi
    /// Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales -AccessLevel editor | Out-Null
    /// Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales -AccessLevel viewer -WhatIf
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "DbxTeamFolderAccess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(TeamFolderAccessEntry))]
    public sealed class SetDbxTeamFolderAccessCommand : DbxConfigurationCmdlet
    {
        /// <summary>The Entra group: its object id or its display name (a group the engine provisions).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Group { get; set; }

        /// <summary>The team folder's name (a top-level team folder; compared without regard to case).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string TeamFolder { get; set; }

        /// <summary>editor (default) or viewer.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public TeamFolderAccessLevel AccessLevel { get; set; } = TeamFolderAccessLevel.Editor;

        /// <summary>Create the team folder (team_folder/create) when the team has none of that name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SwitchParameter Create { get; set; }

        protected override void OnProcessRecord()
        {
            var saved = EditConfiguration($"team folder access of '{Group}' to '{TeamFolder}'", (before, after) =>
            {
                var old = before.TeamFolderAccess.Find(r => r.SameAs(Group, TeamFolder));
                if (old != null && old.AccessLevel == AccessLevel && old.Create == Create.IsPresent) return null;
                return old == null ? $"Give {TeamFolderAccessRule.Tag(AccessLevel)} access{(Create ? " (creating the team folder if missing)" : "")}"
                    : $"Change access: {TeamFolderAccessRule.Tag(old.AccessLevel)}{(old.Create ? ", create" : "")} -> {TeamFolderAccessRule.Tag(AccessLevel)}{(Create ? ", create" : "")}";
            }, configuration =>
            {
                var row = configuration.TeamFolderAccess.Find(r => r.SameAs(Group, TeamFolder));
                if (row == null) configuration.TeamFolderAccess.Add(row = new TeamFolderAccessRule { Group = Group.Trim(), TeamFolder = TeamFolder.Trim() });
                row.AccessLevel = AccessLevel;
                row.Create = Create.IsPresent;
            });
            if (saved == null) return;
            var entry = TeamFolderAccessEntry.Of(saved, RequireConnection().Store.LoadState()).Find(e => e.AccessLevel.HasValue && string.Equals(e.Group, Group.Trim(), System.StringComparison.OrdinalIgnoreCase) && string.Equals(e.TeamFolder, TeamFolder.Trim(), System.StringComparison.OrdinalIgnoreCase));
            if (entry != null) WriteObject(entry);
        }
    }
}
