using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.TeamApi
{
    /// <summary>
    /// team.stone's JSON for the team model: TeamMemberProfile, TeamMemberInfoV2 (and v1 TeamMemberInfo),
    /// GroupSummary, GroupFullInfo, GroupMemberInfo, following Stone's wire rules.
    /// </summary>
    internal static class TeamApiJson
    {
        public const string RolePrefix = "pid_dbtmr:";

        /// <summary>common.OptionalNamePart: String(pattern="[^/:?*&lt;&gt;\"|]*", max_length=100).</summary>
        public const int MaxNamePart = 100;
        public const string NamePartPattern = "[^/:?*<>\"|]*";
        public static readonly char[] NamePartForbidden = { '/', ':', '?', '*', '<', '>', '"', '|' };

        private static readonly Dictionary<string, (string Name, string Description)> Roles = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["team_admin"] = ("Team", "Manage everything and access all permissions"),
            ["user_management_admin"] = ("User management", "Add, edit, and delete members"),
            ["support_admin"] = ("Support", "Help members with their accounts"),
        };

        /// <summary>The AdminTier a role_id stands for (pid_dbtmr:team_admin); null if it is not a known role.</summary>
        public static string TierOfRoleId(string roleId)
        {
            if (roleId == null || !roleId.StartsWith(RolePrefix, StringComparison.Ordinal)) return null;
            var tier = roleId.Substring(RolePrefix.Length);
            return tier == "member_only" || Roles.ContainsKey(tier) ? tier : null;
        }

        /// <summary>team_common.AdminTier.</summary>
        public static bool IsAdminTier(string tier) => tier == "member_only" || (tier != null && Roles.ContainsKey(tier));

        /// <summary>team_common.GroupManagementType.</summary>
        public static bool IsManagementType(string type) => type == "company_managed" || type == "user_managed" || type == "system_managed";

        public static JObject Status(DropboxMember m)
        {
            switch (m.Status)
            {
                case DropboxMemberStatus.Active: return StoneJson.Tag("active");
                case DropboxMemberStatus.Invited: return StoneJson.Tag("invited");
                case DropboxMemberStatus.Suspended: return StoneJson.Tag("suspended");
                default: return StoneJson.Inlined("removed", new JObject { ["is_recoverable"] = false, ["is_disconnected"] = false });
            }
        }

        /// <summary>users.Name: every field is required.</summary>
        public static JObject Name(DropboxMember m)
        {
            var given = m.GivenName ?? "";
            var surname = m.Surname ?? "";
            var display = string.IsNullOrEmpty(m.DisplayName) ? (given + " " + surname).Trim() : m.DisplayName;
            var abbreviated = string.Concat(new[] { given, surname }.Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0])));
            return new JObject
            {
                ["given_name"] = given,
                ["surname"] = surname,
                ["familiar_name"] = given.Length > 0 ? given : display,
                ["display_name"] = display,
                ["abbreviated_name"] = abbreviated,
            };
        }

        /// <summary>MemberProfile (groups = null) or TeamMemberProfile (with the group ids).</summary>
        public static JObject Profile(DropboxMember m, IReadOnlyList<string> groups)
        {
            var profile = new JObject { ["team_member_id"] = m.TeamMemberId };
            if (!string.IsNullOrEmpty(m.ExternalId)) profile["external_id"] = m.ExternalId;
            if (m.Status != DropboxMemberStatus.Invited) profile["account_id"] = TeamLog.TeamLogGenerator.AccountId40(m.AccountId); // the same 40-character form the activity log shows
            profile["email"] = m.Email;
            profile["email_verified"] = m.EmailVerified;
            profile["status"] = Status(m);
            profile["name"] = Name(m);
            profile["membership_type"] = StoneJson.Tag(m.MembershipType ?? "full");
            if (m.InvitedOn != null) profile["invited_on"] = StoneJson.Timestamp(m.InvitedOn.Value);
            if (m.JoinedOn != null) profile["joined_on"] = StoneJson.Timestamp(m.JoinedOn.Value);
            if (m.SuspendedOn != null) profile["suspended_on"] = StoneJson.Timestamp(m.SuspendedOn.Value);
            if (!string.IsNullOrEmpty(m.PersistentId)) profile["persistent_id"] = m.PersistentId;
            profile["secondary_emails"] = new JArray(m.SecondaryEmails.Select(e => new JObject { ["email"] = e.Email, ["is_verified"] = e.IsVerified }));
            if (groups != null)
            {
                profile["groups"] = new JArray(groups);
                var n = Number(m.TeamMemberId);
                profile["member_folder_id"] = (1000000 + 2 * n).ToString(CultureInfo.InvariantCulture);
                profile["root_folder_id"] = (1000001 + 2 * n).ToString(CultureInfo.InvariantCulture);
            }
            return profile;
        }

        /// <summary>TeamMemberInfoV2: profile and roles (an empty list for a plain member).</summary>
        public static JObject InfoV2(DropboxMember m, IReadOnlyList<string> groups)
        {
            var roles = new JArray();
            if (m.Role != null && Roles.TryGetValue(m.Role, out var role))
                roles.Add(new JObject { ["role_id"] = RolePrefix + m.Role, ["name"] = role.Name, ["description"] = role.Description });
            return new JObject { ["profile"] = Profile(m, groups), ["roles"] = roles };
        }

        /// <summary>TeamMemberInfo (v1): profile and role (AdminTier).</summary>
        public static JObject InfoV1(DropboxMember m, IReadOnlyList<string> groups) =>
            new JObject { ["profile"] = Profile(m, groups), ["role"] = StoneJson.Tag(m.Role ?? "member_only") };

        public static JObject GroupSummary(DropboxGroup g)
        {
            var summary = new JObject { ["group_name"] = g.GroupName, ["group_id"] = g.GroupId };
            if (g.GroupExternalId != null) summary["group_external_id"] = g.GroupExternalId;
            summary["member_count"] = g.MemberIds.Count;
            summary["group_management_type"] = StoneJson.Tag(g.ManagementType ?? "company_managed");
            return summary;
        }

        /// <summary>GroupFullInfo: the summary, created (ms since the epoch) and, when asked, the members.</summary>
        public static JObject GroupFull(DropboxGroup g, IEnumerable<JObject> members)
        {
            var info = GroupSummary(g);
            if (members != null) info["members"] = new JArray(members);
            info["created"] = g.Created.ToUnixTimeMilliseconds();
            return info;
        }

        public static JObject GroupMember(DropboxMember m) =>
            new JObject { ["profile"] = Profile(m, null), ["access_type"] = StoneJson.Tag("member") };

        private static long Number(string teamMemberId)
        {
            var digits = new string((teamMemberId ?? "").Where(char.IsDigit).ToArray());
            if (digits.Length > 12) digits = digits.Substring(digits.Length - 12);
            return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        }
    }
}
