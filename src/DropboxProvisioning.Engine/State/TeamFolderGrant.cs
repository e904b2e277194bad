using System;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// Access to a team folder that the engine gave a provisioned group (sharing/add_folder_member), as the state keeps
    /// it: only these are ever changed or removed by the engine; access given by hand is never touched.
    /// </summary>
    public sealed class TeamFolderGrant
    {
        /// <summary>The Entra object id of the group.</summary>
        public string GroupId { get; set; }

        /// <summary>The group's name when it was granted (for messages).</summary>
        public string GroupName { get; set; }

        /// <summary>The Dropbox group id (g:...), the MemberSelector dropbox_id that was granted.</summary>
        public string DropboxGroupId { get; set; }

        /// <summary>team_folder_id, which is the team folder's shared_folder_id.</summary>
        public string TeamFolderId { get; set; }

        public string TeamFolder { get; set; }

        public TeamFolderAccessLevel AccessLevel { get; set; }

        public DateTimeOffset GrantedOn { get; set; }

        /// <summary>When the access level was last changed (sharing/update_folder_member); null when never.</summary>
        public DateTimeOffset? ChangedOn { get; set; }

        public TeamFolderGrant Clone() => (TeamFolderGrant)MemberwiseClone();

        public override string ToString() => $"{GroupName ?? GroupId} -> {TeamFolder} ({TeamFolderAccessRule.Tag(AccessLevel)}, since {GrantedOn:u})";
    }
}
