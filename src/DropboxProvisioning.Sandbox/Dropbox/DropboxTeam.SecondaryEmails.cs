using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.Sandbox.Dropbox
{
    public sealed partial class DropboxTeam
    {
        /// <summary>The most secondary e-mails a member may have (Dropbox does not publish its limit; reached_limit past it).</summary>
        public int MaxSecondaryEmails { get; set; } = 10;

        /// <summary>The team setting that turns secondary e-mails off (AddSecondaryEmailsError.secondary_emails_disabled).</summary>
        public bool SecondaryEmailsDisabled { get; set; }

        /// <summary>Addresses Dropbox answers rate_limited for (too many e-mails sent to them), as tests plan it.</summary>
        public HashSet<string> RateLimitedSecondaryEmails { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// Adds one secondary e-mail: "success" or the AddSecondaryEmailResult refusal. An address on the member's own
        /// domain is verified at once (Dropbox verifies addresses on the team's verified domains); others wait as pending.
        /// </summary>
        public string AddSecondaryEmail(string teamMemberId, string email, out DropboxSecondaryEmail added)
        {
            added = null;
            lock (_gate)
            {
                var member = RequireMember(teamMemberId, "user_not_in_team");
                var mine = member.SecondaryEmails.FirstOrDefault(e => string.Equals(e.Email, email, StringComparison.OrdinalIgnoreCase));
                if (string.Equals(member.Email, email, StringComparison.OrdinalIgnoreCase) || mine?.IsVerified == true) return "already_owned_by_user";
                if (mine != null) return "already_pending";
                if (OwnerOf(email) != null) return "unavailable";
                if (member.SecondaryEmails.Count >= MaxSecondaryEmails) return "reached_limit";
                if (RateLimitedSecondaryEmails.Contains(email)) return "rate_limited";
                added = new DropboxSecondaryEmail(email, string.Equals(Domain(email), Domain(member.Email), StringComparison.OrdinalIgnoreCase));
                member.SecondaryEmails = member.SecondaryEmails.Concat(new[] { added }).ToArray();
                member.LastModified = Clock();
                member.Version++;
                return "success";
            }
        }

        /// <summary>Deletes one secondary e-mail: success, not_found or cannot_remove_primary (DeleteSecondaryEmailResult).</summary>
        public string DeleteSecondaryEmail(string teamMemberId, string email)
        {
            lock (_gate)
            {
                var member = RequireMember(teamMemberId, "user_not_in_team");
                if (string.Equals(member.Email, email, StringComparison.OrdinalIgnoreCase)) return "cannot_remove_primary";
                if (!member.SecondaryEmails.Any(e => string.Equals(e.Email, email, StringComparison.OrdinalIgnoreCase))) return "not_found";
                member.SecondaryEmails = member.SecondaryEmails.Where(e => !string.Equals(e.Email, email, StringComparison.OrdinalIgnoreCase)).ToArray();
                member.LastModified = Clock();
                member.Version++;
                return "success";
            }
        }

        /// <summary>The member (not removed) whose primary or secondary e-mail this is, or null.</summary>
        private DropboxMember OwnerOf(string email) =>
            _membersById.Values.FirstOrDefault(m => m.Status != DropboxMemberStatus.Removed
                && (string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase) || m.SecondaryEmails.Any(e => string.Equals(e.Email, email, StringComparison.OrdinalIgnoreCase))));

        private static string Domain(string email) => email == null || email.IndexOf('@') < 0 ? null : email.Substring(email.IndexOf('@') + 1);
    }
}
