using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Xunit;
using static DropboxProvisioning.Sandbox.Tests.Scim.ScimClient;

namespace DropboxProvisioning.Sandbox.Tests.Scim
{
    /// <summary>/Groups as Entra drives it: look up by displayName without members, create, PATCH members (204), rename, delete.</summary>
    public class ScimGroupTests
    {
        [Fact]
        public async Task Create_find_patch_rename_and_delete()
        {
            using var scim = new ScimClient();
            var a = (string)(await scim.CreateUser("a@contoso.com", "A", "One"))["id"];
            var b = (string)(await scim.CreateUser("b@contoso.com", "B", "Two"))["id"];
            var c = (string)(await scim.CreateUser("c@contoso.com", "C", "Three"))["id"];

            var created = await scim.CreateGroup("Engineering", a);
            var id = (string)created["id"];
            Assert.StartsWith("g:", id);
            Assert.Equal("A One", (string)created["members"][0]["display"]);
            Assert.Equal("https://www.dropbox.com/scim/v2/Users/" + a, (string)created["members"][0]["$ref"]);

            var (_, found) = await scim.Get("Groups?filter=" + Query("displayName eq \"engineering\"") + "&excludedAttributes=members");
            Assert.Equal(1, (int)found["totalResults"]);
            Assert.Equal(id, (string)found["Resources"][0]["id"]);
            Assert.Null(found["Resources"][0]["members"]);

            var (added, addBody) = await scim.Send("PATCH", "Groups/" + id, Patch(
                Op("Add", "members", new JArray(new JObject { ["value"] = b }, new JObject { ["value"] = c }))));
            Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
            Assert.Null(addBody);
            Assert.Equal(new[] { a, b, c }.OrderBy(x => x), scim.Team.GetGroup(id).MemberIds.OrderBy(x => x));

            var (removed, _) = await scim.Send("PATCH", "Groups/" + id, Patch(Op("Remove", $"members[value eq \"{a}\"]", null)));
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
            await scim.Send("PATCH", "Groups/" + id, Patch(Op("Remove", "members", new JArray(new JObject { ["value"] = b }))));
            Assert.Equal(new[] { c }, scim.Team.GetGroup(id).MemberIds);

            var (renamed, _) = await scim.Send("PATCH", "Groups/" + id, Patch(Op("Replace", "displayName", "Platform")));
            Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);
            await scim.Send("PATCH", "Groups/" + id, Patch(Op("Replace", null, new JObject { ["externalId"] = "grp-7" })));
            var group = scim.Team.GetGroup(id);
            Assert.Equal(("Platform", "grp-7"), (group.GroupName, group.GroupExternalId));
            var (_, byExternalId) = await scim.Get("Groups?filter=" + Query("externalId eq \"grp-7\""));
            Assert.Equal("Platform", (string)byExternalId["Resources"][0]["displayName"]);

            Assert.Equal(HttpStatusCode.NoContent, (await scim.Send("DELETE", "Groups/" + id)).Response.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await scim.Get("Groups/" + id)).Response.StatusCode);
            Assert.Empty(scim.Team.Groups);
        }

        [Fact]
        public async Task Duplicate_name_is_409_and_unknown_member_is_400()
        {
            using var scim = new ScimClient();
            var id = (string)(await scim.CreateGroup("Sales"))["id"];

            var (dup, dupError) = await scim.Send("POST", "Groups", new JObject { ["displayName"] = "SALES" });
            Assert.Equal(HttpStatusCode.Conflict, dup.StatusCode);
            Assert.Equal("uniqueness", (string)dupError["scimType"]);

            var (bad, badError) = await scim.Send("PATCH", "Groups/" + id, Patch(Op("Add", "members", new JArray(new JObject { ["value"] = "dbmid:ghost" }))));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("invalidValue", (string)badError["scimType"]);
            Assert.Contains("dbmid:ghost", (string)badError["detail"]);

            var (badCreate, _) = await scim.Send("POST", "Groups", new JObject { ["displayName"] = "Ghosts", ["members"] = new JArray(new JObject { ["value"] = "dbmid:ghost" }) });
            Assert.Equal(HttpStatusCode.BadRequest, badCreate.StatusCode);
            Assert.Single(scim.Team.Groups);
        }

        [Fact]
        public async Task Removed_member_leaves_its_groups()
        {
            using var scim = new ScimClient();
            var a = (string)(await scim.CreateUser("leaver@contoso.com"))["id"];
            var id = (string)(await scim.CreateGroup("Team", a))["id"];

            await scim.Send("DELETE", "Users/" + a);

            var (_, group) = await scim.Get("Groups/" + id);
            Assert.Empty(group["members"]);
        }

        [Fact]
        public async Task Put_replaces_name_and_members()
        {
            using var scim = new ScimClient();
            var a = (string)(await scim.CreateUser("pa@contoso.com"))["id"];
            var b = (string)(await scim.CreateUser("pb@contoso.com"))["id"];
            var id = (string)(await scim.CreateGroup("Before", a))["id"];

            var (response, group) = await scim.Send("PUT", "Groups/" + id, new JObject
            {
                ["schemas"] = new JArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
                ["displayName"] = "After",
                ["members"] = new JArray(new JObject { ["value"] = b }),
            });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("After", (string)group["displayName"]);
            Assert.Equal(new[] { b }, group["members"].Select(m => (string)m["value"]));
        }
    }
}
