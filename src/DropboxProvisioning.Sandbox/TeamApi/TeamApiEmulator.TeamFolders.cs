using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.TeamApi
{
    internal sealed partial class TeamApiEmulator
    {
        private readonly Dictionary<string, bool> _removeJobs = new Dictionary<string, bool>(StringComparer.Ordinal);

        /// <summary>
        /// team_folder/list, list/continue and create (team.stone, as the team), token/get_authenticated_admin, and the
        /// sharing routes a team admin uses on a team folder's shared folder (sharing.stone, select_admin_mode team_admin:
        /// the Dropbox-API-Select-Admin header must name an active team admin). Members are groups or team members by
        /// dropbox_id; add_folder_member is Void, update answers MemberAccessLevelResult, remove launches a job
        /// (LaunchResultBase) polled with check_remove_member_job_status.
        /// </summary>
        private void RegisterTeamFolderRoutes(DropboxApiEmulator api)
        {
            api.Register("team/team_folder/list", "team_data.content.read", ListTeamFolders);
            api.Register("team/team_folder/list/continue", "team_data.content.read", ContinueTeamFolders);
            api.Register("team/team_folder/create", "team_data.content.write", CreateTeamFolder);
            api.Register("team/token/get_authenticated_admin", "team_info.read", AuthenticatedAdmin, voidArgument: true);
            api.Register("sharing/add_folder_member", "sharing.write", AddFolderMember);
            api.Register("sharing/update_folder_member", "sharing.write", UpdateFolderMember);
            api.Register("sharing/remove_folder_member", "sharing.write", RemoveFolderMember);
            api.Register("sharing/check_remove_member_job_status", "sharing.write", CheckRemoveMemberJob);
        }

        /// <summary>The admin the sandbox's token stands for: the team's first active team admin (null: none, mapping_not_found).</summary>
        private DropboxMember TokenAdmin() =>
            Team.Members.Where(m => m.Role == "team_admin" && m.Status == DropboxMemberStatus.Active).OrderBy(m => m.Created).ThenBy(m => m.TeamMemberId, StringComparer.Ordinal).FirstOrDefault();

        private HttpResponseMessage AuthenticatedAdmin(DropboxRpcRequest request)
        {
            var admin = TokenAdmin();
            if (admin == null) return DropboxErrors.Route(StoneJson.Tag("mapping_not_found"));
            return Ok(new JObject { ["admin_profile"] = TeamApiJson.Profile(admin, Team.GroupIdsOf(admin.TeamMemberId)) });
        }

        // ---------------------------------------------------------------- team_folder/*

        private HttpResponseMessage ListTeamFolders(DropboxRpcRequest request)
        {
            var arg = request.Argument as JObject ?? new JObject();
            return Ok(TeamFolderPage(0, Limit(request, arg)));
        }

        private HttpResponseMessage ContinueTeamFolders(DropboxRpcRequest request)
        {
            var cursor = (string)Struct(request)["cursor"] ?? throw Bad(request, "missing required field 'cursor'");
            var parts = cursor.Split(':');
            if (parts.Length != 3 || parts[0] != "tf" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
                return DropboxErrors.Route(StoneJson.Tag("invalid_cursor"));
            return Ok(TeamFolderPage(offset, limit));
        }

        private JObject TeamFolderPage(int offset, int limit)
        {
            var all = Team.TeamFolders.All;
            var page = all.Skip(offset).Take(limit).ToList();
            var next = offset + page.Count;
            return new JObject
            {
                ["team_folders"] = new JArray(page.Select(TeamFolderMetadata)),
                ["cursor"] = $"tf:{next}:{limit}",
                ["has_more"] = next < all.Count,
            };
        }

        private HttpResponseMessage CreateTeamFolder(DropboxRpcRequest request)
        {
            var arg = Struct(request);
            var name = (string)arg["name"] ?? throw Bad(request, "missing required field 'name'");
            if (arg["sync_setting"] != null && arg["sync_setting"].Type != JTokenType.Null)
                return DropboxErrors.Route(StoneJson.Nested("sync_settings_error", StoneJson.Tag("unsupported_configuration")));
            if (name.Trim().Length == 0 || name.IndexOfAny(TeamApiJson.NamePartForbidden) >= 0 || name.Any(char.IsControl) || name.Length > 255)
                return DropboxErrors.Route(StoneJson.Tag("invalid_folder_name"));
            var folder = Team.TeamFolders.Create(name);
            if (folder == null) return DropboxErrors.Route(StoneJson.Tag("folder_name_already_used"));
            return Ok(TeamFolderMetadata(folder));
        }

        /// <summary>team.stone TeamFolderMetadata.</summary>
        private static JObject TeamFolderMetadata(DropboxTeamFolder folder) => new JObject
        {
            ["team_folder_id"] = folder.TeamFolderId,
            ["name"] = folder.Name,
            ["status"] = StoneJson.Tag(folder.Status),
            ["is_team_shared_dropbox"] = false,
            ["sync_setting"] = StoneJson.Tag("default"),
            ["content_sync_settings"] = new JArray(),
            ["quota_limit"] = 0,
        };

        // ---------------------------------------------------------------- sharing/*_folder_member

        /// <summary>select_admin_mode team_admin: a team token on a user route needs Dropbox-API-Select-Admin naming an active team admin.</summary>
        private void RequireSelectAdmin(DropboxRpcRequest request)
        {
            if (string.IsNullOrEmpty(request.SelectAdmin))
                throw Bad(request, "This API function operates on a single Dropbox account, but the OAuth 2 access token you provided is for an entire Dropbox Business team. Since your API app key has team member file access permissions, you can operate on a team member's Dropbox by providing the \"Dropbox-API-Select-Admin\" or \"Dropbox-API-Select-User\" HTTP header.");
            var admin = Team.GetMember(request.SelectAdmin);
            if (admin == null || admin.Status != DropboxMemberStatus.Active || admin.Role != "team_admin")
                throw Bad(request, $"Invalid select admin header value: {request.SelectAdmin} is not an active team admin of this team.");
        }

        /// <summary>The shared folder an argument names, or throws access_error invalid_id (as AddFolderMemberError and the others nest it).</summary>
        private DropboxTeamFolder SharedFolder(DropboxRpcRequest request, JObject arg)
        {
            var id = (string)arg["shared_folder_id"] ?? throw Bad(request, "missing required field 'shared_folder_id'");
            if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[-_0-9a-zA-Z:]+$")) throw Bad(request, $"shared_folder_id: '{id}' did not match pattern '[-_0-9a-zA-Z:]+'");
            var folder = Team.TeamFolders.Get(id);
            if (folder == null) throw new DropboxApiException(DropboxErrors.Route(StoneJson.Nested("access_error", StoneJson.Tag("invalid_id"))));
            if (folder.Status != "active") throw new DropboxApiException(DropboxErrors.Route(StoneJson.Nested("access_error", StoneJson.Tag("unmounted"))));
            return folder;
        }

        /// <summary>A MemberSelector's dropbox_id (a group id or a team member id); null when it is an email.</summary>
        private static string DropboxId(DropboxRpcRequest request, JToken selector)
        {
            var tag = (string)selector?[".tag"];
            if (tag == "dropbox_id") return (string)selector["dropbox_id"] ?? throw Bad(request, "member: missing required field 'dropbox_id'");
            if (tag == "email") return null;
            throw Bad(request, "member: expected a MemberSelector (dropbox_id or email)");
        }

        private static string Level(DropboxRpcRequest request, JToken level, bool required)
        {
            if (level == null || level.Type == JTokenType.Null)
            {
                if (required) throw Bad(request, "missing required field 'access_level'");
                return "viewer";
            }
            var tag = (string)level[".tag"];
            if (tag != "owner" && tag != "editor" && tag != "viewer" && tag != "viewer_no_comment" && tag != "traverse" && tag != "no_access")
                throw Bad(request, $"access_level: unknown tag '{tag}'");
            return tag;
        }

        private bool IsMember(string id) => Team.GetGroup(id) != null || (Team.GetMember(id) is DropboxMember m && m.Status != DropboxMemberStatus.Removed);

        private HttpResponseMessage AddFolderMember(DropboxRpcRequest request)
        {
            RequireSelectAdmin(request);
            var arg = Struct(request);
            var members = arg["members"] as JArray ?? throw Bad(request, "missing required field 'members'");
            var folder = SharedFolder(request, arg);
            var adds = new List<(string Id, string Level)>();
            foreach (var item in members)
            {
                var id = DropboxId(request, item?["member"]);
                var level = Level(request, item?["access_level"], required: false);
                if (id == null) return DropboxErrors.Route(StoneJson.Nested("bad_member", StoneJson.Nested("invalid_email", (string)item["member"]["email"])));
                if (level == "owner") return DropboxErrors.Route(StoneJson.Tag("no_permission"));
                if (!IsMember(id)) return DropboxErrors.Route(StoneJson.Nested("bad_member", StoneJson.Nested("invalid_dropbox_id", id)));
                adds.Add((id, level));
            }
            Team.TeamFolders.Edit(folder, f => { foreach (var add in adds) f.Members[add.Id] = add.Level; return 0; });
            return Ok(JValue.CreateNull());
        }

        private HttpResponseMessage UpdateFolderMember(DropboxRpcRequest request)
        {
            RequireSelectAdmin(request);
            var arg = Struct(request);
            var folder = SharedFolder(request, arg);
            var id = DropboxId(request, arg["member"]) ?? throw Bad(request, "member: only dropbox_id may be set at this time");
            var level = Level(request, arg["access_level"], required: true);
            if (level == "owner") return DropboxErrors.Route(StoneJson.Tag("no_permission"));
            var updated = Team.TeamFolders.Edit(folder, f =>
            {
                if (!f.Members.ContainsKey(id)) return false;
                f.Members[id] = level;
                return true;
            });
            if (!updated) return DropboxErrors.Route(StoneJson.Nested("member_error", StoneJson.Tag(IsMember(id) ? "not_a_member" : "invalid_dropbox_id")));
            return Ok(new JObject());
        }

        private HttpResponseMessage RemoveFolderMember(DropboxRpcRequest request)
        {
            RequireSelectAdmin(request);
            var arg = Struct(request);
            var folder = SharedFolder(request, arg);
            var id = DropboxId(request, arg["member"]) ?? throw Bad(request, "member: expected a dropbox_id");
            if (arg["leave_a_copy"]?.Type != JTokenType.Boolean) throw Bad(request, "missing required field 'leave_a_copy'");
            // sharing.stone: leave_a_copy "must be set to false when removing a group, or when the folder is within a team folder".
            if ((bool)arg["leave_a_copy"]) throw Bad(request, "leave_a_copy must be false when removing a group or from a team folder");
            var removed = Team.TeamFolders.Edit(folder, f => f.Members.Remove(id));
            if (!removed) return DropboxErrors.Route(StoneJson.Nested("member_error", StoneJson.Tag(IsMember(id) ? "not_a_member" : "invalid_dropbox_id")));
            string job;
            lock (_gate)
            {
                job = "dbjid:remove-" + (++_jobCounter).ToString(CultureInfo.InvariantCulture);
                _removeJobs[job] = true;
            }
            return Ok(StoneJson.Nested("async_job_id", job));
        }

        private HttpResponseMessage CheckRemoveMemberJob(DropboxRpcRequest request)
        {
            RequireSelectAdmin(request);
            var job = (string)Struct(request)["async_job_id"] ?? throw Bad(request, "missing required field 'async_job_id'");
            lock (_gate)
                if (!_removeJobs.ContainsKey(job)) return DropboxErrors.Route(StoneJson.Tag("invalid_async_job_id"));
            return Ok(StoneJson.Tag("complete")); // MemberAccessLevelResult: every field optional, none applies to a team folder's group
        }
    }
}
