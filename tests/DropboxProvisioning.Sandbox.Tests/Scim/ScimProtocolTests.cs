using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.TestSupport;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Scim
{
    /// <summary>What surrounds the resources: the bearer token, rate limits, media types, discovery, and a real socket.</summary>
    public class ScimProtocolTests
    {
        [Theory]
        [InlineData("wrong-token")]
        [InlineData(null)]
        public async Task Bad_or_missing_token_is_401_with_a_scim_error(string token)
        {
            using var scim = new ScimClient(token: token ?? "x");
            if (token == null) scim.Http.DefaultRequestHeaders.Authorization = null;

            var (response, error) = await scim.Get("Users");

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("401", (string)error["status"]);
            Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", (string)error["schemas"][0]);
            Assert.NotEmpty(response.Headers.WwwAuthenticate);
        }

        [Fact]
        public async Task Over_the_rate_limit_is_429_with_Retry_After()
        {
            using var scim = new ScimClient(new SandboxOptions { DropboxRequestsPerSecond = 2 });

            HttpResponseMessage limited = null;
            JObject body = null;
            for (var i = 0; i < 10 && limited == null; i++)
            {
                var (response, b) = await scim.Get("Users");
                if ((int)response.StatusCode == 429) { limited = response; body = b; }
            }

            Assert.NotNull(limited);
            Assert.True(limited.Headers.RetryAfter.Delta.Value.TotalSeconds >= 1);
            Assert.Equal("429", (string)body["status"]);
            Assert.Contains("retry", (string)body["detail"]);
        }

        [Fact]
        public async Task Plain_json_is_accepted_and_other_media_types_are_415()
        {
            using var scim = new ScimClient();
            const string user = "{\"userName\":\"j@contoso.com\",\"name\":{\"givenName\":\"J\",\"familyName\":\"S\"}}";

            Assert.Equal(HttpStatusCode.Created, (await scim.Send("POST", "Users", user, "application/json")).Response.StatusCode);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await scim.Send("POST", "Users", user, "text/plain")).Response.StatusCode);
        }

        [Fact]
        public async Task Discovery_documents_advertise_patch_filter_and_max_results()
        {
            using var scim = new ScimClient();

            var (_, config) = await scim.Get("ServiceProviderConfig");
            Assert.True((bool)config["patch"]["supported"]);
            Assert.True((bool)config["filter"]["supported"]);
            Assert.Equal(1000, (int)config["filter"]["maxResults"]);
            Assert.False((bool)config["bulk"]["supported"]);
            Assert.Equal("oauthbearertoken", (string)config["authenticationSchemes"][0]["type"]);

            var (_, types) = await scim.Get("ResourceTypes");
            Assert.Equal(new[] { "/Users", "/Groups" }, types["Resources"].Select(t => (string)t["endpoint"]));
            var (_, schema) = await scim.Get("Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
            Assert.Contains("userName", schema["attributes"].Select(a => (string)a["name"]));
            Assert.Equal(HttpStatusCode.NotFound, (await scim.Get("Nothing")).Response.StatusCode);
        }

        [Fact]
        public async Task Serves_over_a_loopback_socket()
        {
            var tenant = new SandboxTenant(new DropboxProvisioning.Sandbox.Directory.DirectoryModel(), new DropboxTeam());
            using var server = new LoopbackServer(tenant);
            using var scim = new ScimClient(handler: new HttpClientHandler(), baseUri: server.ScimUrl, tenant: tenant);
            var team = scim.Team;
            var (created, user) = await scim.Send("POST", "Users", "{\"userName\":\"net@contoso.com\",\"name\":{\"givenName\":\"N\",\"familyName\":\"T\"}}");

            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("application/scim+json", created.Content.Headers.ContentType.MediaType);
            Assert.Equal($"{server.ScimUrl}/Users/{user["id"]}", created.Headers.Location.ToString());
            Assert.Equal((string)user["id"], team.FindByEmail("net@contoso.com").TeamMemberId);

            var (found, list) = await scim.Get("Users?filter=" + ScimClient.Query("userName eq \"NET@contoso.com\""));
            Assert.Equal(HttpStatusCode.OK, found.StatusCode);
            Assert.Equal(1, (int)list["totalResults"]);
            Assert.Equal(HttpStatusCode.NoContent, (await scim.Send("DELETE", "Users/" + user["id"])).Response.StatusCode);
        }
    }
}
