using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Dropbox
{
    /// <summary>
    /// A target that offboards as Dropbox admins do by hand (the Team API): members/suspend with or without wipe_data,
    /// members/remove with MembersRemoveArg's options (its async job polled with members/remove/job_status/get), and
    /// members/recover. SCIM can only set active=false or delete: a SCIM target does not implement this.
    /// </summary>
    public interface IDropboxOffboarding
    {
        /// <summary>members/suspend (MembersDeactivateArg); false when Dropbox cannot suspend the member because it never joined (suspend_inactive_user).</summary>
        Task<bool> SuspendAsync(string id, bool wipeData, CancellationToken cancellationToken);

        /// <summary>members/remove with the removal's options, waiting for its job; refusals are DropboxTargetExceptions named by Stone's tag.</summary>
        Task RemoveAsync(string id, MemberRemoval removal, CancellationToken cancellationToken);

        /// <summary>members/recover: a member removed within Dropbox's recovery window comes back with its files and id.</summary>
        Task RecoverAsync(string id, CancellationToken cancellationToken);
    }

    /// <summary>MembersRemoveArg's options beside the user: transfer_dest_id and transfer_admin_id (by e-mail or team member id), keep_account, retain_team_shares, wipe_data.</summary>
    public sealed class MemberRemoval
    {
        public bool WipeData { get; set; } = true;
        /// <summary>The recipient of the files: a team_member_id ("dbmid:...") or an e-mail; null for no transfer.</summary>
        public string TransferDest { get; set; }
        /// <summary>When the recipient is an Entra user (the manager): its object id, whose managed member gets the files.</summary>
        public string TransferDestSourceId { get; set; }
        /// <summary>The admin told of transfer errors: a team_member_id or an e-mail; required with <see cref="TransferDest"/>.</summary>
        public string TransferAdmin { get; set; }
        public bool KeepAccount { get; set; }
        public bool RetainTeamShares { get; set; }

        public override string ToString()
        {
            var parts = new System.Collections.Generic.List<string> { "wipe_data " + (WipeData ? "true" : "false") };
            if (TransferDest != null) parts.Add($"transfer_dest_id {TransferDest}, transfer_admin_id {TransferAdmin}");
            if (KeepAccount) parts.Add("keep_account true");
            if (RetainTeamShares) parts.Add("retain_team_shares true");
            return string.Join(", ", parts);
        }
    }
}
