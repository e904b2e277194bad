using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Dropbox;

namespace DropboxProvisioning.Mapping
{
    /// <summary>
    /// The target attributes a Dropbox API takes, and their types: a mapping to any other attribute is refused when
    /// it is saved (as Entra refuses an attribute the app's schema lacks), not discovered in the middle of a cycle.
    /// There is one schema per API, because the two differ:
    /// <list type="bullet">
    /// <item>SCIM 2.0 takes the core and enterprise User attributes and displayName, externalId, members for groups.</item>
    /// <item>The Team API takes what members/add_v2 and set_profile_v2 take (userName and the work e-mail are the one
    /// member e-mail, name.givenName, name.familyName, externalId, active) plus persistentId (SAML) and role (an
    /// AdminTier or a role id, set through members/set_admin_permissions) and spaceLimitGb (the member's custom quota,
    /// member_space_limits/set_custom_quota); for groups displayName, externalId,
    /// members and managementType. Attributes only SCIM has (title, department, phone numbers...) are refused on a
    /// Team API connection, at save time and by the cycle before anything is written: dropping them silently would
    /// let an admin believe they flow.</item>
    /// <item>displayName on a Team API user is accepted but never sent nor compared: Dropbox derives it from the given
    /// name and surname and the Team API cannot set it. It stays valid so that the default mappings, which map it for
    /// SCIM, hold on both APIs and a job switched from SCIM to the Team API finds nothing to change.</item>
    /// </list>
    /// </summary>
    public sealed class TargetSchema
    {
        public const string EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

        /// <summary>team_common.AdminTier: the roles the role attribute takes besides a role id (pid_dbtmr:...).</summary>
        public static readonly IReadOnlyList<string> AdminTiers = new[] { "member_only", "team_admin", "user_management_admin", "support_admin" };

        /// <summary>The Team API's TeamMemberRoleId prefix.</summary>
        public const string RoleIdPrefix = "pid_dbtmr:";

        /// <summary>team_common.GroupManagementType values that can be set (system_managed groups are Dropbox's own).</summary>
        public static readonly IReadOnlyList<string> SettableManagementTypes = new[] { "company_managed", "user_managed" };

        public static readonly TargetSchema Scim = new TargetSchema(DropboxApiKind.Scim, "SCIM", ScimUser(), ScimGroup());
        public static readonly TargetSchema TeamApi = new TargetSchema(DropboxApiKind.TeamApi, "Team API", TeamApiUser(), TeamApiGroup());

        /// <summary>Either API: for a configuration file, which is not tied to a connection until it is applied.</summary>
        public static readonly TargetSchema Any = new TargetSchema(null, "SCIM or Team API", Union(Scim._users, TeamApi._users), Union(Scim._groups, TeamApi._groups));

        public static TargetSchema For(DropboxApiKind api) => api == DropboxApiKind.TeamApi ? TeamApi : Scim;

        private readonly Dictionary<string, TargetAttribute> _users;
        private readonly Dictionary<string, TargetAttribute> _groups;

        private TargetSchema(DropboxApiKind? api, string name, Dictionary<string, TargetAttribute> users, Dictionary<string, TargetAttribute> groups)
        {
            Api = api;
            Name = name;
            _users = users;
            _groups = groups;
        }

        /// <summary>The API, or null for <see cref="Any"/>.</summary>
        public DropboxApiKind? Api { get; }

        /// <summary>"SCIM" or "Team API", for messages.</summary>
        public string Name { get; }

        public IReadOnlyCollection<string> Attributes(ObjectType type) => Of(type).Keys.ToList();

        public bool TryGet(ObjectType type, string attribute, out TargetAttribute target) => Of(type).TryGetValue(Normalize(attribute) ?? "", out target);

        public bool TryGetType(ObjectType type, string attribute, out TargetValueType valueType)
        {
            var found = TryGet(type, attribute, out var target);
            valueType = found ? target.Type : default;
            return found;
        }

        private Dictionary<string, TargetAttribute> Of(ObjectType type) => type == ObjectType.User ? _users : _groups;

        /// <summary>
        /// Attributes that are one field in Dropbox: a Dropbox account has a single email, which SCIM shows as
        /// both userName and the work email. The key is sent only when it agrees with its primary.
        /// </summary>
        public static readonly IReadOnlyDictionary<string, string> AliasOf = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["emails[type eq \"work\"].value"] = "userName",
        };

        /// <summary>Tolerates the spacing admins type inside a value filter: emails[type eq 'work'].value.</summary>
        public static string Normalize(string attribute) =>
            attribute == null ? null : System.Text.RegularExpressions.Regex.Replace(attribute.Trim(), @"\[\s*type\s+eq\s+['""]?(\w+)['""]?\s*\]", "[type eq \"$1\"]");

        /// <summary>The Team API user attribute for a member's custom quota (member_space_limits/*).</summary>
        public const string SpaceLimitGb = "spaceLimitGb";

        /// <summary>The Team API user attribute for a member's secondary e-mails (members/secondary_emails/add and delete).</summary>
        public const string SecondaryEmails = "secondaryEmails";

        /// <summary>team.stone: alias UserQuota = UInt32(min_value=2); "Custom quota has to be at least 2GB".</summary>
        public const long MinQuotaGb = 2;
        public const long MaxQuotaGb = uint.MaxValue;

