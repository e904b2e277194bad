using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Scim
{
    /// <summary>GET /Users with filter, paging and attribute selection, as Entra queries before creating.</summary>
    public class ScimUserFilterTests
    {
        private static async Task<List<string>> UserNames(ScimClient scim, string filter)
        {
            var (response, body) = await scim.Get("Users?filter=" + ScimClient.Query(filter));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return body["Resources"].Select(u => (string)u["userName"]).ToList();
        }

        [Fact]
        public async Task UserName_eq_ignores_case_and_id_does_not()
        {
            using var scim = new ScimClient();
            var id = (string)(await scim.CreateUser("Mixed.Case@Contoso.com"))["id"];
            await scim.CreateUser("other@contoso.com");

            Assert.Equal(new[] { "Mixed.Case@Contoso.com" }, await UserNames(scim, "userName eq \"mixed.case@contoso.COM\""));
            Assert.Equal(new[] { "Mixed.Case@Contoso.com" }, await UserNames(scim, "USERNAME EQ \"MIXED.CASE@CONTOSO.COM\""));
            Assert.Single(await UserNames(scim, $"id eq \"{id}\""));
            Assert.Empty(await UserNames(scim, $"id eq \"{id.ToUpperInvariant()}\""));

            var (_, body) = await scim.Get("Users?filter=" + ScimClient.Query("userName eq \"nobody@contoso.com\""));
            Assert.Equal(0, (int)body["totalResults"]);
            Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", (string)body["schemas"][0]);
        }

        [Fact]
        public async Task Quotes_and_or_inside_a_literal_cannot_widen_the_query()
        {
            using var scim = new ScimClient();
            await scim.CreateUser("we\"ird\\name@contoso.com");
            await scim.CreateUser("plain@contoso.com");

            Assert.Equal(new[] { "we\"ird\\name@contoso.com" }, await UserNames(scim, "userName eq \"we\\\"ird\\\\name@contoso.com\""));
            Assert.Empty(await UserNames(scim, "userName eq \"x\\\" or userName pr or userName eq \\\"\""));
            Assert.Empty(await UserNames(scim, "userName eq \"plain@contoso.com or userName pr\""));
        }

        [Theory]
        [InlineData("userName sw \"al\"", "alice@contoso.com")]
        [InlineData("userName ew \"@fabrikam.com\"", "bob@fabrikam.com")]
        [InlineData("userName co \"ROL\"", "carol@contoso.com")]
        [InlineData("userName ne \"alice@contoso.com\" and userName ne \"bob@fabrikam.com\"", "carol@contoso.com")]
        [InlineData("externalId eq \"E-2\"", "bob@fabrikam.com")]
        [InlineData("emails[type eq \"work\"].value eq \"CAROL@contoso.com\"", "carol@contoso.com")]
        [InlineData("emails[type eq \"work\" and value sw \"bob\"]", "bob@fabrikam.com")]
        [InlineData("emails.value eq \"alice@contoso.com\"", "alice@contoso.com")]
        [InlineData("not (userName co \"contoso\")", "bob@fabrikam.com")]
        [InlineData("(userName sw \"a\" or userName sw \"b\") and name.familyName eq \"Second\"", "bob@fabrikam.com")]
        [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"alice@contoso.com\"", "alice@contoso.com")]
        [InlineData("userName gt \"bob@fabrikam.com\"", "carol@contoso.com")]
        [InlineData("externalId pr and active eq true and userName lt \"b\"", "alice@contoso.com")]
        public async Task Filter_operators(string filter, string expected)
        {
            using var scim = new ScimClient();
            await scim.CreateUser("alice@contoso.com", "Alice", "First", "e-1");
            await scim.CreateUser("bob@fabrikam.com", "Bob", "Second", "e-2");
            await scim.CreateUser("carol@contoso.com", "Carol", "Third");

            Assert.Equal(new[] { expected }, await UserNames(scim, filter));
        }

        [Theory]
        [InlineData("userName eq")]
        [InlineData("userName eq alice@contoso.com")]
        [InlineData("userName xx \"a\"")]
        [InlineData("(userName eq \"a\"")]
        [InlineData("userName eq \"unterminated")]
        [InlineData("userName eq \"a\" and")]
        [InlineData("userName eq \"a\" extra")]
        public async Task Malformed_filter_is_400_invalidFilter(string filter)
        {
            using var scim = new ScimClient();
            var (response, error) = await scim.Get("Users?filter=" + ScimClient.Query(filter));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalidFilter", (string)error["scimType"]);
        }

        [Fact]
        public async Task Paging_returns_every_user_exactly_once()
        {
            using var scim = new ScimClient();
            for (var i = 0; i < 250; i++) scim.Team.AddMember($"user{i:D3}@contoso.com", "U", i.ToString());
            scim.Team.RemoveMember(scim.Team.FindByEmail("user007@contoso.com").TeamMemberId);

            var seen = new List<string>();
            for (var start = 1; ; start += 40)
            {
                var (_, page) = await scim.Get($"Users?startIndex={start}&count=40");
                Assert.Equal(249, (int)page["totalResults"]);
                Assert.Equal(start, (int)page["startIndex"]);
                var ids = page["Resources"].Select(u => (string)u["id"]).ToList();
                Assert.Equal(ids.Count, (int)page["itemsPerPage"]);
                if (ids.Count == 0) break;
                seen.AddRange(ids);
            }
            Assert.Equal(249, seen.Count);
            Assert.Equal(scim.Team.Members.Select(m => m.TeamMemberId), seen);

            var (_, capped) = await scim.Get("Users?count=5000");
            Assert.Equal(249, capped["Resources"].Count());
            var (_, none) = await scim.Get("Users?count=0");
            Assert.Empty(none["Resources"]);
            Assert.Equal(249, (int)none["totalResults"]);
        }

        [Fact]
        public async Task Filtered_results_page_too()
        {
            using var scim = new ScimClient();
            for (var i = 0; i < 30; i++) scim.Team.AddMember($"p{i:D2}@{(i % 2 == 0 ? "even" : "odd")}.com", "P", "Q");
            var (_, page) = await scim.Get("Users?filter=" + ScimClient.Query("userName ew \"even.com\"") + "&startIndex=11&count=10");
            Assert.Equal(15, (int)page["totalResults"]);
            Assert.Equal(new[] { "p20@even.com", "p22@even.com", "p24@even.com", "p26@even.com", "p28@even.com" },
                page["Resources"].Select(u => (string)u["userName"]));
        }

        [Fact]
        public async Task Attributes_and_excludedAttributes_select_what_comes_back()
        {
            using var scim = new ScimClient();
            await scim.CreateUser("sel@contoso.com", "Sel", "Ect", "x-1");

            var (_, only) = await scim.Get("Users?attributes=userName,name.givenName");
            var user = (JObject)only["Resources"][0];
            Assert.Equal(new[] { "schemas", "id", "userName", "name" }, user.Properties().Select(p => p.Name));
            Assert.Equal(new[] { "givenName" }, ((JObject)user["name"]).Properties().Select(p => p.Name));

            var (_, without) = await scim.Get("Users?excludedAttributes=emails,meta,id");
            user = (JObject)without["Resources"][0];
            Assert.Null(user["emails"]);
            Assert.Null(user["meta"]);
            Assert.NotNull(user["id"]);
        }
    }
}
