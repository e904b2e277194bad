using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.TeamApi
{
    /// <summary>
    /// members/set_admin_permissions (AdminTier) and _v2 (role ids), and group_management_type on groups/create and
    /// groups/update, held to team.stone.
    /// </summary>
    public sealed class TeamApiPermissionsTests
    {
        private static JObject MemberId(string id) => new JObject { [".tag"] = "team_member_id", ["team_member_id"] = id };
        private static JObject GroupId(string id) => new JObject { [".tag"] = "group_id", ["group_id"] = id };

        private static async Task<string> AddMember(TeamApiEmulatorTests.Client c, string email)
        {
            var added = await c.Ok("team/members/add_v2", new JObject { ["new_members"] = new JArray(new JObject { ["member_email"] = email, ["member_given_name"] = "Ada", ["member_surname"] = "Lovelace" }) });
            return (string)added["complete"][0]["profile"]["team_member_id"];
        }

        private static async Task<JToken> Answer(TeamApiEmulatorTests.Client c, string route, JObject argument, string resultType, string errorType, HttpStatusCode status = HttpStatusCode.OK)
        {
            var result = await c.Call(route, argument);
            Assert.True(result.Status == status, route + ": " + (int)result.Status + " " + result.Text);
            if (status == HttpStatusCode.OK) TeamApiEmulatorTests.AssertValid(result.Body, resultType);
            else TeamApiEmulatorTests.AssertValid(result.Body["error"], errorType);
            return status == HttpStatusCode.OK ? result.Body : result.Body["error"];
        }

        [Fact]
        public async Task Roles_are_set_by_AdminTier_or_role_id_and_refused_as_Dropbox_refuses_them()
        {
            var c = new TeamApiEmulatorTests.Client();
            var id = await AddMember(c, "ada@contoso-roles.com");

            var v1 = await Answer(c, "team/members/set_admin_permissions", new JObject { ["user"] = MemberId(id), ["new_role"] = new JObject { [".tag"] = "support_admin" } },
                "team.MembersSetPermissionsResult", "team.MembersSetPermissionsError");
            Assert.Equal("support_admin", (string)v1["role"][".tag"]);
            Assert.Equal("support_admin", c.Tenant.Dropbox.GetMember(id).Role);

            var v2 = await Answer(c, "team/members/set_admin_permissions_v2", new JObject { ["user"] = MemberId(id), ["new_roles"] = new JArray("pid_dbtmr:team_admin") },
                "team.MembersSetPermissions2Result", "team.MembersSetPermissions2Error");
            Assert.Equal("pid_dbtmr:team_admin", (string)v2["roles"][0]["role_id"]);
            var info = await c.Ok("team/members/get_info_v2", new JObject { ["members"] = new JArray(MemberId(id)) });
            Assert.Equal("pid_dbtmr:team_admin", (string)info["members_info"][0]["roles"][0]["role_id"]);

            var plain = await Answer(c, "team/members/set_admin_permissions_v2", new JObject { ["user"] = MemberId(id), ["new_roles"] = new JArray() },
                "team.MembersSetPermissions2Result", "team.MembersSetPermissions2Error");
            Assert.Empty((JArray)plain["roles"]);
            Assert.Equal("member_only", c.Tenant.Dropbox.GetMember(id).Role);

            var unknown = await Answer(c, "team/members/set_admin_permissions_v2", new JObject { ["user"] = MemberId(id), ["new_roles"] = new JArray("pid_dbtmr:9999") },
                null, "team.MembersSetPermissions2Error", (HttpStatusCode)409);
            Assert.Equal("role_not_found", (string)unknown[".tag"]);
            var badTier = await c.Call("team/members/set_admin_permissions", new JObject { ["user"] = MemberId(id), ["new_role"] = new JObject { [".tag"] = "billing_admin" } });
            Assert.Equal(HttpStatusCode.BadRequest, badTier.Status);

            c.Tenant.Dropbox.AcceptInvitation(id);
            c.Tenant.Dropbox.Suspend(id);
            var suspended = await Answer(c, "team/members/set_admin_permissions", new JObject { ["user"] = MemberId(id), ["new_role"] = new JObject { [".tag"] = "team_admin" } },
                null, "team.MembersSetPermissionsError", (HttpStatusCode)409);
            Assert.Equal("cannot_set_permissions", (string)suspended[".tag"]);
        }

        [Fact]
        public async Task Group_management_types_are_created_listed_updated_and_system_managed_is_refused()
        {
            var c = new TeamApiEmulatorTests.Client();
            var created = await Answer(c, "team/groups/create", new JObject { ["group_name"] = "Design", ["group_management_type"] = new JObject { [".tag"] = "user_managed" } },
                "team.GroupFullInfo", "team.GroupCreateError");
            Assert.Equal("user_managed", (string)created["group_management_type"][".tag"]);
            var groupId = (string)created["group_id"];
            var listed = await c.Ok("team/groups/list", new JObject { ["limit"] = 1000 });
            Assert.Equal("user_managed", (string)listed["groups"].Single(g => (string)g["group_id"] == groupId)["group_management_type"][".tag"]);

            var updated = await Answer(c, "team/groups/update", new JObject { ["group"] = GroupId(groupId), ["new_group_management_type"] = new JObject { [".tag"] = "company_managed" } },
                "team.GroupFullInfo", "team.GroupUpdateError");
            Assert.Equal("company_managed", (string)updated["group_management_type"][".tag"]);
            Assert.Equal("company_managed", c.Tenant.Dropbox.Groups.Single(g => g.GroupId == groupId).ManagementType);

            var system = await Answer(c, "team/groups/update", new JObject { ["group"] = GroupId(groupId), ["new_group_management_type"] = new JObject { [".tag"] = "system_managed" } },
                null, "team.GroupUpdateError", (HttpStatusCode)409);
            Assert.Equal("system_managed_group_disallowed", (string)system[".tag"]);
            var unknown = await c.Call("team/groups/create", new JObject { ["group_name"] = "Ops", ["group_management_type"] = new JObject { [".tag"] = "anyone" } });
            Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        }
    }
}
