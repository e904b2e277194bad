using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.TeamApi
{
    /// <summary>
    /// Dropbox API v2's team member and group routes (team/members/*, team/groups/*) over the one team model that
    /// SCIM also serves, registered on the Dropbox API emulator (OAuth, scopes, error bodies, 429s are its own).
    /// JSON follows team.stone: add_v2 takes at most <see cref="MaxMembersPerAdd"/> members and answers per member,
    /// completing at once or, with force_async or more than <see cref="SynchronousAddLimit"/> members, through a job
    /// polled with members/add/job_status/get(_v2); lists page by cursor (limit up to 1,000).
    /// </summary>
    internal sealed partial class TeamApiEmulator
    {
        public const int MaxMembersPerAdd = 20;
        public const int SynchronousAddLimit = 10;
        public const int MaxPage = 1000;

        private readonly Func<DropboxTeam> _team;
        private readonly object _gate = new object();
        private readonly Dictionary<string, Job> _jobs = new Dictionary<string, Job>(StringComparer.Ordinal);
        private long _jobCounter;

        public TeamApiEmulator(Func<DropboxTeam> team, Func<TimeSpan> addJobDuration = null)
        {
            _team = team;
            _addJobDuration = addJobDuration ?? (() => TimeSpan.Zero);
        }

        private readonly Func<TimeSpan> _addJobDuration;

        private DropboxTeam Team => _team();

        public void RegisterRoutes(DropboxApiEmulator api)
        {
            api.Register("team/members/add_v2", "members.write", r => AddMembers(r, v2: true));
            api.Register("team/members/add", "members.write", r => AddMembers(r, v2: false));
            api.Register("team/members/add/job_status/get_v2", "members.write", r => AddJobStatus(r, v2: true));
            api.Register("team/members/add/job_status/get", "members.write", r => AddJobStatus(r, v2: false));
            api.Register("team/members/get_info_v2", "members.read", GetInfo);
            api.Register("team/members/list_v2", "members.read", r => ListMembers(r, v2: true));
            api.Register("team/members/list", "members.read", r => ListMembers(r, v2: false));
            api.Register("team/members/list/continue_v2", "members.read", r => ContinueMembers(r, v2: true));
            api.Register("team/members/list/continue", "members.read", r => ContinueMembers(r, v2: false));
            api.Register("team/members/set_profile_v2", "members.write", SetProfile);
            api.Register("team/members/set_admin_permissions", "members.write", r => SetAdminPermissions(r, v2: false));
            api.Register("team/members/set_admin_permissions_v2", "members.write", r => SetAdminPermissions(r, v2: true));
            api.Register("team/members/suspend", "members.write", Suspend);
            api.Register("team/members/unsuspend", "members.write", Unsuspend);
            api.Register("team/members/remove", "members.delete", RemoveMember);
            api.Register("team/members/remove/job_status/get", "members.delete", RemoveJobStatus);
            api.Register("team/groups/create", "groups.write", CreateGroup);
            api.Register("team/groups/update", "groups.write", UpdateGroup);
            api.Register("team/groups/delete", "groups.write", DeleteGroup);
            api.Register("team/groups/get_info", "groups.read", GetGroupInfo);
            api.Register("team/groups/list", "groups.read", ListGroups);
            api.Register("team/groups/list/continue", "groups.read", ContinueGroups);
            api.Register("team/groups/members/add", "groups.write", AddGroupMembers);
            api.Register("team/groups/members/remove", "groups.write", RemoveGroupMembers);
            api.Register("team/groups/members/list", "groups.read", ListGroupMembers);
            api.Register("team/groups/members/list/continue", "groups.read", ContinueGroupMembers);
            api.Register("team/groups/job_status/get", "groups.write", EmptyJobStatus);
            RegisterTeamInfoRoutes(api);
            RegisterInviteRoutes(api);
            RegisterSpaceLimitRoutes(api);
            RegisterTeamFolderRoutes(api);
            RegisterOffboardingRoutes(api);
            RegisterSecondaryEmailRoutes(api);
        }

        // ---------------------------------------------------------------- members

        private HttpResponseMessage AddMembers(DropboxRpcRequest request, bool v2)
        {
            var arg = Struct(request);
            var list = arg["new_members"] as JArray ?? throw Bad(request, "missing required field 'new_members'");
            if (list.Count > MaxMembersPerAdd)
                throw Bad(request, $"new_members: a maximum of {MaxMembersPerAdd} members can be added per call, got {list.Count}.");
            var results = new JArray();
            foreach (var item in list)
            {
                if (!(item is JObject m)) throw Bad(request, "new_members: expected an object");
                results.Add(AddOne(request, m, v2));
            }
            var forceAsync = (bool?)arg["force_async"] ?? false;
            if (!forceAsync && list.Count <= SynchronousAddLimit)
                return Ok(StoneJson.Nested("complete", results));
            var id = NewJob(new Job { Result = StoneJson.Nested("complete", results), Started = DateTimeOffset.UtcNow, V2 = v2 });
            return Ok(StoneJson.Nested("async_job_id", id));
        }

        private JObject AddOne(DropboxRpcRequest request, JObject m, bool v2)
        {
            var email = (string)m["member_email"] ?? throw Bad(request, "new_members: missing required field 'member_email'");
            var role = "member_only";
            if (v2 && m["role_ids"] is JArray roleIds && roleIds.Count > 0)
            {
                if (roleIds.Count > 1) throw Bad(request, "role_ids: a list of at most 1 item is expected");
                role = TeamApiJson.TierOfRoleId((string)roleIds[0]) ?? throw Bad(request, $"role_ids: unknown role '{roleIds[0]}'");
            }
            else if (!v2 && m["role"] is JObject tier) role = (string)tier[".tag"] ?? role;
            // Stone checks the argument before the route runs: a name part outside common.OptionalNamePart refuses the whole call.
            foreach (var field in new[] { "member_given_name", "member_surname" })
            {
                var part = (string)m[field];
                if (part == null) continue;
                if (part.Length > TeamApiJson.MaxNamePart) throw Bad(request, $"new_members: {field}: '{part}' is longer than {TeamApiJson.MaxNamePart}");
                if (part.IndexOfAny(TeamApiJson.NamePartForbidden) >= 0) throw Bad(request, $"new_members: {field}: '{part}' did not match pattern '{TeamApiJson.NamePartPattern}'");
            }
            try
            {
                var added = Team.AddMember(new DropboxMember
                {
                    Email = email,
                    GivenName = (string)m["member_given_name"],
                    Surname = (string)m["member_surname"],
                    ExternalId = NullIfEmpty((string)m["member_external_id"]),
                    PersistentId = NullIfEmpty((string)m["member_persistent_id"]),
                    Role = role,
                    Status = DropboxMemberStatus.Invited,
                });
                var info = v2 ? TeamApiJson.InfoV2(added, Team.GroupIdsOf(added.TeamMemberId)) : TeamApiJson.InfoV1(added, Team.GroupIdsOf(added.TeamMemberId));
                return StoneJson.Inlined("success", info);
            }
            catch (DropboxTeamException e)
            {
                switch (e.Tag)
                {
                    case "team_license_limit":
                    case "free_team_member_limit_reached":
                    case "user_already_on_team":
                    case "duplicate_external_member_id":
                    case "duplicate_member_persistent_id":
                        return StoneJson.Nested(e.Tag, email);
                    default:
                        return StoneJson.Nested("user_creation_failed", email);
                }
            }
        }

        private HttpResponseMessage AddJobStatus(DropboxRpcRequest request, bool v2)
        {
            var id = (string)Struct(request)["async_job_id"];
            Job job;
            lock (_gate)
            {
                if (id == null || !_jobs.TryGetValue(id, out job) || job.V2 != v2 || job.Kind != null)
                    return DropboxErrors.Route(StoneJson.Tag("invalid_async_job_id"));
                // The job runs for a while after it was started; its status says so until then.
                if (DateTimeOffset.UtcNow - job.Started < _addJobDuration()) return Ok(StoneJson.Tag("in_progress"));
            }
            return Ok((JObject)job.Result.DeepClone());
        }

        private HttpResponseMessage EmptyJobStatus(DropboxRpcRequest request)
        {
            var id = (string)Struct(request)["async_job_id"];
            lock (_gate)
                if (id == null || !_jobs.ContainsKey(id)) return DropboxErrors.Route(StoneJson.Tag("invalid_async_job_id"));
            return Ok(StoneJson.Tag("complete"));
        }

        private HttpResponseMessage GetInfo(DropboxRpcRequest request)
        {
            var selectors = Struct(request)["members"] as JArray ?? throw Bad(request, "missing required field 'members'");
            var items = new JArray();
            foreach (var selector in selectors)
            {
                var member = Find(request, selector, out var value);
                items.Add(member == null || member.Status == DropboxMemberStatus.Removed
                    ? StoneJson.Nested("id_not_found", value)
                    : StoneJson.Inlined("member_info", TeamApiJson.InfoV2(member, Team.GroupIdsOf(member.TeamMemberId))));
            }
            return Ok(new JObject { ["members_info"] = items });
        }

        private HttpResponseMessage ListMembers(DropboxRpcRequest request, bool v2)
        {
            var arg = Struct(request);
            var cursor = new Cursor { Kind = v2 ? "m2" : "m1", Limit = Limit(request, arg), IncludeRemoved = (bool?)arg["include_removed"] ?? false };
            return MembersPage(cursor);
        }

        private HttpResponseMessage ContinueMembers(DropboxRpcRequest request, bool v2)
        {
            var cursor = Cursor.Decode((string)Struct(request)["cursor"]);
            if (cursor == null || cursor.Kind != (v2 ? "m2" : "m1")) return DropboxErrors.Route(StoneJson.Tag("invalid_cursor"));
            return MembersPage(cursor);
        }

        private HttpResponseMessage MembersPage(Cursor cursor)
        {
            IReadOnlyList<DropboxMember> page;
            int total;
            if (cursor.IncludeRemoved)
            {
                var all = Team.AllMembers;
                total = all.Count;
                page = all.Skip(cursor.Offset).Take(cursor.Limit).ToList();
            }
            else page = Team.GetMembersPage(cursor.Offset, cursor.Limit, out total);
            var members = new JArray(page.Select(m => cursor.Kind == "m2"
                ? TeamApiJson.InfoV2(m, Team.GroupIdsOf(m.TeamMemberId))
                : TeamApiJson.InfoV1(m, Team.GroupIdsOf(m.TeamMemberId))));
            var next = cursor.Next(page.Count);
            return Ok(new JObject { ["members"] = members, ["cursor"] = next.Encode(), ["has_more"] = next.Offset < total });
        }

        private HttpResponseMessage SetProfile(DropboxRpcRequest request)
        {
            var arg = Struct(request);
            var member = RequireMember(request, arg["user"]);
            string email = (string)arg["new_email"], given = (string)arg["new_given_name"], surname = (string)arg["new_surname"];
            string externalId = (string)arg["new_external_id"], persistentId = (string)arg["new_persistent_id"];
            if (email == null && given == null && surname == null && externalId == null && persistentId == null && arg["new_is_directory_restricted"] == null)
                return DropboxErrors.Route(StoneJson.Tag("no_new_data_specified"));
            if (email != null && email.Length == 0 || given != null && given.Length == 0 && surname != null && surname.Length == 0)
                return DropboxErrors.Route(StoneJson.Tag("param_cannot_be_empty"));
            try
            {
                var updated = Team.UpdateMember(member.TeamMemberId, m =>
                {
                    if (email != null) m.Email = email;
                    if (given != null) m.GivenName = given;
                    if (surname != null) m.Surname = surname;
                    if (externalId != null) m.ExternalId = NullIfEmpty(externalId);
                    if (persistentId != null) m.PersistentId = NullIfEmpty(persistentId);
                });
                return Ok(new JObject { ["member_info"] = TeamApiJson.InfoV2(updated, Team.GroupIdsOf(updated.TeamMemberId)) });
            }
            catch (DropboxTeamException e)
            {
                switch (e.Tag)
                {
                    case "email_reserved_for_other_user":
                    case "external_id_used_by_other_user":
                    case "set_profile_disallowed":
                        return DropboxErrors.Route(StoneJson.Tag(e.Tag), e.Message);
                    case "duplicate_member_persistent_id":
                        return DropboxErrors.Route(StoneJson.Tag("persistent_id_used_by_other_user"), e.Message);
                    default:
                        throw Bad(request, e.Message);
                }
            }
        }

        /// <summary>
        /// members/set_admin_permissions (new_role AdminTier) and _v2 (new_roles: at most one role id, empty for a plain
        /// member): cannot_set_permissions for a suspended member, last_admin for the last team admin, role_not_found.
        /// </summary>
        private HttpResponseMessage SetAdminPermissions(DropboxRpcRequest request, bool v2)
        {
            var arg = Struct(request);
            var member = RequireMember(request, arg["user"]);
            string role;
            if (v2)
            {
                var roles = arg["new_roles"] as JArray ?? new JArray();
                if (roles.Count > 1) throw Bad(request, "new_roles: a list of at most 1 item is expected");
                role = roles.Count == 0 ? "member_only" : TeamApiJson.TierOfRoleId((string)roles[0]);
                if (role == null) return DropboxErrors.Route(StoneJson.Tag("role_not_found"));
            }
            else
            {
                role = (string)arg["new_role"]?[".tag"] ?? throw Bad(request, "missing required field 'new_role'");
                if (!TeamApiJson.IsAdminTier(role)) throw Bad(request, $"new_role: unknown AdminTier '{role}'");
            }
            if (member.Status == DropboxMemberStatus.Suspended) return DropboxErrors.Route(StoneJson.Tag("cannot_set_permissions"));
            if (member.Role == "team_admin" && role != "team_admin" && Team.Members.Count(m => m.Role == "team_admin" && m.Status == DropboxMemberStatus.Active) <= 1
                && member.Status == DropboxMemberStatus.Active)
                return DropboxErrors.Route(StoneJson.Tag("last_admin"));
            var updated = Team.UpdateMember(member.TeamMemberId, m => m.Role = role);
            return Ok(v2
                ? new JObject { ["team_member_id"] = updated.TeamMemberId, ["roles"] = TeamApiJson.InfoV2(updated, Team.GroupIdsOf(updated.TeamMemberId))["roles"] }
                : new JObject { ["team_member_id"] = updated.TeamMemberId, ["role"] = StoneJson.Tag(role) });
        }

        private HttpResponseMessage Suspend(DropboxRpcRequest request)
        {
            var member = RequireMember(request, Struct(request)["user"]);
            if (member.Status == DropboxMemberStatus.Suspended) return Ok(JValue.CreateNull());
            try { Team.Suspend(member.TeamMemberId); WipeIfAsked(Struct(request), member); }
            catch (DropboxTeamException e) when (e.Tag == "suspend_inactive_user" || e.Tag == "team_license_limit")
            {
                return DropboxErrors.Route(StoneJson.Tag(e.Tag), e.Message);
            }
            return Ok(JValue.CreateNull());
        }

        private HttpResponseMessage Unsuspend(DropboxRpcRequest request)
        {
            var member = RequireMember(request, Struct(request)["user"]);
            try { Team.Unsuspend(member.TeamMemberId); }
            catch (DropboxTeamException e) when (e.Tag == "unsuspend_non_suspended_member")
            {
                return DropboxErrors.Route(StoneJson.Tag(e.Tag), e.Message);
            }
            return Ok(JValue.CreateNull());
        }

        // ---------------------------------------------------------------- groups

        private HttpResponseMessage CreateGroup(DropboxRpcRequest request)
        {
            var arg = Struct(request);
            var name = (string)arg["group_name"] ?? throw Bad(request, "missing required field 'group_name'");
            var management = (string)arg["group_management_type"]?[".tag"] ?? "company_managed";
            if (!TeamApiJson.IsManagementType(management)) throw Bad(request, $"group_management_type: unknown GroupManagementType '{management}'");
            if (management == "system_managed") return DropboxErrors.Route(StoneJson.Tag("system_managed_group_disallowed"));
            try
            {
                var group = Team.AddGroup(name, (string)arg["group_external_id"], Array.Empty<string>(), management);
                return Ok(Full(group, true));
            }
            catch (DropboxTeamException e) when (e.Tag == "group_name_already_used" || e.Tag == "group_name_invalid" || e.Tag == "external_id_already_in_use")
            {
                return DropboxErrors.Route(StoneJson.Tag(e.Tag), e.Message);
            }
        }

        private HttpResponseMessage UpdateGroup(DropboxRpcRequest request)
        {
            var arg = Struct(request);
            var group = RequireGroup(request, arg["group"]);
            string name = (string)arg["new_group_name"], externalId = (string)arg["new_group_external_id"];
            var management = (string)arg["new_group_management_type"]?[".tag"];
            if (management != null && !TeamApiJson.IsManagementType(management)) throw Bad(request, $"new_group_management_type: unknown GroupManagementType '{management}'");
            if (management == "system_managed" || group.ManagementType == "system_managed")
                return DropboxErrors.Route(StoneJson.Tag("system_managed_group_disallowed"));
            try
            {
                var updated = Team.UpdateGroup(group.GroupId, g =>
                {
                    if (name != null) g.GroupName = name;
                    if (externalId != null) g.GroupExternalId = externalId;
                    if (management != null) g.ManagementType = management;
                });
                return Ok(Full(updated, (bool?)arg["return_members"] ?? true));
            }
            catch (DropboxTeamException e) when (e.Tag == "group_name_already_used" || e.Tag == "group_name_invalid" || e.Tag == "external_id_already_in_use")
            {
                return DropboxErrors.Route(StoneJson.Tag(e.Tag), e.Message);
            }
        }

        private HttpResponseMessage DeleteGroup(DropboxRpcRequest request)
        {
            var group = RequireGroup(request, request.Argument);
            Team.DeleteGroup(group.GroupId);
            return Ok(StoneJson.Tag("complete"));
        }

        private HttpResponseMessage GetGroupInfo(DropboxRpcRequest request)
        {
            var arg = Struct(request);
            var tag = (string)arg[".tag"];
            if (tag != "group_ids" && tag != "group_external_ids") throw Bad(request, "expected a GroupsSelector");
            var items = new JArray();
            foreach (var value in (arg[tag] as JArray ?? new JArray()).Values<string>())
            {
                var group = tag == "group_ids" ? Team.GetGroup(value) : Team.FindGroupByExternalId(value);
                items.Add(group == null ? StoneJson.Nested("id_not_found", value) : StoneJson.Inlined("group_info", Full(group, true)));
            }
            return Ok(items);
        }

        private HttpResponseMessage ListGroups(DropboxRpcRequest request) =>
            GroupsPage(new Cursor { Kind = "g", Limit = Limit(request, Struct(request)) });

        private HttpResponseMessage ContinueGroups(DropboxRpcRequest request)
        {
            var cursor = Cursor.Decode((string)Struct(request)["cursor"]);
            if (cursor == null || cursor.Kind != "g") return DropboxErrors.Route(StoneJson.Tag("invalid_cursor"));
            return GroupsPage(cursor);
        }

        private HttpResponseMessage GroupsPage(Cursor cursor)
        {
            var all = Team.Groups;
            var page = all.Skip(cursor.Offset).Take(cursor.Limit).ToList();
            var next = cursor.Next(page.Count);
            return Ok(new JObject { ["groups"] = new JArray(page.Select(TeamApiJson.GroupSummary)), ["cursor"] = next.Encode(), ["has_more"] = next.Offset < all.Count });
        }

        private HttpResponseMessage AddGroupMembers(DropboxRpcRequest request)
        {
            var arg = Struct(request);
            var group = RequireGroup(request, arg["group"]);
            var ids = new List<string>();
            var notFound = new List<string>();
            var notInTeam = new List<string>();
            foreach (var access in arg["members"] as JArray ?? throw Bad(request, "missing required field 'members'"))
            {
                var member = Find(request, access["user"], out var value);
                if (member == null) notFound.Add(value);
                else if (member.Status == DropboxMemberStatus.Removed) notInTeam.Add(value);
                else if ((string)access["access_type"]?[".tag"] == "owner" && group.ManagementType == "company_managed")
                    return DropboxErrors.Route(StoneJson.Nested("user_cannot_be_manager_of_company_managed_group", new JArray(value)));
                else ids.Add(member.TeamMemberId);
            }
            if (notFound.Count > 0) return DropboxErrors.Route(StoneJson.Nested("users_not_found", new JArray(notFound)));
            if (notInTeam.Count > 0) return DropboxErrors.Route(StoneJson.Nested("members_not_in_team", new JArray(notInTeam)));
            if (group.ManagementType == "system_managed") return DropboxErrors.Route(StoneJson.Tag("system_managed_group_disallowed"));
            // GroupMembersAddError.duplicate_user: one member already in the group (or named twice) refuses the whole call.
            if (ids.Any(group.MemberIds.Contains) || ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
                return DropboxErrors.Route(StoneJson.Tag("duplicate_user"));
            var updated = Team.AddGroupMembers(group.GroupId, ids);
            return Ok(new JObject { ["group_info"] = Full(updated, (bool?)arg["return_members"] ?? true), ["async_job_id"] = NewJob(new Job()) });
        }

        private HttpResponseMessage RemoveGroupMembers(DropboxRpcRequest request)
        {
            var arg = Struct(request);
            var group = RequireGroup(request, arg["group"]);
            var ids = new List<string>();
            var notFound = new List<string>();
            var notInGroup = false;
            foreach (var selector in arg["users"] as JArray ?? throw Bad(request, "missing required field 'users'"))
            {
                var member = Find(request, selector, out var value);
                if (member == null) notFound.Add(value);
                else if (!group.MemberIds.Contains(member.TeamMemberId)) notInGroup = true;
                else ids.Add(member.TeamMemberId);
            }
            if (notFound.Count > 0) return DropboxErrors.Route(StoneJson.Nested("users_not_found", new JArray(notFound)));
            if (notInGroup) return DropboxErrors.Route(StoneJson.Tag("member_not_in_group"));
            if (group.ManagementType == "system_managed") return DropboxErrors.Route(StoneJson.Tag("system_managed_group_disallowed"));
            var updated = Team.RemoveGroupMembers(group.GroupId, ids);
            return Ok(new JObject { ["group_info"] = Full(updated, (bool?)arg["return_members"] ?? true), ["async_job_id"] = NewJob(new Job()) });
        }

        private HttpResponseMessage ListGroupMembers(DropboxRpcRequest request)
        {
            var arg = Struct(request);
            var group = RequireGroup(request, arg["group"]);
            return GroupMembersPage(new Cursor { Kind = "gm", Group = group.GroupId, Limit = Limit(request, arg) });
        }

        private HttpResponseMessage ContinueGroupMembers(DropboxRpcRequest request)
        {
            var cursor = Cursor.Decode((string)Struct(request)["cursor"]);
            if (cursor == null || cursor.Kind != "gm" || Team.GetGroup(cursor.Group) == null) return DropboxErrors.Route(StoneJson.Tag("invalid_cursor"));
            return GroupMembersPage(cursor);
        }

        private HttpResponseMessage GroupMembersPage(Cursor cursor)
        {
            var members = OrderedMembers(Team.GetGroup(cursor.Group));
            var page = members.Skip(cursor.Offset).Take(cursor.Limit).ToList();
            var next = cursor.Next(page.Count);
            return Ok(new JObject { ["members"] = new JArray(page.Select(TeamApiJson.GroupMember)), ["cursor"] = next.Encode(), ["has_more"] = next.Offset < members.Count });
        }

        private List<DropboxMember> OrderedMembers(DropboxGroup group) =>
            Team.GetMembers(group.MemberIds).Values.OrderBy(m => m.Created).ThenBy(m => m.TeamMemberId, StringComparer.Ordinal).ToList();

        private JObject Full(DropboxGroup group, bool withMembers) =>
            TeamApiJson.GroupFull(group, withMembers ? OrderedMembers(group).Select(TeamApiJson.GroupMember) : null);

        // ---------------------------------------------------------------- helpers

        private DropboxMember Find(DropboxRpcRequest request, JToken selector, out string value)
        {
            var tag = (string)selector?[".tag"];
            value = (string)selector?[tag ?? ""];
            if (value == null) throw Bad(request, "expected a UserSelectorArg (team_member_id, external_id or email)");
            switch (tag)
            {
                case "team_member_id": return Team.GetMember(value);
                case "external_id": return Team.FindByExternalId(value);
                case "email": return Team.FindByEmail(value);
                default: throw Bad(request, $"unknown UserSelectorArg tag '{tag}'");
            }
        }

        private DropboxMember RequireMember(DropboxRpcRequest request, JToken selector)
        {
            var member = Find(request, selector, out _);
            if (member == null) throw new DropboxApiException(DropboxErrors.Route(StoneJson.Tag("user_not_found")));
            if (member.Status == DropboxMemberStatus.Removed) throw new DropboxApiException(DropboxErrors.Route(StoneJson.Tag("user_not_in_team")));
            return member;
        }

        private DropboxGroup RequireGroup(DropboxRpcRequest request, JToken selector)
        {
            var tag = (string)selector?[".tag"];
            var value = (string)selector?[tag ?? ""];
            DropboxGroup group;
            switch (tag)
            {
                case "group_id": group = Team.GetGroup(value); break;
                case "group_external_id": group = Team.FindGroupByExternalId(value); break;
                default: throw Bad(request, "expected a GroupSelector (group_id or group_external_id)");
            }
            if (group == null) throw new DropboxApiException(DropboxErrors.Route(StoneJson.Tag("group_not_found")));
            return group;
        }

        private static JObject Struct(DropboxRpcRequest request) =>
            request.Argument as JObject ?? throw Bad(request, "expected a JSON object");

        private static int Limit(DropboxRpcRequest request, JObject arg)
        {
            var limit = (int?)arg["limit"] ?? MaxPage;
            if (limit < 1 || limit > MaxPage) throw Bad(request, $"limit: {limit} is not within 1 and {MaxPage}");
            return limit;
        }

        private static DropboxApiException Bad(DropboxRpcRequest request, string message) =>
            new DropboxApiException(DropboxErrors.BadInput(request.Route, message));

        private static HttpResponseMessage Ok(JToken body) => EmulatorResponse.Json(HttpStatusCode.OK, body);

        private static string NullIfEmpty(string s) => string.IsNullOrEmpty(s) ? null : s;

        private string NewJob(Job job)
        {
            lock (_gate)
            {
                var id = "dbjid:" + (++_jobCounter).ToString("D12", CultureInfo.InvariantCulture);
                _jobs[id] = job;
                return id;
            }
        }

        private sealed class Job
        {
            public JObject Result;
            public DateTimeOffset Started;
            public bool V2;
            /// <summary>"remove" for a members/remove job; null for an add job.</summary>
            public string Kind;
        }

        private sealed class Cursor
        {
            public string Kind; public int Offset; public int Limit; public bool IncludeRemoved; public string Group;

            public Cursor Next(int read) => new Cursor { Kind = Kind, Offset = Offset + read, Limit = Limit, IncludeRemoved = IncludeRemoved, Group = Group };

            public string Encode() =>
                Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join("|", Kind, Offset.ToString(CultureInfo.InvariantCulture),
                    Limit.ToString(CultureInfo.InvariantCulture), IncludeRemoved ? "1" : "0", Group ?? ""))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

            public static Cursor Decode(string text)
            {
                if (string.IsNullOrEmpty(text)) return null;
                try
                {
                    var b64 = text.Replace('-', '+').Replace('_', '/');
                    b64 += new string('=', (4 - b64.Length % 4) % 4);
                    var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('|');
                    if (parts.Length != 5) return null;
                    return new Cursor
                    {
                        Kind = parts[0], Offset = int.Parse(parts[1], CultureInfo.InvariantCulture), Limit = int.Parse(parts[2], CultureInfo.InvariantCulture),
                        IncludeRemoved = parts[3] == "1", Group = parts[4].Length == 0 ? null : parts[4],
                    };
                }
                catch (FormatException) { return null; }
            }
        }
    }
}
