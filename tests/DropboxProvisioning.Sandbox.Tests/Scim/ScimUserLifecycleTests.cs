using System.Linq;
using System.Net;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;
using Xunit;
using static DropboxProvisioning.Sandbox.Tests.Scim.ScimClient;

namespace DropboxProvisioning.Sandbox.Tests.Scim
{
    /// <summary>Create, read, replace, suspend and delete users, with Dropbox's rules on each step.</summary>
    public class ScimUserLifecycleTests
    {
        [Fact]
        public async Task Created_user_is_invited_yet_active_and_located()
        {
            using var scim = new ScimClient();
            var (response, user) = await scim.Send("POST", "Users", new JObject
            {
                ["schemas"] = new JArray("urn:ietf:params:scim:schemas:core:2.0:User"),
                ["userName"] = "Ada.Lovelace@contoso.com",
                ["externalId"] = "ada-1",
                ["name"] = new JObject { ["givenName"] = "Ada", ["familyName"] = "Lovelace" },
            });

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal("application/scim+json", response.Content.Headers.ContentType.MediaType);
            var id = (string)user["id"];
            Assert.StartsWith("dbmid:", id);
            Assert.True((bool)user["active"]);
            Assert.Equal("https://www.dropbox.com/scim/v2/Users/" + id, response.Headers.Location.ToString());
            Assert.Equal("Ada Lovelace", (string)user["displayName"]);
            Assert.Equal("work", (string)user["emails"][0]["type"]);
            Assert.Equal("User", (string)user["meta"]["resourceType"]);

            var member = scim.Team.GetMember(id);
            Assert.Equal(DropboxMemberStatus.Invited, member.Status);
            Assert.Equal("ada-1", member.ExternalId);
            Assert.NotNull(member.InvitedOn);

            var (get, fetched) = await scim.Get("Users/" + id);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("Ada.Lovelace@contoso.com", (string)fetched["userName"]);
        }

        [Fact]
        public async Task Duplicate_userName_or_externalId_is_409_uniqueness()
        {
            using var scim = new ScimClient();
            await scim.CreateUser("grace@contoso.com", externalId: "g-1");

            var (byName, error) = await scim.Send("POST", "Users", new JObject
            {
                ["userName"] = "GRACE@contoso.com", ["name"] = new JObject { ["givenName"] = "G", ["familyName"] = "H" },
            });
            Assert.Equal(HttpStatusCode.Conflict, byName.StatusCode);
            Assert.Equal("uniqueness", (string)error["scimType"]);
            Assert.Equal("409", (string)error["status"]);
            Assert.Contains("urn:ietf:params:scim:api:messages:2.0:Error", error["schemas"].Values<string>());

            var (byExternalId, _) = await scim.Send("POST", "Users", new JObject
            {
                ["userName"] = "other@contoso.com", ["externalId"] = "G-1", ["name"] = new JObject { ["givenName"] = "G", ["familyName"] = "H" },
            });
            Assert.Equal(HttpStatusCode.Conflict, byExternalId.StatusCode);
            Assert.Single(scim.Team.Members);
        }

