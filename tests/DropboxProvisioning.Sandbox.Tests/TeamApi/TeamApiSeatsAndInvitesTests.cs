using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.TeamApi
{
    /// <summary>
    /// team/get_info (licenses), the license limit on members/add_v2, and members/send_welcome_email: every argument the
    /// tests send and every answer is held to team.stone.
    /// </summary>
    public sealed class TeamApiSeatsAndInvitesTests
    {
        /// <summary>A call whose 200 answer is held to <paramref name="result"/> and whose 409 to <paramref name="error"/>.</summary>
        private static async Task<(HttpStatusCode Status, JToken Body)> Checked(TeamApiEmulatorTests.Client c, string route, object argument, string result, string error)
        {
            var answer = await c.Call(route, argument);
            if (answer.Status == HttpStatusCode.OK)
            {
                if (result == null) Assert.Equal(JTokenType.Null, answer.Body.Type);
                else TeamApiEmulatorTests.AssertValid(answer.Body, result);
            }
            else if ((int)answer.Status == 409)
            {
                Assert.False(string.IsNullOrEmpty((string)answer.Body["error_summary"]));
                TeamApiEmulatorTests.AssertValid(answer.Body["error"], error);
            }
            return (answer.Status, answer.Body);
        }

        private static async Task<JToken> Info(TeamApiEmulatorTests.Client c)
        {
            var answer = await Checked(c, "team/get_info", null, "team.TeamGetInfoResult", null);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            return answer.Body;
        }

        private static JObject Arg(object value, string type)
        {
            var arg = JObject.FromObject(value);
            TeamApiEmulatorTests.AssertValid(arg, type);
            return arg;
        }

        private static JObject NewMembers(params string[] emails) => Arg(new
        {
            new_members = emails.Select(e => new { member_email = e, member_given_name = "Ada", member_surname = "Lovelace", send_welcome_email = true }).ToArray(),
        }, "team.MembersAddV2Arg");

        [Fact]
        public async Task Get_info_reports_the_licenses_by_the_Stone_definition_and_add_v2_refuses_past_them_per_member()
        {
            var c = new TeamApiEmulatorTests.Client(users: 10);
            var team = c.Tenant.Dropbox;
            var before = team.MemberCount;
            team.LicenseLimit = before + 1;

            // A Void argument (the JSON null).
            var info = await Info(c);
            Assert.Equal(before + 1, (int)info["num_licensed_users"]);
            Assert.Equal(before, (int)info["num_used_licenses"]);
            Assert.Equal(team.Members.Count(m => m.Status == DropboxMemberStatus.Invited || m.Status == DropboxMemberStatus.Active), (int)info["num_provisioned_users"]);
            Assert.Equal(team.TeamName, (string)info["name"]);
            Assert.StartsWith("dbtid:", (string)info["team_id"]);

            var added = await c.Ok("team/members/add_v2", NewMembers("one@contoso-teamapi.com", "two@contoso-teamapi.com"));
            var results = (JArray)added["complete"];
            Assert.Equal("success", (string)results[0][".tag"]);
            Assert.Equal("team_license_limit", (string)results[1][".tag"]);
            Assert.Equal("two@contoso-teamapi.com", (string)results[1]["team_license_limit"]);
            Assert.Null(team.FindByEmail("two@contoso-teamapi.com"));

            // A suspended member keeps its license; a removed one frees it.
            var full = await Info(c);
            Assert.Equal(before + 1, (int)full["num_used_licenses"]);
            var one = team.FindByEmail("one@contoso-teamapi.com").TeamMemberId;
            team.RemoveMember(one);
            Assert.Equal(before, (int)(await Info(c))["num_used_licenses"]);

            // Without a limit the sandbox still answers a number, as Dropbox always does.
            team.LicenseLimit = 0;
            Assert.True((long)(await Info(c))["num_licensed_users"] > team.MemberCount);
        }

        [Fact]
        public async Task Get_info_needs_the_team_info_read_scope()
        {
            var c = new TeamApiEmulatorTests.Client(users: 4, scopes: new[] { "members.read", "members.write" });
            var refused = await c.Call("team/get_info", null);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
            Assert.Equal("missing_scope", (string)refused.Body["error"][".tag"]);
            Assert.Equal("team_info.read", (string)refused.Body["error"]["required_scope"]);
        }

        [Fact]
        public async Task Send_welcome_email_takes_a_UserSelectorArg_answers_Void_and_refuses_unknown_and_removed_members()
        {
            var c = new TeamApiEmulatorTests.Client(users: 4);
            var added = await c.Ok("team/members/add_v2", NewMembers("pending@contoso-teamapi.com", "joined@contoso-teamapi.com"));
            var pending = (string)added["complete"][0]["profile"]["team_member_id"];
            var joined = (string)added["complete"][1]["profile"]["team_member_id"];
            Assert.False(string.IsNullOrEmpty((string)added["complete"][0]["profile"]["invited_on"]));
            c.Tenant.Dropbox.AcceptInvitation(joined);

            const string Route = "team/members/send_welcome_email";
            const string Error = "team.MembersSendWelcomeError";
            Assert.Equal(HttpStatusCode.OK, (await Checked(c, Route, Arg(new Dictionary<string, string> { [".tag"] = "team_member_id", ["team_member_id"] = pending }, "team.UserSelectorArg"), null, Error)).Status);
            // No-op for a member who is not pending, as team.stone says.
            Assert.Equal(HttpStatusCode.OK, (await Checked(c, Route, Arg(new Dictionary<string, string> { [".tag"] = "email", ["email"] = "joined@contoso-teamapi.com" }, "team.UserSelectorArg"), null, Error)).Status);
            var unknown = await Checked(c, Route, Arg(new Dictionary<string, string> { [".tag"] = "team_member_id", ["team_member_id"] = "dbmid:none" }, "team.UserSelectorArg"), null, Error);
            Assert.Equal(409, (int)unknown.Status);
            Assert.Equal("user_not_found", (string)unknown.Body["error"][".tag"]);
            c.Tenant.Dropbox.RemoveMember(pending);
            var removed = await Checked(c, Route, Arg(new Dictionary<string, string> { [".tag"] = "team_member_id", ["team_member_id"] = pending }, "team.UserSelectorArg"), null, Error);
            Assert.Equal(409, (int)removed.Status);
            Assert.Equal("user_not_in_team", (string)removed.Body["error"][".tag"]);
        }

        [Fact]
        public async Task Custom_quotas_are_set_read_and_removed_per_user_by_the_Stone_definitions_and_under_2_GB_is_bad_input()
        {
            var c = new TeamApiEmulatorTests.Client(users: 4);
            var added = await c.Ok("team/members/add_v2", NewMembers("quota@contoso-teamapi.com"));
            var id = (string)added["complete"][0]["profile"]["team_member_id"];
            JObject User(string memberId) => JObject.FromObject(new Dictionary<string, string> { [".tag"] = "team_member_id", ["team_member_id"] = memberId });

            var set = await Checked(c, "team/member_space_limits/set_custom_quota",
                Arg(new { users_and_quotas = new[] { new { user = User(id), quota_gb = 30 }, new { user = User("dbmid:none"), quota_gb = 30 } } }, "team.SetCustomQuotaArg"),
                "List(team.CustomQuotaResult)", "team.SetCustomQuotaError");
            Assert.Equal(HttpStatusCode.OK, set.Status);
            Assert.Equal(new[] { "success", "invalid_user" }, set.Body.Select(r => (string)r[".tag"]));
            Assert.NotEmpty(StoneSpec().Validate(JArray.Parse("[{\".tag\":\"bogus\"}]"), "List(team.CustomQuotaResult)")); // the list type is checked item by item
            Assert.Equal(30, (int)set.Body[0]["quota_gb"]);
            Assert.Equal(30, c.Tenant.Dropbox.CustomQuotas[id]);

            var got = await Checked(c, "team/member_space_limits/get_custom_quota", Arg(new { users = new[] { User(id) } }, "team.CustomQuotaUsersArg"), "List(team.CustomQuotaResult)", "team.CustomQuotaError");
            Assert.Equal(30, (int)got.Body[0]["quota_gb"]);

            var removed = await Checked(c, "team/member_space_limits/remove_custom_quota", Arg(new { users = new[] { User(id) } }, "team.CustomQuotaUsersArg"), "List(team.RemoveCustomQuotaResult)", "team.CustomQuotaError");
            Assert.Equal("success", (string)removed.Body[0][".tag"]);
            var none = await Checked(c, "team/member_space_limits/get_custom_quota", Arg(new { users = new[] { User(id) } }, "team.CustomQuotaUsersArg"), "List(team.CustomQuotaResult)", "team.CustomQuotaError");
            Assert.Null(none.Body[0]["quota_gb"]);

            // team.stone: UserQuota = UInt32(min_value=2); the argument is checked before the route runs.
            var small = JObject.FromObject(new { users_and_quotas = new[] { new { user = User(id), quota_gb = 1 } } });
            Assert.NotEmpty(StoneSpec().Validate(small, "team.SetCustomQuotaArg"));
            Assert.Equal(HttpStatusCode.BadRequest, (await c.Call("team/member_space_limits/set_custom_quota", small)).Status);
            var many = new { users = Enumerable.Range(0, 1001).Select(i => User("dbmid:" + i)).ToArray() };
            var tooMany = await Checked(c, "team/member_space_limits/get_custom_quota", many, "List(team.CustomQuotaResult)", "team.CustomQuotaError");
            Assert.Equal(409, (int)tooMany.Status);
            Assert.Equal("too_many_users", (string)tooMany.Body["error"][".tag"]);
        }

        private static DropboxApi.StoneSchema StoneSpec() => TeamLog.StoneSpec.Schema;
    }
}
