using System.Net;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;
using Xunit;
using static DropboxProvisioning.Sandbox.Tests.Scim.ScimClient;

namespace DropboxProvisioning.Sandbox.Tests.Scim
{
    /// <summary>PATCH /Users/{id} in the shapes Entra sends them.</summary>
    public class ScimUserPatchTests
    {
        [Fact]
        public async Task Entra_style_capitalised_ops_with_paths()
        {
            using var scim = new ScimClient();
            var id = (string)(await scim.CreateUser("old@contoso.com", "Old", "Name"))["id"];

            var (response, user) = await scim.Send("PATCH", "Users/" + id, Patch(
                Op("Replace", "name.givenName", "New"),
                Op("Replace", "name.familyName", "Surname"),
                Op("Add", "externalId", "ext-9"),
                Op("Replace", "emails[type eq \"work\"].value", "new@contoso.com")));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("new@contoso.com", (string)user["userName"]);
            Assert.Equal("new@contoso.com", (string)user["emails"][0]["value"]);
            Assert.Equal("New Surname", (string)user["displayName"]);
            var member = scim.Team.GetMember(id);
            Assert.Equal(("new@contoso.com", "New", "Surname", "ext-9"), (member.Email, member.GivenName, member.Surname, member.ExternalId));
            Assert.Equal(id, scim.Team.FindByEmail("NEW@contoso.com").TeamMemberId);
            Assert.Null(scim.Team.FindByEmail("old@contoso.com"));
        }

        [Fact]
        public async Task Pathless_value_object_with_plain_and_path_keys()
        {
            using var scim = new ScimClient();
            var id = (string)(await scim.CreateUser("pl@contoso.com"))["id"];
            scim.Team.AcceptInvitation(id);

            var (response, user) = await scim.Send("PATCH", "Users/" + id, Patch(
                Op("Replace", null, new JObject
                {
                    ["active"] = "False",
                    ["displayName"] = "Pat L.",
                    ["name.familyName"] = "Lee",
                    ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"] = "Research",
                })));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False((bool)user["active"]);
            Assert.Equal("Pat L.", (string)user["displayName"]);
            Assert.Equal("Lee", (string)user["name"]["familyName"]);
            Assert.Equal("Research", (string)user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"]);
            Assert.Contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", user["schemas"].Values<string>());
            Assert.Equal(DropboxMemberStatus.Suspended, scim.Team.GetMember(id).Status);
        }

        [Fact]
        public async Task Extension_attributes_round_trip_from_create_to_get()
        {
            using var scim = new ScimClient();
            const string enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
            var (_, created) = await scim.Send("POST", "Users", new JObject
            {
                ["schemas"] = new JArray("urn:ietf:params:scim:schemas:core:2.0:User", enterprise),
                ["userName"] = "ext@contoso.com",
                ["title"] = "Engineer",
                ["name"] = new JObject { ["givenName"] = "E", ["familyName"] = "X" },
                [enterprise] = new JObject { ["department"] = "Sales", ["employeeNumber"] = "42" },
            });
            var id = (string)created["id"];

            await scim.Send("PATCH", "Users/" + id, Patch(Op("Replace", enterprise + ":department", "Marketing"), Op("Remove", enterprise + ":employeeNumber", null)));

            var (_, user) = await scim.Get("Users/" + id);
            Assert.Equal("Engineer", (string)user["title"]);
            Assert.Equal(new JObject { ["department"] = "Marketing" }, user[enterprise]);
        }

        [Fact]
        public async Task Removing_familyName_is_refused_and_nothing_changes()
        {
            using var scim = new ScimClient();
            var id = (string)(await scim.CreateUser("keep@contoso.com", "Keep", "Me"))["id"];

            var (response, error) = await scim.Send("PATCH", "Users/" + id, Patch(
                Op("Replace", "name.givenName", "Changed"), Op("Remove", "name.familyName", null)));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalidValue", (string)error["scimType"]);
            Assert.Contains("familyName", (string)error["detail"]);
            Assert.Equal("Keep", scim.Team.GetMember(id).GivenName);
        }

        [Theory]
        [InlineData("{\"Operations\":[{\"op\":\"Frobnicate\",\"path\":\"active\",\"value\":false}]}", "invalidSyntax")]
        [InlineData("{\"Operations\":[]}", "invalidSyntax")]
        [InlineData("{\"Operations\":[{\"op\":\"Remove\"}]}", "noTarget")]
        [InlineData("{\"Operations\":[{\"op\":\"Replace\",\"path\":\"emails[type eq \\\"work\\\"\",\"value\":\"x@y.com\"}]}", "invalidPath")]
        [InlineData("{\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"maybe\"}]}", "invalidValue")]
        [InlineData("{\"Operations\":[{\"op\":\"Replace\",\"path\":\"userName\",\"value\":\"nope\"}]}", "invalidValue")]
        [InlineData("{\"Operations\":[{\"op\":\"Replace\",\"path\":\"id\",\"value\":\"dbmid:x\"}]}", "mutability")]
        [InlineData("not json", "invalidSyntax")]
        public async Task Bad_patches_are_400_with_the_right_scimType(string body, string scimType)
        {
            using var scim = new ScimClient();
            var id = (string)(await scim.CreateUser("bad@contoso.com"))["id"];

            var (response, error) = await scim.Send("PATCH", "Users/" + id, body);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(scimType, (string)error["scimType"]);
            Assert.Equal("bad@contoso.com", scim.Team.GetMember(id).Email);
        }

        [Fact]
        public async Task Patch_to_an_email_already_taken_is_409()
        {
            using var scim = new ScimClient();
            await scim.CreateUser("taken@contoso.com");
            var id = (string)(await scim.CreateUser("mine@contoso.com"))["id"];

            var (response, error) = await scim.Send("PATCH", "Users/" + id, Patch(Op("replace", "userName", "Taken@contoso.com")));

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("uniqueness", (string)error["scimType"]);
        }

        [Fact]
        public async Task Version_moves_only_when_something_changes()
        {
            using var scim = new ScimClient();
            var created = await scim.CreateUser("ver@contoso.com", "Ve", "R");
            var id = (string)created["id"];

            var (same, unchanged) = await scim.Send("PATCH", "Users/" + id, Patch(Op("Replace", "name.givenName", "Ve")));
            var (_, changed) = await scim.Send("PATCH", "Users/" + id, Patch(Op("Replace", "name.givenName", "Vee")));

            Assert.Equal((string)created["meta"]["version"], (string)unchanged["meta"]["version"]);
            Assert.Equal((string)unchanged["meta"]["version"], same.Headers.ETag.ToString());
            Assert.NotEqual((string)created["meta"]["version"], (string)changed["meta"]["version"]);
        }
    }
}
