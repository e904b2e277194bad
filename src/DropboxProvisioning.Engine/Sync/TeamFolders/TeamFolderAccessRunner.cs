using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Time;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Carries out the approved team folder access changes after the groups ran (so a group created in this cycle has its
    /// Dropbox id): team_folder/create once per new folder, then add, update or remove of the group; each outcome is
    /// recorded beside its change, in the state's grants and in the provisioning log. A refused change is not recorded as
    /// granted and waits in escrow (doubling backoff, as refused user and group writes do) before it is sent again; a
    /// success clears its escrow. A change not approved is left as planned.
    /// </summary>
    internal sealed class TeamFolderAccessRunner
    {
        private readonly IDropboxTeamFolders _target;
        private readonly ICycleObserver _observer;
        private readonly IClock _clock;
        private readonly TimeSpan _cycleInterval;

        public TeamFolderAccessRunner(IDropboxTeamFolders target, ICycleObserver observer, IClock clock, TimeSpan cycleInterval)
        {
            _target = target; _observer = observer; _clock = clock; _cycleInterval = cycleInterval;
        }

        public async Task RunAsync(string cycleId, ProvisioningState state, IReadOnlyList<TeamFolderAccessChange> changes, Func<TeamFolderAccessChange, bool> approved,
            CycleLogWriter log, CancellationToken cancellationToken)
        {
            var created = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var change in changes)
            {
                if (cancellationToken.IsCancellationRequested) return;
                if (change.WritesToDropbox && !approved(change)) continue;
                switch (change.Action)
                {
                    case TeamFolderAccessAction.Skip:
                        break;
                    case TeamFolderAccessAction.Forget:
                        lock (state.Gate) state.TeamFolderGrants.RemoveAll(g => Same(g, change.GroupId, change.TeamFolderId, change.DropboxGroupId));
                        change.Record(ChangeStatus.Success, change.Description);
                        break;
                    default:
                        var goOn = await WriteAsync(change, state, created, cancellationToken).ConfigureAwait(false);
                        Escrow(state, change);
                        if (!goOn)
                        {
                            log.Write(change.ToLogRecord(cycleId, _clock.UtcNow));
                            return; // the credentials were refused: nothing further can succeed
                        }
                        break;
                }
                log.Write(change.ToLogRecord(cycleId, _clock.UtcNow));
            }
        }

        /// <summary>One write; false when Dropbox refused the credentials.</summary>
        private async Task<bool> WriteAsync(TeamFolderAccessChange change, ProvisioningState state, Dictionary<string, string> created, CancellationToken cancellationToken)
        {
            string folderId = change.TeamFolderId, groupId = change.DropboxGroupId;
            try
            {
                if (groupId == null)
                {
                    lock (state.Gate) groupId = state.Groups.TryGetValue(change.GroupId, out var managed) ? managed.TargetId : null;
                    if (groupId == null)
                    {
                        change.Record(ChangeStatus.Failure, $"The group '{change.GroupName}' has no Dropbox group yet (its create failed or was not approved): no access was given; it waits in escrow (doubling backoff) before it is tried again.");
                        return true;
                    }
                }
                var now = _clock.UtcNow;
                var level = change.AccessLevel.HasValue ? TeamFolderAccessRule.Tag(change.AccessLevel.Value) : null;
                switch (change.Action)
                {
                    case TeamFolderAccessAction.Grant:
                        if (folderId == null && !created.TryGetValue(change.TeamFolder, out folderId))
                        {
                            folderId = (await _target.CreateTeamFolderAsync(change.TeamFolder, cancellationToken).ConfigureAwait(false)).Id;
                            created[change.TeamFolder] = folderId;
                            _observer.Verbose($"Created the team folder '{change.TeamFolder}' ({folderId}).");
                        }
                        await _target.AddFolderGroupAsync(folderId, groupId, level, cancellationToken).ConfigureAwait(false);
                        lock (state.Gate)
                        {
                            state.TeamFolderGrants.RemoveAll(g => Same(g, change.GroupId, folderId, null));
                            state.TeamFolderGrants.Add(new TeamFolderGrant
                            {
                                GroupId = change.GroupId, GroupName = change.GroupName, DropboxGroupId = groupId, TeamFolderId = folderId, TeamFolder = change.TeamFolder,
                                AccessLevel = change.AccessLevel.Value, GrantedOn = now,
                            });
                        }
                        change.Record(ChangeStatus.Success, (change.CreatesTeamFolder ? $"Created the team folder '{change.TeamFolder}' and gave" : "Gave")
                            + $" the group '{change.GroupName}' {level} access (sharing/add_folder_member): {change.Reason}.", folderId, groupId);
                        break;
                    case TeamFolderAccessAction.ChangeAccess:
                        await _target.UpdateFolderGroupAsync(folderId, groupId, level, cancellationToken).ConfigureAwait(false);
                        lock (state.Gate)
                            foreach (var grant in state.TeamFolderGrants.Where(g => Same(g, change.GroupId, folderId, groupId)))
                            {
                                grant.AccessLevel = change.AccessLevel.Value;
                                grant.ChangedOn = now;
                            }
                        change.Record(ChangeStatus.Success, $"Changed the group '{change.GroupName}''s access from {TeamFolderAccessRule.Tag(change.OldAccessLevel.Value)} to {level} (sharing/update_folder_member): {change.Reason}.", folderId, groupId);
                        break;
                    case TeamFolderAccessAction.Revoke:
                        try
                        {
                            await _target.RemoveFolderGroupAsync(folderId, groupId, cancellationToken).ConfigureAwait(false);
                            change.Record(ChangeStatus.Success, $"Removed the group '{change.GroupName}''s access (sharing/remove_folder_member): {change.Reason}.", folderId, groupId);
                        }
                        catch (DropboxTargetException e) when (e.Message.Contains("member_error/not_a_member"))
                        {
                            change.Record(ChangeStatus.Warning, $"The group '{change.GroupName}' was no longer a member of the team folder (someone removed it by hand, member_error/not_a_member): the grant is forgotten.", folderId, groupId);
                        }
                        lock (state.Gate) state.TeamFolderGrants.RemoveAll(g => Same(g, change.GroupId, folderId, groupId));
                        break;
                }
                return true;
            }
            catch (DropboxTargetException e) when (!cancellationToken.IsCancellationRequested)
            {
                change.Record(ChangeStatus.Failure, $"Dropbox refused it: {e.Message} Nothing is recorded as granted; it waits in escrow (doubling backoff) before it is sent again.", folderId, groupId);
                return !e.IsCredentialFailure;
            }
        }

        /// <summary>A refusal waits in escrow with backoff; a success clears it. A change cut short by Ctrl+C is neither.</summary>
        private void Escrow(ProvisioningState state, TeamFolderAccessChange change)
        {
            lock (state.Gate)
            {
                if (change.Status == ChangeStatus.Failure)
                {
                    if (!state.TeamFolderEscrows.TryGetValue(change.EscrowKey, out var escrow))
                        state.TeamFolderEscrows[change.EscrowKey] = escrow = new EscrowEntry { SourceId = change.GroupId, Identity = $"{change.GroupName} -> {change.TeamFolder}" };
                    escrow.Failed(change.StatusDetails, _clock.UtcNow, _cycleInterval);
                }
                else if (change.Status == ChangeStatus.Success || change.Status == ChangeStatus.Warning)
                    state.TeamFolderEscrows.Remove(change.EscrowKey);
            }
        }

        private static bool Same(TeamFolderGrant grant, string groupId, string folderId, string dropboxGroupId) =>
            string.Equals(grant.GroupId, groupId, StringComparison.OrdinalIgnoreCase) && grant.TeamFolderId == folderId && (dropboxGroupId == null || grant.DropboxGroupId == dropboxGroupId);
    }
}
