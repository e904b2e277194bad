using System;
using System.Collections.Generic;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>What one provisioning cycle did.</summary>
    public sealed class CycleResult
    {
        public string CycleId { get; set; }
        public DateTimeOffset StartTime { get; set; }
        public DateTimeOffset? EndTime { get; set; }
        public CycleStatus Status { get; set; }
        public CycleMode Mode { get; set; }
        public int Created { get; set; }
        public int Updated { get; set; }
        public int Suspended { get; set; }
        public int Deleted { get; set; }
        /// <summary>Existing Dropbox accounts taken under management (also counted in Updated when they were changed).</summary>
        public int Adopted { get; set; }
        public int Skipped { get; set; }
        public int Failed { get; set; }
        public int Unchanged { get; set; }

        public int GroupsCreated { get; set; }
        public int GroupsUpdated { get; set; }
        public int GroupsDeleted { get; set; }

        /// <summary>Accounts Dropbox refused because the team's licenses ran out (also counted in Failed).</summary>
        public int LicenseLimited { get; set; }

        /// <summary>
        /// New accounts held back in escrow (LicenseLimit) because the license check (CheckLicenses) found no license free
        /// for them: counted in Skipped, never in Failed; created by a later cycle.
        /// </summary>
        public int LicenseDeferred { get; set; }

        /// <summary>Invited members sent the invitation again (InviteReminderAfterDays; members/send_welcome_email).</summary>
        public int InvitesResent { get; set; }

        /// <summary>Invitations withdrawn (WithdrawInviteAfterDays; members/remove of the invited member; also counted in Deleted).</summary>
        public int InvitesWithdrawn { get; set; }

        /// <summary>Team folder access given to provisioned groups (sharing/add_folder_member), changed, and removed, by the team folder table.</summary>
        public int TeamFolderAccessGranted { get; set; }
        public int TeamFolderAccessChanged { get; set; }
        public int TeamFolderAccessRevoked { get; set; }

        /// <summary>Rows of the team folder table that could not be carried out (no such provisioned group or team folder); the changes say why.</summary>
        public int TeamFolderAccessSkipped { get; set; }

        /// <summary>
        /// The team folder access changes of the cycle, with their outcomes (empty without a team folder table); as text
        /// (Export-Csv, ConvertTo-Json's depth limit) the changes joined by "; ".
        /// </summary>
        public Collections.TextList<TeamFolderAccessChange> TeamFolderAccess { get; set; } = new Collections.TextList<TeamFolderAccessChange>();

        /// <summary>The quarantine reason this cycle put the job in, if any.</summary>
        public string Quarantine { get; set; }

        /// <summary>How many Entra users were in scope for this cycle.</summary>
        public int InScope { get; set; }

        /// <summary>
        /// Set when the cycle stopped at its deadline (Status Partial): the changes it left, which the next cycle makes.
        /// </summary>
        public RemainingChanges RemainingChanges { get; set; }

        /// <summary>Which part of its cycle this run was: 1, or more when it continued one that stopped at its deadline.</summary>
        public int Part { get; set; } = 1;

        /// <summary>When this run continued a cycle that stopped at its deadline: the id of the part before it.</summary>
        public string ResumedFrom { get; set; }

        /// <summary>Every change the cycle planned, with its outcome.</summary>
        public List<ProvisioningChange> Changes { get; set; } = new ChangeList();

        public TimeSpan? Duration => EndTime - StartTime;

        public CycleSummary ToSummary() => new CycleSummary
        {
            CycleId = CycleId, StartTime = StartTime, EndTime = EndTime, Status = Status, Mode = Mode,
            Created = Created, Updated = Updated, Suspended = Suspended, Deleted = Deleted, Adopted = Adopted, Skipped = Skipped, Failed = Failed,
            GroupsCreated = GroupsCreated, GroupsUpdated = GroupsUpdated, GroupsDeleted = GroupsDeleted,
            Remaining = RemainingChanges?.Total,
        };
    }
}
