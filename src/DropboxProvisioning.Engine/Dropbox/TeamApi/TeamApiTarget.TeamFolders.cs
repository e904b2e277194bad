using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Dropbox.TeamApi
{
    /// <summary>Team folders: listed and created as the team, shared with groups as the authorizing admin (TeamApiClient.TeamFolders.cs).</summary>
    public sealed partial class TeamApiTarget : IDropboxTeamFolders
    {
        public Task<IReadOnlyList<DropboxTeamFolder>> ListTeamFoldersAsync(CancellationToken cancellationToken) => _client.ListTeamFoldersAsync(cancellationToken);

        public Task<DropboxTeamFolder> CreateTeamFolderAsync(string name, CancellationToken cancellationToken) => _client.CreateTeamFolderAsync(name, cancellationToken);

        public Task AddFolderGroupAsync(string sharedFolderId, string groupId, string accessLevel, CancellationToken cancellationToken) =>
            _client.AddFolderGroupAsync(sharedFolderId, groupId, accessLevel, cancellationToken);

        public Task UpdateFolderGroupAsync(string sharedFolderId, string groupId, string accessLevel, CancellationToken cancellationToken) =>
            _client.UpdateFolderGroupAsync(sharedFolderId, groupId, accessLevel, cancellationToken);

        public Task RemoveFolderGroupAsync(string sharedFolderId, string groupId, CancellationToken cancellationToken) =>
            _client.RemoveFolderGroupAsync(sharedFolderId, groupId, cancellationToken);
    }
}
