using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.TeamApi
{
    /// <summary>
    /// The Team API as a provisioning target: members and groups are shown to the engine in the same SCIM shape the
    /// SCIM endpoint gives them (so one planner, one state and one set of mappings serve both), and the engine's
    /// writes become members/add_v2 (20 a call), set_profile_v2, suspend/unsuspend, remove and groups/*.
    /// Target attributes: userName and emails[type eq "work"].value (the member's e-mail), name.givenName,
    /// name.familyName, externalId, active, persistentId and role (a role_id or an AdminTier such as team_admin);
    /// displayName is Dropbox's own (given name and surname) and cannot be set through this API.
    /// For groups: displayName (group_name), externalId (group_external_id), members, managementType
    /// (group_management_type: company_managed or user_managed). See <see cref="Mapping.TargetSchema"/>.
    /// </summary>
    public sealed partial class TeamApiTarget : IDropboxTarget, IDropboxSeats, IDropboxInvites, IDropboxSpaceLimits
    {
        private readonly TeamApiClient _client;

        public TeamApiTarget(TeamApiClient client) { _client = client ?? throw new ArgumentNullException(nameof(client)); }

        public TeamApiClient Client => _client;
        public DropboxApiKind Kind => DropboxApiKind.TeamApi;
        public Uri Endpoint => _client.ApiRoot;
        public int CreateBatchSize => TeamApiClient.MaxMembersPerAdd;
        public string DisplayName => "Team API";
        public string InvitedRemovedInstead => "Dropbox cannot suspend a member who has not joined (suspend_inactive_user): the invited member was removed instead (members/remove).";
        public string DeclinedBecause => " (the Team API cannot set it)";
        // The target takes SCIM-shaped resources and patches and translates them to members/* and groups/*.
        public JObject NewResource(string resource) => new JObject { ["schemas"] = new JArray(resource == "Groups" ? ScimClient.GroupSchema : ScimClient.UserSchema) };
        public JObject ReplaceOperation(string path, JToken value) => ScimClient.Operation("Replace", path, value);
        public JObject MembersOperation(string op, IEnumerable<string> memberIds) =>
            ScimClient.Operation(op, "members", new JArray(memberIds.Select(m => new JObject { ["value"] = m })));

        /// <summary>Called when an invited member is removed because Dropbox cannot suspend it (for the log).</summary>
        public Action<string> InvitedMemberRemoved { get; set; }

        public Task<DropboxSeats> GetSeatsAsync(CancellationToken cancellationToken) => _client.GetSeatsAsync(cancellationToken);

        public Task ListInvitedAsync(Action<string, DateTimeOffset> onInvited, CancellationToken cancellationToken) =>
            _client.ListMembersAsync(m =>
            {
                var p = m["profile"] as JObject ?? m;
                if ((string)p["status"]?[".tag"] != "invited") return;
                var invitedOn = Timestamp(p["invited_on"]);
                if (invitedOn.HasValue) onInvited((string)p["team_member_id"], invitedOn.Value);
            }, cancellationToken);

        public Task SendWelcomeEmailAsync(string id, CancellationToken cancellationToken) => _client.SendWelcomeEmailAsync(id, cancellationToken);

        /// <summary>A Stone Timestamp ("%Y-%m-%dT%H:%M:%SZ"), whether the JSON reader kept it as text or read it as a date.</summary>
        private static DateTimeOffset? Timestamp(JToken token)
        {
            if (token == null || token.Type == JTokenType.Null) return null;
            if (token.Type == JTokenType.Date) return token.Value<DateTime>() is var d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : (DateTimeOffset?)null;
            return DateTimeOffset.TryParse((string)token, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
        }

        public Task TestAsync(CancellationToken cancellationToken) =>
            _client.CallAsync("members/list_v2", new JObject { ["limit"] = 1 }, cancellationToken);

        // ---------------------------------------------------------------- SCIM shape

        /// <summary>A TeamMemberInfoV2 (or MemberProfile holder) as the SCIM User the SCIM endpoint shows for the same member.</summary>
        public static JObject ToScimUser(JObject info)
        {
            var p = info?["profile"] as JObject ?? info;
            var email = (string)p["email"];
            var given = (string)p["name"]?["given_name"] ?? "";
            var surname = (string)p["name"]?["surname"] ?? "";
            var user = new JObject { ["id"] = (string)p["team_member_id"] };
            if (!string.IsNullOrEmpty((string)p["external_id"])) user["externalId"] = (string)p["external_id"];
            user["userName"] = email;
            user["name"] = new JObject { ["givenName"] = given, ["familyName"] = surname, ["formatted"] = (given + " " + surname).Trim() };
            user["displayName"] = (string)p["name"]?["display_name"];
            user["emails"] = new JArray(new JObject { ["value"] = email, ["type"] = "work", ["primary"] = true });
            user["active"] = (string)p["status"]?[".tag"] != "suspended";
            if (!string.IsNullOrEmpty((string)p["persistent_id"])) user["persistentId"] = (string)p["persistent_id"];
            user["role"] = RoleOf(info);
            user["status"] = (string)p["status"]?[".tag"];
            AddSecondaryEmails(user, p);
            return user;
        }

        private const string RolePrefix = Mapping.TargetSchema.RoleIdPrefix;

        /// <summary>
        /// The member's role as the role attribute shows it: the AdminTier when the role is one (a v1 role tag, or a v2
        /// TeamMemberRole whose id or name is the tier's: pid_dbtmr:team_admin, "Team admin"), else its role id.
        /// </summary>
        internal static string RoleOf(JObject info)
        {
            if (info?["role"]?[".tag"] is JValue tier) return (string)tier;
            var role = info?["roles"] is JArray roles && roles.Count > 0 ? roles[0] as JObject : null;
            if (role == null) return "member_only";
            var id = (string)role["role_id"];
            if (id != null && id.StartsWith(RolePrefix, StringComparison.Ordinal) && Mapping.TargetSchema.AdminTiers.Contains(id.Substring(RolePrefix.Length))) return id.Substring(RolePrefix.Length);
            var name = ((string)role["name"] ?? "").Trim().ToLowerInvariant();
            if (name.EndsWith(" admin", StringComparison.Ordinal)) name = name.Substring(0, name.Length - " admin".Length);
            var named = Mapping.TargetSchema.AdminTiers.FirstOrDefault(t => t != "member_only" && t.Substring(0, t.Length - "_admin".Length).Replace('_', ' ') == name);
            return named ?? id ?? "member_only";
        }

        /// <summary>A role id goes with members/add_v2; an AdminTier is set after the add (set_admin_permissions takes the tier itself).</summary>
        private static bool IsRoleId(string role) => role != null && role.StartsWith(RolePrefix, StringComparison.Ordinal);

        private static JObject ToScimGroup(JObject summary, IEnumerable<string> members)
        {
            var group = new JObject { ["id"] = (string)summary["group_id"], ["displayName"] = (string)summary["group_name"] };
            if (!string.IsNullOrEmpty((string)summary["group_external_id"])) group["externalId"] = (string)summary["group_external_id"];
            var management = (string)summary["group_management_type"]?[".tag"];
            if (management != null) group["managementType"] = management;
            if (members != null) group["members"] = new JArray(members.Select(m => new JObject { ["value"] = m }));
            return group;
        }

        private static string Text(JToken token) => token == null || token.Type == JTokenType.Null ? null : token.Type == JTokenType.String ? (string)token : token.ToString();

        private static string Email(JObject body) =>
            Text(body["userName"]) ?? Text((body["emails"] as JArray)?.OfType<JObject>().FirstOrDefault(e => string.Equals((string)e["type"], "work", StringComparison.OrdinalIgnoreCase))?["value"])
            ?? Text((body["emails"] as JArray)?.OfType<JObject>().FirstOrDefault()?["value"]);

        private static bool IsUsers(string resource) => string.Equals(resource, "Users", StringComparison.OrdinalIgnoreCase);

        private static TeamApiException NotFound(string resource, string id) =>
            new TeamApiException(IsUsers(resource) ? "members/get_info_v2" : "groups/get_info", "id_not_found", $"Dropbox has no {(IsUsers(resource) ? "member" : "group")} {id}.", 404, DbxErrorCategory.ObjectNotFound);

        // ---------------------------------------------------------------- reads

        public async Task ListAllAsync(string resource, Action<JObject> onItem, CancellationToken cancellationToken)
        {
            if (!IsUsers(resource)) { await _client.ListGroupsAsync(g => onItem(ToScimGroup(g, null)), cancellationToken).ConfigureAwait(false); return; }
            if (!ReadsSpaceLimits) { await _client.ListMembersAsync(m => onItem(ToScimUser(m)), cancellationToken).ConfigureAwait(false); return; }
            // With the space limits: the members are listed, then their limits read 1,000 a call, then handed on.
            var page = new List<JObject>();
            await _client.ListMembersAsync(m => page.Add(ToScimUser(m)), cancellationToken).ConfigureAwait(false);
            for (var start = 0; start < page.Count; start += TeamApiClient.MaxQuotaUsers)
            {
                var slice = page.Skip(start).Take(TeamApiClient.MaxQuotaUsers).ToList();
                await WithSpaceLimitsAsync(slice, cancellationToken).ConfigureAwait(false);
                foreach (var user in slice) onItem(user);
            }
        }

        /// <summary>While the mapping maps spaceLimitGb: read the members' custom quotas (member_space_limits/get_custom_quota).</summary>
        public bool ReadsSpaceLimits { get; set; }

        private const string SpaceLimit = Mapping.TargetSchema.SpaceLimitGb;

        /// <summary>Adds spaceLimitGb (the custom quota in GB; absent when the member has none) to SCIM-shaped users.</summary>
        private async Task WithSpaceLimitsAsync(IReadOnlyList<JObject> users, CancellationToken cancellationToken)
        {
            if (!ReadsSpaceLimits || users.Count == 0) return;
            var quotas = await _client.GetCustomQuotasAsync(users.Select(u => (string)u["id"]).ToList(), cancellationToken).ConfigureAwait(false);
            foreach (var user in users)
            {
                user.Remove(SpaceLimit);
                if (quotas.TryGetValue((string)user["id"], out var gb) && gb.HasValue) user[SpaceLimit] = gb.Value;
            }
        }

        private async Task<JObject> WithSpaceLimitAsync(JObject user, CancellationToken cancellationToken)
        {
            if (user != null) await WithSpaceLimitsAsync(new[] { user }, cancellationToken).ConfigureAwait(false);
            return user;
        }

        private static long? Quota(JToken value)
        {
            var text = Text(value);
            return text != null && Mapping.TargetSchema.CanonicalQuota(text) is string gb ? long.Parse(gb, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
        }

        public async Task<JObject> FindAsync(string resource, string attribute, string value, CancellationToken cancellationToken)
        {
            if (value == null) return null;
            if (IsUsers(resource))
            {
                JObject selector;
                // A value no member can hold matches nothing, and is not sent: Dropbox refuses the call whole (bad input).
                if (string.Equals(attribute, "userName", StringComparison.OrdinalIgnoreCase) || attribute.StartsWith("emails", StringComparison.OrdinalIgnoreCase))
                {
                    if (!DropboxLimits.IsEmailAddress(value)) return null;
                    selector = TeamApiClient.ByEmail(value);
                }
                else if (string.Equals(attribute, "externalId", StringComparison.OrdinalIgnoreCase))
                {
                    if (value.Length > DropboxLimits.MaxExternalIdLength) return null;
                    selector = TeamApiClient.ByExternalId(value);
                }
                else if (string.Equals(attribute, "id", StringComparison.OrdinalIgnoreCase))
                    selector = TeamApiClient.ById(value);
                else return null;
                var info = await _client.GetMemberAsync(selector, cancellationToken).ConfigureAwait(false);
                return info == null ? null : await WithSpaceLimitAsync(ToScimUser(info), cancellationToken).ConfigureAwait(false);
            }
            JObject found = null;
            var byName = string.Equals(attribute, "displayName", StringComparison.OrdinalIgnoreCase);
            await _client.ListGroupsAsync(g =>
            {
                if (found != null) return;
                var candidate = byName ? (string)g["group_name"] : (string)g["group_external_id"];
                if (string.Equals(candidate?.Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase)) found = g;
            }, cancellationToken).ConfigureAwait(false);
            if (found == null) return null;
            return ToScimGroup(found, await _client.ListGroupMembersAsync((string)found["group_id"], cancellationToken).ConfigureAwait(false));
        }

        public async Task<JObject> GetAsync(string resource, string id, CancellationToken cancellationToken)
        {
            if (IsUsers(resource))
            {
                var info = await _client.GetMemberAsync(TeamApiClient.ById(id), cancellationToken).ConfigureAwait(false);
                return info == null ? throw NotFound(resource, id) : await WithSpaceLimitAsync(ToScimUser(info), cancellationToken).ConfigureAwait(false);
            }
            var group = await _client.GetGroupAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(resource, id);
            return ToScimGroup(group, await _client.ListGroupMembersAsync(id, cancellationToken).ConfigureAwait(false));
        }

        // ---------------------------------------------------------------- writes

        public async Task<IReadOnlyList<TargetCreateResult>> CreateUsersAsync(IReadOnlyList<JObject> bodies, CancellationToken cancellationToken)
        {
            var roles = bodies.Select(b => Text(b["role"])).ToList();
            var adds = bodies.Select((b, i) => new TeamMemberAdd
            {
                Email = Email(b),
                GivenName = Text(b["name"]?["givenName"]),
                Surname = Text(b["name"]?["familyName"]),
                ExternalId = Text(b["externalId"]),
                PersistentId = Text(b["persistentId"]),
                RoleId = IsRoleId(roles[i]) ? roles[i] : null,
            }).ToList();
            var results = await _client.AddMembersAsync(adds, cancellationToken).ConfigureAwait(false);
            var outcome = new List<TargetCreateResult>();
            for (var i = 0; i < results.Count; i++)
            {
                var r = results[i];
                var created = r.Member == null ? null : ToScimUser(r.Member);
                var role = roles.Count > i ? roles[i] : null;
                if (created != null && role != null && !IsRoleId(role) && role != (string)created["role"])
                {
                    // The member exists now; a refused role is that member's failure, and the next cycle tries it again.
                    try
                    {
                        await _client.SetRoleAsync((string)created["id"], role, cancellationToken).ConfigureAwait(false);
                        created["role"] = role;
                    }
                    catch (TeamApiException e) when (!e.IsCredentialFailure)
                    {
                        outcome.Add(new TargetCreateResult { Created = created, Error = e });
                        continue;
                    }
                }
                outcome.Add(new TargetCreateResult { Created = created, Error = r.Error });
            }
            // The custom space limits of the members made, in one call (member_space_limits/set_custom_quota takes 1,000).
            var quotas = bodies.Select((b, i) => (Index: i, Gb: Quota(b[SpaceLimit]))).Where(q => q.Gb.HasValue && outcome[q.Index].Created != null && outcome[q.Index].Error == null).ToList();
            if (quotas.Count > 0)
            {
                var refusals = await _client.SetCustomQuotasAsync(quotas.Select(q => ((string)outcome[q.Index].Created["id"], q.Gb.Value)).ToList(), cancellationToken).ConfigureAwait(false);
                for (var k = 0; k < quotas.Count; k++)
                {
                    var result = outcome[quotas[k].Index];
                    if (refusals[k] == null) result.Created[SpaceLimit] = quotas[k].Gb.Value;
                    else result.Error = refusals[k]; // the member exists: a refused limit is that member's failure, sent again next cycle
                }
            }
            await AddSecondaryEmailsOnCreateAsync(bodies, outcome, cancellationToken).ConfigureAwait(false);
            return outcome;
        }

        public async Task<JObject> CreateAsync(string resource, JObject body, CancellationToken cancellationToken)
        {
            if (IsUsers(resource))
            {
                var result = (await CreateUsersAsync(new[] { body }, cancellationToken).ConfigureAwait(false))[0];
                if (result.Error != null) throw result.Error;
                return result.Created;
            }
            var created = await _client.CreateGroupAsync(Text(body["displayName"]), Text(body["externalId"]), Text(body["managementType"]) ?? "company_managed", cancellationToken).ConfigureAwait(false);
            var groupId = (string)created["group_id"];
            var members = (body["members"] as JArray)?.Select(m => (string)m["value"]).Where(v => v != null).ToList() ?? new List<string>();
            if (members.Count > 0) await _client.AddGroupMembersAsync(groupId, members, cancellationToken).ConfigureAwait(false);
            return ToScimGroup(created, members);
        }

        public async Task<JObject> PatchAsync(string resource, string id, IEnumerable<JObject> operations, CancellationToken cancellationToken)
        {
            return IsUsers(resource)
                ? await PatchUserAsync(id, operations, cancellationToken).ConfigureAwait(false)
                : await PatchGroupAsync(id, operations, cancellationToken).ConfigureAwait(false);
        }

        private async Task<JObject> PatchUserAsync(string id, IEnumerable<JObject> operations, CancellationToken cancellationToken)
        {
            string email = null, given = null, surname = null, externalId = null, persistentId = null, role = null;
            bool? active = null;
            JToken secondary = null;
            long? quota = null;
            var removeQuota = false;
            foreach (var op in operations)
            {
                var path = (string)op["path"] ?? "";
                var value = op["value"];
                var remove = string.Equals((string)op["op"], "remove", StringComparison.OrdinalIgnoreCase);
                if (path.Equals("userName", StringComparison.OrdinalIgnoreCase) || path.StartsWith("emails", StringComparison.OrdinalIgnoreCase)) email = Text(value) ?? email;
                else if (path.Equals("name.givenName", StringComparison.OrdinalIgnoreCase)) given = Text(value) ?? "";
                else if (path.Equals("name.familyName", StringComparison.OrdinalIgnoreCase)) surname = Text(value) ?? "";
                else if (path.Equals("externalId", StringComparison.OrdinalIgnoreCase)) externalId = remove ? "" : Text(value) ?? "";
                else if (path.Equals("persistentId", StringComparison.OrdinalIgnoreCase)) persistentId = remove ? "" : Text(value) ?? "";
                else if (path.Equals("role", StringComparison.OrdinalIgnoreCase)) role = remove ? "member_only" : Text(value) ?? "member_only";
                else if (path.Equals(SecondaryEmailsPath, StringComparison.OrdinalIgnoreCase)) secondary = remove ? null : value;
                else if (path.Equals(SpaceLimit, StringComparison.OrdinalIgnoreCase))
                {
                    quota = remove ? null : Quota(value);
                    removeQuota = remove || value == null || value.Type == JTokenType.Null;
                }
                else if (path.Equals("active", StringComparison.OrdinalIgnoreCase))
                    active = value?.Type == JTokenType.Boolean ? (bool)value : !string.Equals(Text(value)?.Trim(), "false", StringComparison.OrdinalIgnoreCase);
                // displayName and anything else the Team API cannot set are left as Dropbox has them.
            }
            if (quota.HasValue)
            {
                var refusal = (await _client.SetCustomQuotasAsync(new[] { (id, quota.Value) }, cancellationToken).ConfigureAwait(false))[0];
                if (refusal != null) throw refusal;
            }
            else if (removeQuota) await _client.RemoveCustomQuotaAsync(id, cancellationToken).ConfigureAwait(false);
            var after = await WithSpaceLimitAsync(await PatchProfileAsync(id, email, given, surname, externalId, persistentId, role, active, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return secondary == null || after == null ? after : await ApplySecondaryEmailsAsync(after, secondary, cancellationToken).ConfigureAwait(false);
        }

        private async Task<JObject> PatchProfileAsync(string id, string email, string given, string surname, string externalId, string persistentId, string role, bool? active, CancellationToken cancellationToken)
        {
            JObject after = null;
            if (email != null || given != null || surname != null || externalId != null || persistentId != null)
                after = await _client.SetProfileAsync(id, email, given, surname, externalId, persistentId, cancellationToken).ConfigureAwait(false);
            // set_profile_v2 answers with the member as it now is: read it back only when more than the profile changed.
            if (after != null && role == null && active == null) return ToScimUser(after);
            // Dropbox cannot change a suspended member's permissions: the role is set before a suspension, after an unsuspension.
            if (role != null && active != true) await _client.SetRoleAsync(id, role, cancellationToken).ConfigureAwait(false);
            if (active == false)
            {
                try
                {
                    await _client.SuspendAsync(id, cancellationToken).ConfigureAwait(false);
                }
                catch (TeamApiException e) when (e.Tag == "suspend_inactive_user")
                {
                    // Dropbox cannot suspend a member who has not joined: the invitation is withdrawn (members/remove).
                    await _client.RemoveAsync(id, cancellationToken).ConfigureAwait(false);
                    InvitedMemberRemoved?.Invoke(id);
                    return null;
                }
            }
            else if (active == true)
            {
                try { await _client.UnsuspendAsync(id, cancellationToken).ConfigureAwait(false); }
                catch (TeamApiException e) when (e.Tag == "unsuspend_non_suspended_member") { }
            }
            if (role != null && active == true) await _client.SetRoleAsync(id, role, cancellationToken).ConfigureAwait(false);
            var info = await _client.GetMemberAsync(TeamApiClient.ById(id), cancellationToken).ConfigureAwait(false);
            return info == null ? throw NotFound("Users", id) : ToScimUser(info);
        }

        private async Task<JObject> PatchGroupAsync(string id, IEnumerable<JObject> operations, CancellationToken cancellationToken)
        {
            string name = null, externalId = null, management = null;
            foreach (var op in operations)
            {
                var path = (string)op["path"] ?? "";
                var kind = ((string)op["op"] ?? "").ToLowerInvariant();
                if (path.Equals("members", StringComparison.OrdinalIgnoreCase))
                {
                    var ids = (op["value"] as JArray)?.Select(m => (string)m["value"]).Where(v => v != null).ToList() ?? new List<string>();
                    if (ids.Count == 0) continue;
                    if (kind == "remove") await _client.RemoveGroupMembersAsync(id, ids, cancellationToken).ConfigureAwait(false);
                    else await _client.AddGroupMembersAsync(id, ids, cancellationToken).ConfigureAwait(false);
                }
                else if (path.Equals("displayName", StringComparison.OrdinalIgnoreCase)) name = Text(op["value"]);
                else if (path.Equals("externalId", StringComparison.OrdinalIgnoreCase)) externalId = Text(op["value"]) ?? "";
                else if (path.Equals("managementType", StringComparison.OrdinalIgnoreCase) && kind != "remove") management = Text(op["value"]);
            }
            if (name != null || externalId != null || management != null)
                await _client.UpdateGroupAsync(id, name, externalId, management, cancellationToken).ConfigureAwait(false);
            return null;
        }

        public Task DeleteAsync(string resource, string id, CancellationToken cancellationToken) =>
            IsUsers(resource) ? _client.RemoveAsync(id, cancellationToken) : _client.DeleteGroupAsync(id, cancellationToken);
    }
}