        [Theory]
        [InlineData("{\"userName\":\"a@contoso.com\",\"name\":{\"givenName\":\"A\"}}", "familyName")]
        [InlineData("{\"userName\":\"a@contoso.com\",\"name\":{\"familyName\":\"B\"}}", "givenName")]
        [InlineData("{\"userName\":\"not-an-email\",\"name\":{\"givenName\":\"A\",\"familyName\":\"B\"}}", "e-mail")]
        [InlineData("{\"name\":{\"givenName\":\"A\",\"familyName\":\"B\"}}", "userName")]
        public async Task Dropbox_rejects_users_it_cannot_represent(string body, string named)
        {
            using var scim = new ScimClient();
            var (response, error) = await scim.Send("POST", "Users", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalidValue", (string)error["scimType"]);
            Assert.Contains(named, (string)error["detail"]);
            Assert.Empty(scim.Team.Members);
        }

        [Fact]
        public async Task Active_member_is_suspended_and_unsuspended()
        {
            using var scim = new ScimClient();
            var id = (string)(await scim.CreateUser("joan@contoso.com"))["id"];
            scim.Team.AcceptInvitation(id);

            var (off, suspended) = await scim.Send("PATCH", "Users/" + id, Patch(Op("Replace", "active", false)));
            Assert.Equal(HttpStatusCode.OK, off.StatusCode);
            Assert.False((bool)suspended["active"]);
            Assert.Equal(DropboxMemberStatus.Suspended, scim.Team.GetMember(id).Status);

            var (on, back) = await scim.Send("PATCH", "Users/" + id, Patch(Op("Replace", "active", true)));
            Assert.Equal(HttpStatusCode.OK, on.StatusCode);
            Assert.True((bool)back["active"]);
            Assert.Equal(DropboxMemberStatus.Active, scim.Team.GetMember(id).Status);
        }

        [Fact]
        public async Task Suspending_an_invited_member_deletes_it()
        {
            using var scim = new ScimClient();
            var id = (string)(await scim.CreateUser("kay@contoso.com"))["id"];

            var (response, body) = await scim.Send("PATCH", "Users/" + id, Patch(Op("Replace", "active", "False")));

            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Null(body);
            Assert.Equal(HttpStatusCode.NotFound, (await scim.Get("Users/" + id)).Response.StatusCode);
            Assert.Equal(DropboxMemberStatus.Removed, scim.Team.GetMember(id).Status);
            Assert.Null(scim.Team.FindByEmail("kay@contoso.com"));
            // The address is free again: Entra can provision the person afresh.
            await scim.CreateUser("kay@contoso.com");
        }

        [Fact]
        public async Task Put_replaces_the_profile_and_can_suspend()
        {
            using var scim = new ScimClient();
            var id = (string)(await scim.CreateUser("lin@contoso.com"))["id"];
            scim.Team.AcceptInvitation(id);

            var (response, user) = await scim.Send("PUT", "Users/" + id, new JObject
            {
                ["schemas"] = new JArray("urn:ietf:params:scim:schemas:core:2.0:User"),
                ["userName"] = "lin.new@contoso.com",
                ["active"] = false,
                ["name"] = new JObject { ["givenName"] = "Lin", ["familyName"] = "Wu" },
            });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("lin.new@contoso.com", (string)user["userName"]);
            Assert.False((bool)user["active"]);
            var member = scim.Team.GetMember(id);
            Assert.Equal(("lin.new@contoso.com", "Wu", DropboxMemberStatus.Suspended), (member.Email, member.Surname, member.Status));
        }

        [Fact]
        public async Task Delete_removes_the_member_and_unknown_ids_are_404()
        {
            using var scim = new ScimClient();
            var id = (string)(await scim.CreateUser("max@contoso.com"))["id"];

            Assert.Equal(HttpStatusCode.NoContent, (await scim.Send("DELETE", "Users/" + id)).Response.StatusCode);
            Assert.Empty(scim.Team.Members);
            Assert.Equal(HttpStatusCode.NotFound, (await scim.Send("DELETE", "Users/" + id)).Response.StatusCode);
            var (missing, error) = await scim.Get("Users/dbmid:nope");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("404", (string)error["status"]);
            Assert.Equal(HttpStatusCode.NotFound, (await scim.Send("PATCH", "Users/dbmid:nope", Patch(Op("replace", "active", false)))).Response.StatusCode);
        }

        [Fact]
        public async Task License_limit_refuses_new_members_with_a_clear_detail()
        {
            using var scim = new ScimClient();
            scim.Team.LicenseLimit = 1;
            await scim.CreateUser("one@contoso.com");

            var (response, error) = await scim.Send("POST", "Users", new JObject
            {
                ["userName"] = "two@contoso.com", ["name"] = new JObject { ["givenName"] = "T", ["familyName"] = "W" },
            });

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("license", (string)error["detail"]);
        }

        [Fact]
        public async Task Scim_view_and_team_members_agree()
        {
            using var scim = new ScimClient();
            scim.Team.AddMember("seeded@contoso.com", "Seed", "Ed", DropboxMemberStatus.Active, "s-1");
            await scim.CreateUser("new@contoso.com", "New", "Comer", "n-1");
            var suspended = scim.Team.AddMember("gone@contoso.com", "Gone", "Away", DropboxMemberStatus.Active);
            scim.Team.Suspend(suspended.TeamMemberId);

            var (_, list) = await scim.Get("Users");
            var viaScim = list["Resources"].Select(u => ((string)u["id"], (string)u["userName"], (string)u["externalId"], (bool)u["active"])).ToList();
            var viaTeam = scim.Team.Members.Select(m => (m.TeamMemberId, m.Email, m.ExternalId, m.Status != DropboxMemberStatus.Suspended)).ToList();
            Assert.Equal(viaTeam, viaScim);
            Assert.Equal(3, (int)list["totalResults"]);
        }
    }
}
