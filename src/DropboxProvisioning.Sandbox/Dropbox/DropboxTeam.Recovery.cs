using System;
using System.Linq;

namespace DropboxProvisioning.Sandbox.Dropbox
{
    public sealed partial class DropboxTeam
    {
        /// <summary>Dropbox keeps a removed member recoverable for 7 days (team.stone, members/remove).</summary>
        public static readonly TimeSpan RecoveryWindow = TimeSpan.FromDays(7);

        /// <summary>
        /// members/recover: a member removed less than 7 days ago whose files were neither transferred nor kept in a Basic
        /// account comes back active, with its id and e-mail (user_unrecoverable otherwise, also when its e-mail is taken
        /// again); team_license_limit when the team is full; user_not_found for an id the team never had.
        /// </summary>
        public DropboxMember RecoverMember(string teamMemberId)
        {
            lock (_gate)
            {
                if (!_membersById.TryGetValue(teamMemberId, out var member)) throw new DropboxTeamException("user_not_found", $"No member {teamMemberId}.");
                if (member.Status != DropboxMemberStatus.Removed || Clock() - member.LastModified > RecoveryWindow
                    || Offboarding.FilesTransferredTo.ContainsKey(teamMemberId) || Offboarding.KeptAccounts.ContainsKey(teamMemberId)
                    || _membersByEmail.ContainsKey(member.Email))
                    throw new DropboxTeamException("user_unrecoverable", $"{member.Email} cannot be recovered.");
                if (LicenseLimit > 0 && _memberOrder.Count - _removedInOrder >= LicenseLimit)
                    throw new DropboxTeamException("team_license_limit", "The team has no license left.");
                member.Status = DropboxMemberStatus.Active;
                member.LastModified = Clock();
                member.Version++;
                Index(member);
                if (_memberOrder.Contains(member)) _removedInOrder--;
                else _memberOrder.Add(member);
                return member.Clone();
            }
        }
    }
}
