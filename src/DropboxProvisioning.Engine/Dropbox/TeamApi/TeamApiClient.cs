using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox.Api;
using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.TeamApi
{
    /// <summary>A Team API refusal: the route, Stone's error tag (route errors and per-member add results) and the status the engine decides on.</summary>
    public sealed class TeamApiException : DropboxTargetException
    {
        public TeamApiException(string route, string tag, string message, int statusCode, DbxErrorCategory category, Exception inner = null, string condition = null)
            : base(condition ?? "Dropbox" + DropboxRouteException.Pascal(tag), category, message, statusCode, tag, inner, route)
        {
            Route = route;
            Tag = tag;
        }

        public string Route { get; }

        /// <summary>team.stone's tag: user_already_on_team, suspend_inactive_user, team_license_limit, missing_scope...</summary>
        public string Tag { get; }

        /// <summary>team_license_limit or free_team_member_limit_reached: the team has no license left.</summary>
        public override bool IsLicenseLimit => Tag == "team_license_limit" || Tag == "free_team_member_limit_reached";

        internal static int StatusOf(string tag)
        {
            switch (tag)
            {
                case "user_not_found": case "user_not_in_team": case "group_not_found": case "id_not_found": case "group_already_deleted":
                    return 404;
                case "user_already_on_team": case "email_reserved_for_other_user": case "external_id_used_by_other_user":
                case "duplicate_external_member_id": case "duplicate_member_persistent_id": case "persistent_id_used_by_other_user":
                case "group_name_already_used": case "external_id_already_in_use": case "user_on_another_team":
                    return 409;
                case "team_license_limit": case "free_team_member_limit_reached":
                    return 403;
                default:
                    return 400;
            }
        }

        internal static string Explain(string tag, string subject)
        {
            switch (tag)
            {
                case "team_license_limit": return $"Dropbox has no license left for {subject} (team_license_limit): buy more licenses or free some.";
                case "free_team_member_limit_reached": return $"The free Dropbox team is full, so {subject} cannot be added (free_team_member_limit_reached).";
                case "user_already_on_team": return $"{subject} is already on the Dropbox team (user_already_on_team).";
                case "user_on_another_team": return $"{subject} belongs to another Dropbox team (user_on_another_team).";
                case "duplicate_external_member_id": return $"Another Dropbox member already has the external id of {subject} (duplicate_external_member_id).";
                case "duplicate_member_persistent_id": return $"Another Dropbox member already has the persistent id of {subject} (duplicate_member_persistent_id).";
                case "email_reserved_for_other_user": return $"The e-mail address for {subject} belongs to another Dropbox member (email_reserved_for_other_user).";
                case "suspend_inactive_user": return $"{subject} has not joined yet and cannot be suspended (suspend_inactive_user).";
                default: return $"Dropbox refused {subject} ({tag}).";
            }
        }
    }

    /// <summary>One new member for members/add_v2.</summary>
    public sealed class TeamMemberAdd
    {
        public string Email { get; set; }
        public string GivenName { get; set; }
        public string Surname { get; set; }
        public string ExternalId { get; set; }
        public string PersistentId { get; set; }
        /// <summary>A role_id (pid_dbtmr:...), or null for a plain member.</summary>
        public string RoleId { get; set; }
    }

    /// <summary>What add_v2 did with one member: its TeamMemberInfoV2, or the refusal.</summary>
    public sealed class TeamMemberAddResult
    {
        public JObject Member { get; set; }
        public TeamApiException Error { get; set; }
    }

    /// <summary>
    /// Dropbox API v2's team member and group routes, over the same transport as the activity connector
    /// (<see cref="DropboxApiClient"/>: token refresh on expired_access_token, 429 retry_after, Stone error bodies).
    /// Users are selected by team_member_id; errors come out as <see cref="TeamApiException"/> with Stone's tag.
    /// </summary>
    public sealed partial class TeamApiClient
    {
        public const int MaxMembersPerAdd = 20;
        public const int PageSize = 1000;
        private readonly DropboxApiClient _api;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;

        public TeamApiClient(DropboxApiClient api, Func<TimeSpan, CancellationToken, Task> delay = null)
        {
            _api = api ?? throw new ArgumentNullException(nameof(api));
            _api.ConnectCommand = "Connect-DbxTenant -Api TeamApi";
            _api.AdminRequirement = "a Dropbox team admin who can manage members";
            _delay = delay ?? Task.Delay;
        }

        public Uri ApiRoot => _api.ApiRoot;

        /// <summary>How long to wait between polls of an add job.</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

        public static JObject ById(string teamMemberId) => new JObject { [".tag"] = "team_member_id", ["team_member_id"] = teamMemberId };
        public static JObject ByEmail(string email) => new JObject { [".tag"] = "email", ["email"] = email };
        public static JObject ByExternalId(string externalId) => new JObject { [".tag"] = "external_id", ["external_id"] = externalId };
        public static JObject Group(string groupId) => new JObject { [".tag"] = "group_id", ["group_id"] = groupId };

        public async Task<JToken> CallAsync(string route, JObject argument, CancellationToken cancellationToken)
        {
            try
            {
                return await _api.CallTokenAsync("team/" + route, argument, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxRouteException e)
            {
                throw new TeamApiException(route, e.Tag, e.Message, TeamApiException.StatusOf(e.Tag),
                    TeamApiException.StatusOf(e.Tag) == 404 ? DbxErrorCategory.ObjectNotFound : TeamApiException.StatusOf(e.Tag) == 409 ? DbxErrorCategory.ResourceExists : DbxErrorCategory.InvalidOperation, e);
            }
            catch (DbxException e) when (e.Category == DbxErrorCategory.AuthenticationError)
            {
                throw new TeamApiException(route, "invalid_access_token", e.Message, 401, e.Category, e, e.Condition);
            }
            catch (DbxException e) when (e.Condition == "DropboxMissingScope")
            {
                throw new TeamApiException(route, "missing_scope", e.Message, 403, e.Category, e, e.Condition);
            }
            catch (DbxException e) when (!(e is TeamApiException))
            {
                var status = e.Condition == "DropboxRateLimited" ? 429 : e.Condition == "DropboxServerError" ? 500 : e.Condition == "DropboxUnreachable" ? 0 : 400;
                throw new TeamApiException(route, e.Condition, e.Message, status, e.Category, e, e.Condition);
            }
        }

        // ---------------------------------------------------------------- team

        /// <summary>team/get_info (Void argument; scope team_info.read): the team's licenses (TeamGetInfoResult).</summary>
        public async Task<DropboxSeats> GetSeatsAsync(CancellationToken cancellationToken)
        {
            var info = await CallAsync("get_info", null, cancellationToken).ConfigureAwait(false) as JObject
                ?? throw new TeamApiException("get_info", "invalid_result", "Dropbox answered team/get_info without a TeamGetInfoResult.", 500, DbxErrorCategory.InvalidResult);
            long Count(string field)
            {
                var value = info[field];
                if (value == null && field == "num_used_licenses") return 0; // Stone's default
                if (value == null || value.Type != JTokenType.Integer || (long)value < 0)
                    throw new TeamApiException("get_info", "invalid_result", $"Dropbox answered team/get_info without a count in {field}.", 500, DbxErrorCategory.InvalidResult);
                return (long)value;
            }
            return new DropboxSeats(Count("num_licensed_users"), Count("num_provisioned_users"), Count("num_used_licenses"));
        }

        // ---------------------------------------------------------------- members

        /// <summary>members/add_v2 for up to 20 members, polling members/add/job_status/get_v2 when Dropbox answers with a job.</summary>
        public async Task<IReadOnlyList<TeamMemberAddResult>> AddMembersAsync(IReadOnlyList<TeamMemberAdd> members, CancellationToken cancellationToken)
        {
            if (members.Count == 0) return Array.Empty<TeamMemberAddResult>();
            if (members.Count > MaxMembersPerAdd) throw new ArgumentException($"members/add_v2 takes at most {MaxMembersPerAdd} members.", nameof(members));
            // Dropbox refuses the whole call when one member's e-mail, external id or name part breaks its Stone type: such a member is refused here, alone.
            var refused = members.Select(NamePartError).ToList();
            if (refused.Any(e => e != null))
            {
                var sent = members.Where((m, i) => refused[i] == null).ToList();
                var answers = new Queue<TeamMemberAddResult>(await AddMembersAsync(sent, cancellationToken).ConfigureAwait(false));
                return refused.Select(e => e == null ? answers.Dequeue() : new TeamMemberAddResult { Error = e }).ToList();
            }
            var list = new JArray();
            foreach (var m in members)
            {
                var item = new JObject { ["member_email"] = m.Email };
                if (m.GivenName != null) item["member_given_name"] = m.GivenName;
                if (m.Surname != null) item["member_surname"] = m.Surname;
                if (!string.IsNullOrEmpty(m.ExternalId)) item["member_external_id"] = m.ExternalId;
                if (!string.IsNullOrEmpty(m.PersistentId)) item["member_persistent_id"] = m.PersistentId;
                item["send_welcome_email"] = true;
                if (!string.IsNullOrEmpty(m.RoleId)) item["role_ids"] = new JArray(m.RoleId);
                list.Add(item);
            }
            var answer = (JObject)await CallAsync("members/add_v2", new JObject { ["new_members"] = list }, cancellationToken).ConfigureAwait(false);
            var polls = 0;
            while ((string)answer?[".tag"] == "async_job_id" || (string)answer?[".tag"] == "in_progress")
            {
                var job = (string)answer["async_job_id"] ?? throw new TeamApiException("members/add_v2", "invalid_async_job_id", "Dropbox answered members/add_v2 with a job but no job id.", 400, DbxErrorCategory.InvalidResult);
                do
                {
                    if (++polls > 600) throw new TeamApiException("members/add/job_status/get_v2", "timeout", "The members/add_v2 job did not finish.", 0, DbxErrorCategory.OperationStopped);
                    await _delay(PollInterval, cancellationToken).ConfigureAwait(false);
                    answer = (JObject)await CallAsync("members/add/job_status/get_v2", new JObject { ["async_job_id"] = job }, cancellationToken).ConfigureAwait(false);
                }
                while ((string)answer?[".tag"] == "in_progress");
                if ((string)answer?[".tag"] == "failed")
                    throw new TeamApiException("members/add_v2", "failed", "Dropbox's members/add_v2 job failed: " + (string)answer["failed"], 500, DbxErrorCategory.InvalidResult);
            }
            var results = answer?["complete"] as JArray ?? new JArray();
            var outcome = new List<TeamMemberAddResult>();
            for (var i = 0; i < members.Count; i++)
            {
                var item = i < results.Count ? results[i] as JObject : null;
                var tag = (string)item?[".tag"];
                if (tag == "success") { var info = (JObject)item.DeepClone(); info.Remove(".tag"); outcome.Add(new TeamMemberAddResult { Member = info }); }
                else
                {
                    tag = tag ?? "user_creation_failed";
                    outcome.Add(new TeamMemberAddResult
                    {
                        Error = new TeamApiException("members/add_v2", tag, TeamApiException.Explain(tag, members[i].Email), TeamApiException.StatusOf(tag),
                            TeamApiException.StatusOf(tag) == 403 ? DbxErrorCategory.LimitsExceeded : TeamApiException.StatusOf(tag) == 409 ? DbxErrorCategory.ResourceExists : DbxErrorCategory.InvalidOperation),
                    });
                }
            }
            return outcome;
        }

        /// <summary>team.stone common.OptionalNamePart: String(pattern="[^/:?*&lt;&gt;\"|]*", max_length=100).</summary>
        public const int MaxNamePart = 100;
        private static readonly char[] NamePartForbidden = { '/', ':', '?', '*', '<', '>', '"', '|' };

        private static TeamApiException NamePartError(TeamMemberAdd member)
        {
            if (!DropboxLimits.IsEmailAddress(member.Email))
                return new TeamApiException("members/add_v2", "invalid_email", (member.Email?.Length ?? 0) > DropboxLimits.MaxEmailLength
                    ? $"'{DropboxLimits.Shorten(member.Email)}' was not sent: the Team API takes e-mail addresses of at most {DropboxLimits.MaxEmailLength} characters."
                    : $"'{member.Email}' was not sent: the Team API does not take it as an e-mail address (common.EmailAddress).", 400, DbxErrorCategory.InvalidData);
            if (!string.IsNullOrEmpty(member.ExternalId) && member.ExternalId.Length > DropboxLimits.MaxExternalIdLength)
                return new TeamApiException("members/add_v2", "invalid_external_id",
                    $"'{member.Email}' was not sent: its externalId is longer than the {DropboxLimits.MaxExternalIdLength} characters the Team API allows.", 400, DbxErrorCategory.InvalidData);
            foreach (var (attribute, part) in new[] { ("name.givenName", member.GivenName), ("name.familyName", member.Surname) })
            {
                if (part == null) continue;
                var why = part.Length > MaxNamePart ? $"is longer than the {MaxNamePart} characters the Team API allows in a name"
                    : part.IndexOfAny(NamePartForbidden) >= 0 ? "holds a character the Team API does not allow in a name (/ : ? * < > \" |)" : null;
                if (why != null)
                    return new TeamApiException("members/add_v2", "invalid_name_part", $"'{member.Email}' was not sent: its {attribute} {why}.", 400, DbxErrorCategory.InvalidData);
            }
            return null;
        }

        /// <summary>members/get_info_v2 for one member: its TeamMemberInfoV2, or null when Dropbox has no such member.</summary>
        public async Task<JObject> GetMemberAsync(JObject selector, CancellationToken cancellationToken)
        {
            var answer = await CallAsync("members/get_info_v2", new JObject { ["members"] = new JArray(selector) }, cancellationToken).ConfigureAwait(false);
            var item = answer?["members_info"]?.FirstOrDefault() as JObject;
            if ((string)item?[".tag"] != "member_info") return null;
            var info = (JObject)item.DeepClone();
            info.Remove(".tag");
            return info;
        }

        /// <summary>members/list_v2 and /continue_v2, pages of 1,000; removed members are not listed.</summary>
        public async Task ListMembersAsync(Action<JObject> onMember, CancellationToken cancellationToken)
        {
            var page = await CallAsync("members/list_v2", new JObject { ["limit"] = PageSize }, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                foreach (var m in page?["members"] ?? new JArray()) onMember((JObject)m);
                if (!((bool?)page?["has_more"] ?? false)) return;
                page = await CallAsync("members/list/continue_v2", new JObject { ["cursor"] = (string)page["cursor"] }, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>members/set_profile_v2 with the fields that are not null; answers the member's TeamMemberInfoV2.</summary>
        public async Task<JObject> SetProfileAsync(string teamMemberId, string email, string givenName, string surname, string externalId, string persistentId, CancellationToken cancellationToken)
        {
            var arg = new JObject { ["user"] = ById(teamMemberId) };
            if (email != null) arg["new_email"] = email;
            if (givenName != null) arg["new_given_name"] = givenName;
            if (surname != null) arg["new_surname"] = surname;
            if (externalId != null) arg["new_external_id"] = externalId;
            if (persistentId != null) arg["new_persistent_id"] = persistentId;
            var answer = await CallAsync("members/set_profile_v2", arg, cancellationToken).ConfigureAwait(false);
            return answer?["member_info"] as JObject;
        }

        /// <summary>
        /// Sets a member's role: an AdminTier (team_admin, member_only...) through members/set_admin_permissions, whose
        /// new_role is the tier itself, so no team-specific role id has to be known; a role id (pid_dbtmr:...)
        /// through members/set_admin_permissions_v2.
        /// </summary>
        public Task SetRoleAsync(string teamMemberId, string role, CancellationToken cancellationToken) =>
            role != null && role.StartsWith(Mapping.TargetSchema.RoleIdPrefix, StringComparison.Ordinal)
                ? CallAsync("members/set_admin_permissions_v2", new JObject { ["user"] = ById(teamMemberId), ["new_roles"] = new JArray(role) }, cancellationToken)
                : CallAsync("members/set_admin_permissions", new JObject { ["user"] = ById(teamMemberId), ["new_role"] = new JObject { [".tag"] = role ?? "member_only" } }, cancellationToken);

        /// <summary>members/send_welcome_email: its argument is the UserSelectorArg itself; Dropbox does nothing for a member no longer pending.</summary>
        public Task SendWelcomeEmailAsync(string teamMemberId, CancellationToken cancellationToken) =>
            CallAsync("members/send_welcome_email", ById(teamMemberId), cancellationToken);

        public Task SuspendAsync(string teamMemberId, CancellationToken cancellationToken) =>
            CallAsync("members/suspend", new JObject { ["user"] = ById(teamMemberId), ["wipe_data"] = false }, cancellationToken);

        public Task UnsuspendAsync(string teamMemberId, CancellationToken cancellationToken) =>
            CallAsync("members/unsuspend", new JObject { ["user"] = ById(teamMemberId) }, cancellationToken);

        /// <summary>members/remove (files kept with the account's data wiped from devices, as a SCIM DELETE does).</summary>
        public async Task RemoveAsync(string teamMemberId, CancellationToken cancellationToken)
        {
            var answer = await CallAsync("members/remove", new JObject { ["user"] = ById(teamMemberId), ["wipe_data"] = true }, cancellationToken).ConfigureAwait(false);
            var job = (string)answer?["async_job_id"];
            while (job != null)
            {
                await _delay(PollInterval, cancellationToken).ConfigureAwait(false);
                var status = await CallAsync("members/remove/job_status/get", new JObject { ["async_job_id"] = job }, cancellationToken).ConfigureAwait(false);
                if ((string)status?[".tag"] != "in_progress") job = null;
            }
        }

        // ---------------------------------------------------------------- member space limits

        /// <summary>member_space_limits/*: at most 1,000 members a call.</summary>
        public const int MaxQuotaUsers = 1000;

        /// <summary>member_space_limits/get_custom_quota: each member's custom quota in GB, null for none (or for an invalid_user).</summary>
        public async Task<Dictionary<string, long?>> GetCustomQuotasAsync(IReadOnlyList<string> teamMemberIds, CancellationToken cancellationToken)
        {
            var quotas = new Dictionary<string, long?>(StringComparer.Ordinal);
            for (var start = 0; start < teamMemberIds.Count; start += MaxQuotaUsers)
            {
                var ids = teamMemberIds.Skip(start).Take(MaxQuotaUsers).ToList();
                var answer = await CallAsync("member_space_limits/get_custom_quota", new JObject { ["users"] = new JArray(ids.Select(ById)) }, cancellationToken).ConfigureAwait(false) as JArray ?? new JArray();
                for (var i = 0; i < ids.Count; i++)
                {
                    var item = i < answer.Count ? answer[i] as JObject : null;
                    quotas[ids[i]] = (string)item?[".tag"] == "success" && item["quota_gb"]?.Type == JTokenType.Integer ? (long)item["quota_gb"] : (long?)null;
                }
            }
            return quotas;
        }

        /// <summary>
        /// member_space_limits/set_custom_quota for up to 1,000 members (quota_gb at least 2, team.stone UserQuota): per
        /// member null when it was set, else the refusal (invalid_user).
        /// </summary>
        public async Task<IReadOnlyList<TeamApiException>> SetCustomQuotasAsync(IReadOnlyList<(string TeamMemberId, long QuotaGb)> quotas, CancellationToken cancellationToken)
        {
            if (quotas.Count > MaxQuotaUsers) throw new ArgumentException($"member_space_limits/set_custom_quota takes at most {MaxQuotaUsers} members.", nameof(quotas));
            var answer = await CallAsync("member_space_limits/set_custom_quota", new JObject
            {
                ["users_and_quotas"] = new JArray(quotas.Select(q => new JObject { ["user"] = ById(q.TeamMemberId), ["quota_gb"] = q.QuotaGb })),
            }, cancellationToken).ConfigureAwait(false) as JArray ?? new JArray();
            return quotas.Select((q, i) =>
            {
                var tag = (string)(i < answer.Count ? answer[i] : null)?[".tag"];
                return tag == "success" ? null : new TeamApiException("member_space_limits/set_custom_quota", tag ?? "invalid_user",
                    $"Dropbox did not set the custom space limit of {q.QuotaGb} GB for {q.TeamMemberId} ({tag ?? "no result"}).", 404, DbxErrorCategory.ObjectNotFound);
            }).ToList();
        }

        /// <summary>member_space_limits/remove_custom_quota for one member: it goes back to the team's default limit.</summary>
        public async Task RemoveCustomQuotaAsync(string teamMemberId, CancellationToken cancellationToken)
        {
            var answer = await CallAsync("member_space_limits/remove_custom_quota", new JObject { ["users"] = new JArray(ById(teamMemberId)) }, cancellationToken).ConfigureAwait(false) as JArray;
            var tag = (string)answer?.FirstOrDefault()?[".tag"];
            if (tag != "success")
                throw new TeamApiException("member_space_limits/remove_custom_quota", tag ?? "invalid_user", $"Dropbox did not remove the custom space limit of {teamMemberId} ({tag ?? "no result"}).", 404, DbxErrorCategory.ObjectNotFound);
        }

        // ---------------------------------------------------------------- groups

        public async Task ListGroupsAsync(Action<JObject> onGroup, CancellationToken cancellationToken)
        {
            var page = await CallAsync("groups/list", new JObject { ["limit"] = PageSize }, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                foreach (var g in page?["groups"] ?? new JArray()) onGroup((JObject)g);
                if (!((bool?)page?["has_more"] ?? false)) return;
                page = await CallAsync("groups/list/continue", new JObject { ["cursor"] = (string)page["cursor"] }, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>groups/get_info for one group (without members), or null if Dropbox has none with this id.</summary>
        public async Task<JObject> GetGroupAsync(string groupId, CancellationToken cancellationToken)
        {
            var answer = await CallAsync("groups/get_info", new JObject { [".tag"] = "group_ids", ["group_ids"] = new JArray(groupId) }, cancellationToken).ConfigureAwait(false);
            var item = (answer as JArray)?.FirstOrDefault() as JObject;
            if ((string)item?[".tag"] != "group_info") return null;
            var info = (JObject)item.DeepClone();
            info.Remove(".tag");
            return info;
        }

        /// <summary>The team_member_ids of a group's members (groups/members/list and /continue).</summary>
        public async Task<List<string>> ListGroupMembersAsync(string groupId, CancellationToken cancellationToken)
        {
            var ids = new List<string>();
            var page = await CallAsync("groups/members/list", new JObject { ["group"] = Group(groupId), ["limit"] = PageSize }, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                foreach (var m in page?["members"] ?? new JArray()) ids.Add((string)m["profile"]?["team_member_id"]);
                if (!((bool?)page?["has_more"] ?? false)) return ids;
                page = await CallAsync("groups/members/list/continue", new JObject { ["cursor"] = (string)page["cursor"] }, cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task<JObject> CreateGroupAsync(string name, string externalId, string managementType, CancellationToken cancellationToken)
        {
            var arg = new JObject { ["group_name"] = name };
            if (!string.IsNullOrEmpty(externalId)) arg["group_external_id"] = externalId;
            arg["group_management_type"] = new JObject { [".tag"] = managementType ?? "company_managed" };
            return (JObject)await CallAsync("groups/create", arg, cancellationToken).ConfigureAwait(false);
        }

        public async Task<JObject> UpdateGroupAsync(string groupId, string newName, string newExternalId, string newManagementType, CancellationToken cancellationToken)
        {
            var arg = new JObject { ["group"] = Group(groupId), ["return_members"] = false };
            if (newName != null) arg["new_group_name"] = newName;
            if (newExternalId != null) arg["new_group_external_id"] = newExternalId;
            if (newManagementType != null) arg["new_group_management_type"] = new JObject { [".tag"] = newManagementType };
            return (JObject)await CallAsync("groups/update", arg, cancellationToken).ConfigureAwait(false);
        }

        public Task DeleteGroupAsync(string groupId, CancellationToken cancellationToken) => CallAsync("groups/delete", Group(groupId), cancellationToken);

        /// <summary>
        /// Adds members to a group. Dropbox refuses the whole call when one of them is in it already (duplicate_user),
        /// as when an admin added them in the Dropbox console: the call is made again for the others.
        /// </summary>
        public Task AddGroupMembersAsync(string groupId, IEnumerable<string> teamMemberIds, CancellationToken cancellationToken) =>
            ChangeGroupMembersAsync(groupId, teamMemberIds.Distinct(StringComparer.Ordinal).ToList(), inGroup: false,
                ids => CallAsync("groups/members/add", new JObject
                {
                    ["group"] = Group(groupId),
                    ["members"] = new JArray(ids.Select(id => new JObject { ["user"] = ById(id), ["access_type"] = new JObject { [".tag"] = "member" } })),
                    ["return_members"] = false,
                }, cancellationToken),
                cancellationToken, "duplicate_user");

        /// <summary>
        /// Removes members from a group. Dropbox refuses the whole call when one of them is no longer in it
        /// (member_not_in_group; users_not_found once the account is gone), as when a member removed from the team in
        /// the same cycle left its groups with it: the call is made again for those still in it.
        /// </summary>
        public Task RemoveGroupMembersAsync(string groupId, IEnumerable<string> teamMemberIds, CancellationToken cancellationToken) =>
            ChangeGroupMembersAsync(groupId, teamMemberIds.ToList(), inGroup: true,
                ids => CallAsync("groups/members/remove", new JObject
                {
                    ["group"] = Group(groupId),
                    ["users"] = new JArray(ids.Select(ById)),
                    ["return_members"] = false,
                }, cancellationToken),
                cancellationToken, "member_not_in_group", "users_not_found");

        /// <summary>
        /// One groups/members/add or remove call; when Dropbox refuses it whole because the group is not as the engine
        /// thought, the group's members are read and the call made once more for the ids that still need it (those in
        /// the group for a removal, those not in it for an addition).
        /// </summary>
        private async Task ChangeGroupMembersAsync(string groupId, List<string> ids, bool inGroup, Func<List<string>, Task> call,
            CancellationToken cancellationToken, params string[] refusals)
        {
            try
            {
                await call(ids).ConfigureAwait(false);
            }
            catch (TeamApiException e) when (refusals.Contains(e.Tag))
            {
                var current = new HashSet<string>(await ListGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
                var rest = ids.Where(id => current.Contains(id) == inGroup).ToList();
                if (rest.Count > 0) await call(rest).ConfigureAwait(false);
            }
        }
    }
}
