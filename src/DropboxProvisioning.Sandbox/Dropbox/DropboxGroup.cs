using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Sandbox.Dropbox
{
    /// <summary>
    /// One group, shaped after team.stone GroupFullInfo. Instances handed out by <see cref="DropboxTeam"/>
    /// are snapshots: changing one does not change the team.
    /// </summary>
    public sealed class DropboxGroup
    {
        /// <summary>group_id, "g:..."; also the SCIM id.</summary>
        public string GroupId { get; set; }
        /// <summary>group_name; also the SCIM displayName. Unique on the team, ignoring case.</summary>
        public string GroupName { get; set; }
        /// <summary>group_external_id; also the SCIM externalId.</summary>
        public string GroupExternalId { get; set; }
        /// <summary>group_management_type tag: company_managed (groups an admin or SCIM made), user_managed, system_managed.</summary>
        public string ManagementType { get; set; } = "company_managed";
        /// <summary>team_member_ids of the members.</summary>
        public ISet<string> MemberIds { get; set; } = new HashSet<string>(StringComparer.Ordinal);
        /// <summary>member_count.</summary>
        public int MemberCount => MemberIds.Count;
        /// <summary>created (the Team API sends it as milliseconds since the epoch).</summary>
        public DateTimeOffset Created { get; set; }
        public DateTimeOffset LastModified { get; set; }
        public long Version { get; set; }

        public DropboxGroup Clone()
        {
            var copy = (DropboxGroup)MemberwiseClone();
            copy.MemberIds = new HashSet<string>(MemberIds, StringComparer.Ordinal);
            return copy;
        }

        public override string ToString() => $"{GroupId} {GroupName} ({MemberIds.Count})";
    }
}
