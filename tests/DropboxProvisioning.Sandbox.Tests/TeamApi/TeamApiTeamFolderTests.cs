using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.TeamApi
{
    /// <summary>
    /// team_folder/list, list/continue and create, token/get_authenticated_admin, and sharing/add_folder_member,
    /// update_folder_member, remove_folder_member and check_remove_member_job_status on a team folder: every argument
    /// the tests send and every answer (200 and 409) is held to team.stone and sharing.stone.
    /// </summary>
    public sealed class TeamApiTeamFolderTests
    {
        private readonly TeamApiEmulatorTests.Client _c = new TeamApiEmulatorTests.Client(users: 5);

        private DropboxTeam Team => _c.Tenant.Dropbox;

        /// <summary>A call, its argument checked against <paramref name="argType"/>, its answer against <paramref name="result"/> (200) or <paramref name="error"/> (409).</summary>
        private async Task<(HttpStatusCode Status, JToken Body, string Text)> Call(string route, JObject argument, string argType, string result, string error, string selectAdmin = null)
        {
            if (argType != null) TeamApiEmulatorTests.AssertValid(argument, argType);
            var request = new HttpRequestMessage(HttpMethod.Post, "/2/" + route);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _c.AccessToken);
            if (selectAdmin != null) request.Headers.Add("Dropbox-API-Select-Admin", selectAdmin);
            request.Content = new StringContent(argument == null ? "null" : argument.ToString(Formatting.None), Encoding.UTF8, "application/json");
            var response = await _c.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            JToken body = null;
            if (text.StartsWith("{") || text.StartsWith("[") || text == "null")
                using (var reader = new JsonTextReader(new System.IO.StringReader(text)) { DateParseHandling = DateParseHandling.None }) body = JToken.ReadFrom(reader);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                if (result == null) Assert.Equal(JTokenType.Null, body.Type);
                else TeamApiEmulatorTests.AssertValid(body, result);
            }
            else if ((int)response.StatusCode == 409)
            {
                Assert.False(string.IsNullOrEmpty((string)body["error_summary"]));
                TeamApiEmulatorTests.AssertValid(body["error"], error);
            }
            return (response.StatusCode, body, text);
        }

        private string Admin()
        {
            var admin = Team.AddMember("admin@contoso.example", "Ida", "Admin", DropboxMemberStatus.Active);
            Team.UpdateMember(admin.TeamMemberId, m => m.Role = "team_admin");
            return admin.TeamMemberId;
        }

        private static JObject Group(string id) => new JObject { [".tag"] = "dropbox_id", ["dropbox_id"] = id };
        private static JObject Level(string tag) => new JObject { [".tag"] = tag };

        [Fact]
        public async Task Team_folders_are_created_and_listed_by_page_by_the_Stone_definition()
        {
            var created = await Call("team/team_folder/create", new JObject { ["name"] = "Marketing" }, "team.TeamFolderCreateArg", "team.TeamFolderMetadata", "team.TeamFolderCreateError");
            Assert.Equal(HttpStatusCode.OK, created.Status);
            Assert.Equal("active", (string)created.Body["status"][".tag"]);
            var again = await Call("team/team_folder/create", new JObject { ["name"] = "marketing" }, "team.TeamFolderCreateArg", "team.TeamFolderMetadata", "team.TeamFolderCreateError");
            Assert.Equal("folder_name_already_used", (string)again.Body["error"][".tag"]);
            var bad = await Call("team/team_folder/create", new JObject { ["name"] = "a/b" }, "team.TeamFolderCreateArg", "team.TeamFolderMetadata", "team.TeamFolderCreateError");
            Assert.Equal("invalid_folder_name", (string)bad.Body["error"][".tag"]);
            foreach (var name in new[] { "Sales", "Legal" }) Team.TeamFolders.Create(name);

            var first = await Call("team/team_folder/list", new JObject { ["limit"] = 2 }, "team.TeamFolderListArg", "team.TeamFolderListResult", "team.TeamFolderListError");
            Assert.Equal(2, ((JArray)first.Body["team_folders"]).Count);
            Assert.True((bool)first.Body["has_more"]);
            var rest = await Call("team/team_folder/list/continue", new JObject { ["cursor"] = (string)first.Body["cursor"] }, "team.TeamFolderListContinueArg", "team.TeamFolderListResult", "team.TeamFolderListContinueError");
            Assert.Equal(new[] { "Legal" }, ((JArray)rest.Body["team_folders"]).Select(f => (string)f["name"]));
            Assert.False((bool)rest.Body["has_more"]);
            var wrong = await Call("team/team_folder/list/continue", new JObject { ["cursor"] = "nonsense" }, "team.TeamFolderListContinueArg", "team.TeamFolderListResult", "team.TeamFolderListContinueError");
            Assert.Equal("invalid_cursor", (string)wrong.Body["error"][".tag"]);
        }

        [Fact]
        public async Task The_authenticated_admin_is_a_TeamMemberProfile_and_without_one_the_answer_is_mapping_not_found()
        {
            var none = await Call("team/token/get_authenticated_admin", null, null, "team.TokenGetAuthenticatedAdminResult", "team.TokenGetAuthenticatedAdminError");
            Assert.Equal("mapping_not_found", (string)none.Body["error"][".tag"]);
            var admin = Admin();
            var found = await Call("team/token/get_authenticated_admin", null, null, "team.TokenGetAuthenticatedAdminResult", "team.TokenGetAuthenticatedAdminError");
            Assert.Equal(admin, (string)found.Body["admin_profile"]["team_member_id"]);
        }

        [Fact]
        public async Task A_group_is_added_updated_and_removed_on_a_team_folder_as_the_selected_admin_with_sharing_stone_errors()
        {
            var admin = Admin();
            var folder = Team.TeamFolders.Create("Projects");
            var group = Team.AddGroup("Engineering");
            var add = new JObject
            {
                ["shared_folder_id"] = folder.TeamFolderId, ["quiet"] = true,
                ["members"] = new JArray(new JObject { ["member"] = Group(group.GroupId), ["access_level"] = Level("editor") }),
            };

            // A team token on a user route needs Dropbox-API-Select-Admin naming a team admin.
            Assert.Equal(HttpStatusCode.BadRequest, (await Call("sharing/add_folder_member", add, "sharing.AddFolderMemberArg", null, "sharing.AddFolderMemberError")).Status);
            var plainMember = Team.AddMember("someone@contoso.example", "So", "Meone", DropboxMemberStatus.Active).TeamMemberId;
            Assert.Equal(HttpStatusCode.BadRequest, (await Call("sharing/add_folder_member", add, "sharing.AddFolderMemberArg", null, "sharing.AddFolderMemberError", plainMember)).Status);

            var added = await Call("sharing/add_folder_member", add, "sharing.AddFolderMemberArg", null, "sharing.AddFolderMemberError", admin);
            Assert.Equal(HttpStatusCode.OK, added.Status);
            Assert.Equal("editor", Team.TeamFolders.AccessOf(folder.TeamFolderId, group.GroupId));

            var unknown = (JObject)add.DeepClone();
            unknown["members"][0]["member"] = Group("g:0000000000000000000000000000dead");
            var refused = await Call("sharing/add_folder_member", unknown, "sharing.AddFolderMemberArg", null, "sharing.AddFolderMemberError", admin);
            Assert.Equal("bad_member", (string)refused.Body["error"][".tag"]);
            Assert.Equal("invalid_dropbox_id", (string)refused.Body["error"]["bad_member"][".tag"]);
            var noFolder = (JObject)add.DeepClone();
            noFolder["shared_folder_id"] = "999";
            var missing = await Call("sharing/add_folder_member", noFolder, "sharing.AddFolderMemberArg", null, "sharing.AddFolderMemberError", admin);
            Assert.Equal("access_error", (string)missing.Body["error"][".tag"]);
            Assert.Equal("invalid_id", (string)missing.Body["error"]["access_error"][".tag"]);
            var owner = (JObject)add.DeepClone();
            owner["members"][0]["access_level"] = Level("owner");
            Assert.Equal("no_permission", (string)(await Call("sharing/add_folder_member", owner, "sharing.AddFolderMemberArg", null, "sharing.AddFolderMemberError", admin)).Body["error"][".tag"]);

            var update = new JObject { ["shared_folder_id"] = folder.TeamFolderId, ["member"] = Group(group.GroupId), ["access_level"] = Level("viewer") };
            var updated = await Call("sharing/update_folder_member", update, "sharing.UpdateFolderMemberArg", "sharing.MemberAccessLevelResult", "sharing.UpdateFolderMemberError", admin);
            Assert.Equal(HttpStatusCode.OK, updated.Status);
            Assert.Equal("viewer", Team.TeamFolders.AccessOf(folder.TeamFolderId, group.GroupId));

            var remove = new JObject { ["shared_folder_id"] = folder.TeamFolderId, ["member"] = Group(group.GroupId), ["leave_a_copy"] = false };
            var launched = await Call("sharing/remove_folder_member", remove, "sharing.RemoveFolderMemberArg", "async.LaunchResultBase", "sharing.RemoveFolderMemberError", admin);
            Assert.Equal(HttpStatusCode.OK, launched.Status);
            Assert.Null(Team.TeamFolders.AccessOf(folder.TeamFolderId, group.GroupId));
            var job = new JObject { ["async_job_id"] = (string)launched.Body["async_job_id"] };
            var done = await Call("sharing/check_remove_member_job_status", job, "async.PollArg", "sharing.RemoveMemberJobStatus", "async.PollError", admin);
            Assert.Equal("complete", (string)done.Body[".tag"]);
            var unknownJob = await Call("sharing/check_remove_member_job_status", new JObject { ["async_job_id"] = "dbjid:nope" }, "async.PollArg", "sharing.RemoveMemberJobStatus", "async.PollError", admin);
            Assert.Equal("invalid_async_job_id", (string)unknownJob.Body["error"][".tag"]);

            // No longer a member: update and remove answer member_error not_a_member.
            var gone = await Call("sharing/remove_folder_member", remove, "sharing.RemoveFolderMemberArg", "async.LaunchResultBase", "sharing.RemoveFolderMemberError", admin);
            Assert.Equal("member_error", (string)gone.Body["error"][".tag"]);
            Assert.Equal("not_a_member", (string)gone.Body["error"]["member_error"][".tag"]);
            var stale = await Call("sharing/update_folder_member", update, "sharing.UpdateFolderMemberArg", "sharing.MemberAccessLevelResult", "sharing.UpdateFolderMemberError", admin);
            Assert.Equal("not_a_member", (string)stale.Body["error"]["member_error"][".tag"]);
        }

        [Fact]
        public async Task Team_folder_and_sharing_routes_need_their_scopes()
        {
            var narrow = new TeamApiEmulatorTests.Client(users: 3, scopes: new[] { "members.read", "team_info.read" });
            var list = await narrow.Call("team/team_folder/list", new { limit = 10 });
            Assert.Equal("team_data.content.read", (string)list.Body["error"]["required_scope"]);
            var create = await narrow.Call("team/team_folder/create", new { name = "X" });
            Assert.Equal("team_data.content.write", (string)create.Body["error"]["required_scope"]);
            var share = await narrow.Call("sharing/add_folder_member", new { shared_folder_id = "1", members = new object[0] });
            Assert.Equal("sharing.write", (string)share.Body["error"]["required_scope"]);
        }
    }
}
