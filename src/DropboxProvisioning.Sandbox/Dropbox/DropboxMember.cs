using System;
using System.Collections.Generic;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Dropbox
{
    /// <summary>
    /// One team member, shaped after team.stone TeamMemberProfile + TeamMemberInfo.role, so that the SCIM view
    /// and the Team API v2 view describe the same person with the same ids.
    /// Instances handed out by <see cref="DropboxTeam"/> are snapshots: changing one does not change the team.
    /// </summary>
    public sealed class DropboxMember
    {
        /// <summary>team_member_id, "dbmid:..."; also the SCIM id.</summary>
        public string TeamMemberId { get; set; }
        /// <summary>account_id, "dbid:...".</summary>
        public string AccountId { get; set; }
        /// <summary>email; also the SCIM userName.</summary>
        public string Email { get; set; }
        public bool EmailVerified { get; set; }
        /// <summary>name.given_name.</summary>
        public string GivenName { get; set; }
        /// <summary>name.surname.</summary>
        public string Surname { get; set; }
        /// <summary>name.display_name; "given surname" unless a client set another.</summary>
        public string DisplayName { get; set; }
        /// <summary>external_id.</summary>
        public string ExternalId { get; set; }
        /// <summary>persistent_id (SAML).</summary>
        public string PersistentId { get; set; }
        public DropboxMemberStatus Status { get; set; }
        /// <summary>AdminTier tag: member_only, team_admin, user_management_admin, support_admin.</summary>
        public string Role { get; set; } = "member_only";
        /// <summary>membership_type tag: full (limited is deprecated).</summary>
        public string MembershipType { get; set; } = "full";
        /// <summary>invited_on: only while the status is invited (team.stone).</summary>
        public DateTimeOffset? InvitedOn { get; set; }
        /// <summary>joined_on.</summary>
        public DateTimeOffset? JoinedOn { get; set; }
        /// <summary>suspended_on: only while the status is suspended (team.stone).</summary>
        public DateTimeOffset? SuspendedOn { get; set; }
        /// <summary>When the member record was created (SCIM meta.created).</summary>
        public DateTimeOffset Created { get; set; }
        /// <summary>Last change of any field (SCIM meta.lastModified).</summary>
        public DateTimeOffset LastModified { get; set; }
        /// <summary>Bumped on every change; SCIM meta.version is W/"Version".</summary>
        public long Version { get; set; }

        /// <summary>
        /// Attributes a SCIM client sent that Dropbox has no field for (e.g. the enterprise extension's department),
        /// kept so they round-trip. Not part of the Team API view.
        /// </summary>
        internal JObject ScimExtras { get; set; }

        /// <summary>Secondary e-mails (secondary_emails.stone SecondaryEmail), replaced whole by the team (see DropboxTeam.SecondaryEmails).</summary>
        public IReadOnlyList<DropboxSecondaryEmail> SecondaryEmails { get; internal set; } = new DropboxSecondaryEmail[0];

        public DropboxMember Clone()
        {
            var copy = (DropboxMember)MemberwiseClone();
            copy.ScimExtras = (JObject)ScimExtras?.DeepClone();
            return copy;
        }

        public override string ToString() => $"{TeamMemberId} {Email} ({Status})";
    }
}
