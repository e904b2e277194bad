using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Dropbox
{
    /// <summary>A team folder as team_folder/list shows it (team.stone TeamFolderMetadata): its id is its shared folder's id.</summary>
    public sealed class DropboxTeamFolder
    {
        public string Id { get; set; }
        public string Name { get; set; }

        /// <summary>TeamFolderStatus: active, archived, archive_in_progress or inactive.</summary>
        public string Status { get; set; }

        public bool IsActive => Status == "active";

        public override string ToString() => $"{Name} ({Id}, {Status})";
    }

    /// <summary>
    /// A target that can give groups access to team folders (the Team API: team_folder/list and create as the team,
    /// sharing/add_folder_member, update_folder_member and remove_folder_member as a team admin). SCIM has no team
    /// folders: a SCIM target does not implement this, and a team folder table is refused there.
    /// </summary>
    public interface IDropboxTeamFolders
    {
        /// <summary>Every team folder of the team (team_folder/list and list/continue).</summary>
        Task<IReadOnlyList<DropboxTeamFolder>> ListTeamFoldersAsync(CancellationToken cancellationToken);

        /// <summary>team_folder/create: a new, active team folder with no members.</summary>
        Task<DropboxTeamFolder> CreateTeamFolderAsync(string name, CancellationToken cancellationToken);

        /// <summary>sharing/add_folder_member of the group (MemberSelector dropbox_id), quietly, at the access level (editor or viewer).</summary>
        Task AddFolderGroupAsync(string sharedFolderId, string groupId, string accessLevel, CancellationToken cancellationToken);

        /// <summary>sharing/update_folder_member of the group to the access level.</summary>
        Task UpdateFolderGroupAsync(string sharedFolderId, string groupId, string accessLevel, CancellationToken cancellationToken);

        /// <summary>sharing/remove_folder_member of the group (leave_a_copy false, as Stone requires for a group), its job polled to the end.</summary>
        Task RemoveFolderGroupAsync(string sharedFolderId, string groupId, CancellationToken cancellationToken);
    }
}
