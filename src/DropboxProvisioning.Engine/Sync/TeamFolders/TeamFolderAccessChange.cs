using System;
using System.Collections.Generic;
using DropboxProvisioning.Collections;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    /// <summary>
    /// What one team folder access change does: Grant (sharing/add_folder_member, after team_folder/create when asked),
    /// ChangeAccess (update_folder_member), Revoke (remove_folder_member of a grant the engine made and the table no longer
    /// has), Forget (a grant whose group or team folder is gone: only the state changes), Skip (nothing can be done; the reason says why).
    /// </summary>
    public enum TeamFolderAccessAction : long { Grant, ChangeAccess, Revoke, Forget, Skip }

    /// <summary>
    /// One planned change of a provisioned group's access to a team folder: what the cmdlet asks ShouldProcess about and
    /// what the provisioning log records (ObjectType TeamFolderAccess). The plan is never edited; the outcome sits beside it.
    /// </summary>
    public sealed class TeamFolderAccessChange
    {
        private readonly Guid _changeId = Guid.NewGuid();

        public string ChangeId => _changeId.ToString();
        public TeamFolderAccessAction Action { get; internal set; }

        /// <summary>The Entra object id of the group (null for a row that names no provisioned group).</summary>
        public string GroupId { get; internal set; }
        public string GroupName { get; internal set; }

        /// <summary>The Dropbox group id as planned; null for a group this cycle creates (found when the change runs).</summary>
        public string DropboxGroupId { get; internal set; }

        public string TeamFolder { get; internal set; }

        /// <summary>The team folder's id (its shared folder's); null when the change creates it.</summary>
        public string TeamFolderId { get; internal set; }

        /// <summary>The team folder is created first (team_folder/create): the row asks for it and the team has none of that name.</summary>
        public bool CreatesTeamFolder { get; internal set; }

        public TeamFolderAccessLevel? AccessLevel { get; internal set; }
        public TeamFolderAccessLevel? OldAccessLevel { get; internal set; }
        public string Reason { get; internal set; }

        /// <summary>Planned (Skipped for a skip) until it ran; then Success, Warning or Failure.</summary>
        public ChangeStatus Status { get; private set; }

        /// <summary>What came of it (Dropbox's refusal, named by its Stone tag).</summary>
        public string StatusDetails { get; private set; }

        /// <summary>The Dropbox ids it ended with (a team folder it created, a group created this cycle).</summary>
        internal string RanTeamFolderId { get; private set; }
        internal string RanDropboxGroupId { get; private set; }

        private bool _ran;

        internal TeamFolderAccessChange(TeamFolderAccessAction action)
        {
            Action = action;
            Status = action == TeamFolderAccessAction.Skip ? ChangeStatus.Skipped : ChangeStatus.Planned;
        }

        internal void Record(ChangeStatus status, string details, string teamFolderId = null, string dropboxGroupId = null)
        {
            if (_ran) throw new InvalidOperationException($"The team folder access change {ChangeId} already has an outcome.");
            _ran = true;
            Status = status; StatusDetails = details; RanTeamFolderId = teamFolderId; RanDropboxGroupId = dropboxGroupId;
        }

        /// <summary>Its key in the state's TeamFolderEscrows: the group's Entra id and the team folder's name.</summary>
        internal string EscrowKey => (GroupId ?? "") + ":" + (TeamFolder ?? "").Trim();

        /// <summary>True when the change sends something to Dropbox.</summary>
        public bool WritesToDropbox => Action == TeamFolderAccessAction.Grant || Action == TeamFolderAccessAction.ChangeAccess || Action == TeamFolderAccessAction.Revoke;

        private string Level => AccessLevel.HasValue ? TeamFolderAccessRule.Tag(AccessLevel.Value) : null;

        /// <summary>The ShouldProcess text: exactly what would be done.</summary>
        public string Description
        {
            get
            {
                switch (Action)
                {
                    case TeamFolderAccessAction.Grant:
                        return (CreatesTeamFolder ? $"Create team folder '{TeamFolder}' and give" : "Give") + $" Dropbox group '{GroupName}' {Level} access to team folder '{TeamFolder}': {Reason}";
                    case TeamFolderAccessAction.ChangeAccess:
                        return $"Change Dropbox group '{GroupName}''s access to team folder '{TeamFolder}' from {TeamFolderAccessRule.Tag(OldAccessLevel.Value)} to {Level}: {Reason}";
                    case TeamFolderAccessAction.Revoke:
                        return $"Remove Dropbox group '{GroupName}''s {TeamFolderAccessRule.Tag(OldAccessLevel.Value)} access to team folder '{TeamFolder}': {Reason}";
                    case TeamFolderAccessAction.Forget:
                        return $"Forget the access of group '{GroupName}' to team folder '{TeamFolder}': {Reason}";
                    default:
                        return $"Skip access of '{GroupName}' to team folder '{TeamFolder}': {Reason}";
                }
            }
        }

        /// <summary>The change as a provisioning log record (ObjectType TeamFolderAccess; the source is the group, the target the team folder).</summary>
        internal ProvisioningLogRecord ToLogRecord(string cycleId, DateTimeOffset time)
        {
            var modified = new List<ModifiedProperty>();
            if (CreatesTeamFolder) modified.Add(new ModifiedProperty("teamFolder", null, TeamFolder));
            if (AccessLevel.HasValue || OldAccessLevel.HasValue)
                modified.Add(new ModifiedProperty("accessLevel", OldAccessLevel.HasValue ? TeamFolderAccessRule.Tag(OldAccessLevel.Value) : null,
                    Action == TeamFolderAccessAction.Revoke || Action == TeamFolderAccessAction.Forget ? null : Level));
            return new ProvisioningLogRecord
            {
                Time = time, CycleId = cycleId, ChangeId = ChangeId,
                Action = Action == TeamFolderAccessAction.Grant ? ChangeAction.Create
                    : Action == TeamFolderAccessAction.ChangeAccess ? ChangeAction.Update
                    : Action == TeamFolderAccessAction.Revoke ? ChangeAction.Delete
                    : Action == TeamFolderAccessAction.Skip ? ChangeAction.Skip : ChangeAction.Other,
                Status = Status,
                StatusDetails = StatusDetails ?? Description,
                ObjectType = "TeamFolderAccess",
                SourceId = GroupId, SourceIdentity = GroupName,
                TargetId = RanTeamFolderId ?? TeamFolderId, TargetIdentity = TeamFolder,
                ModifiedProperties = new TextList<ModifiedProperty>(modified),
            };
        }

        public override string ToString() => Description;
    }
}