        /// <summary>A quota as the Team API takes it (a whole number of GB in UserQuota's range), or null.</summary>
        public static string CanonicalQuota(string value) =>
            long.TryParse(value?.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var gb) && gb >= MinQuotaGb && gb <= MaxQuotaGb
                ? gb.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

        /// <summary>A role value as the Team API sees it: an AdminTier in lower case, or a role id as given; null when it is neither.</summary>
        public static string CanonicalRole(string value)
        {
            var text = value?.Trim();
            if (string.IsNullOrEmpty(text)) return null;
            var tier = AdminTiers.FirstOrDefault(t => string.Equals(t, text, StringComparison.OrdinalIgnoreCase));
            if (tier != null) return tier;
            return text.StartsWith(RoleIdPrefix, StringComparison.Ordinal) && text.Length > RoleIdPrefix.Length && text.Length <= 128 ? text : null;
        }

        // ---------------------------------------------------------------- the schemas

        private static Dictionary<string, TargetAttribute> Table(params TargetAttribute[] attributes) =>
            attributes.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);

        private static TargetAttribute S(string name) => new TargetAttribute(name, TargetValueType.String);

        private static Dictionary<string, TargetAttribute> ScimUser() => Table(
            S("userName"), new TargetAttribute("active", TargetValueType.Boolean), S("displayName"), S("nickName"), S("title"), S("userType"),
            S("preferredLanguage"), S("locale"), S("timezone"), S("externalId"),
            S("name.givenName"), S("name.familyName"), S("name.formatted"), S("name.middleName"),
            S("emails[type eq \"work\"].value"), S("emails[type eq \"home\"].value"), S("emails[type eq \"other\"].value"),
            S("phoneNumbers[type eq \"work\"].value"), S("phoneNumbers[type eq \"mobile\"].value"),
            S("addresses[type eq \"work\"].locality"), S("addresses[type eq \"work\"].region"), S("addresses[type eq \"work\"].country"),
            S("addresses[type eq \"work\"].postalCode"), S("addresses[type eq \"work\"].streetAddress"),
            S(EnterpriseUser + ":employeeNumber"), S(EnterpriseUser + ":department"), S(EnterpriseUser + ":division"),
            S(EnterpriseUser + ":organization"), S(EnterpriseUser + ":costCenter"), new TargetAttribute(EnterpriseUser + ":manager", TargetValueType.Reference));

        private static Dictionary<string, TargetAttribute> ScimGroup() => Table(
            S("displayName"), S("externalId"), new TargetAttribute("members", TargetValueType.Reference));

        private static Dictionary<string, TargetAttribute> TeamApiUser() => Table(
            S("userName"), S("emails[type eq \"work\"].value"), S("name.givenName"), S("name.familyName"), S("externalId"),
            new TargetAttribute("active", TargetValueType.Boolean),
            new TargetAttribute("persistentId", TargetValueType.String) { MaxLength = 255 },
            new TargetAttribute("role", TargetValueType.String)
            {
                Canonical = CanonicalRole,
                ValueHint = $"an AdminTier ({string.Join(", ", AdminTiers)}) or a role id ({RoleIdPrefix}...) from members/get_available_team_member_roles",
            },
            new TargetAttribute(SpaceLimitGb, TargetValueType.Integer)
            {
                Canonical = CanonicalQuota,
                ClearedWhenEmpty = true, // member_space_limits/remove_custom_quota when the mapping gives none
                ValueHint = $"a member's custom space limit in GB (1 TB = 1024 GB), a whole number from {MinQuotaGb} (team.stone UserQuota) to {MaxQuotaGb}",
            },
            new TargetAttribute(SecondaryEmails, TargetValueType.String)
            {
                MultiValued = true,
                ClearedWhenEmpty = true, // the addresses the engine added are deleted when the mapping gives none
                ValueHint = "e-mail addresses (e.g. Entra's proxyAddresses: its smtp: aliases; the SMTP: primary is left out)",
            },
            new TargetAttribute("displayName", TargetValueType.String)
            {
                Sent = false,
                Note = "not sent: the Team API cannot set a display name; Dropbox shows the given name and surname",
            });

        private static Dictionary<string, TargetAttribute> TeamApiGroup() => Table(
            S("displayName"), S("externalId"), new TargetAttribute("members", TargetValueType.Reference),
            new TargetAttribute("managementType", TargetValueType.String)
            {
                Canonical = v => SettableManagementTypes.FirstOrDefault(t => string.Equals(t, v?.Trim(), StringComparison.OrdinalIgnoreCase)),
                ValueHint = "company_managed (managed by team admins) or user_managed (managed by selected members); system_managed groups are Dropbox's own and cannot be set",
            });

        /// <summary>Both schemas; where both have an attribute, the first (SCIM) wins.</summary>
        private static Dictionary<string, TargetAttribute> Union(Dictionary<string, TargetAttribute> first, Dictionary<string, TargetAttribute> second)
        {
            var union = new Dictionary<string, TargetAttribute>(first, StringComparer.OrdinalIgnoreCase);
            foreach (var pair in second) if (!union.ContainsKey(pair.Key)) union[pair.Key] = pair.Value;
            return union;
        }
    }
}
