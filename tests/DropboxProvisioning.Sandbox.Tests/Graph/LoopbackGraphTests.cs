using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.TestSupport;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Graph
{
    public class LoopbackGraphTests
    {
        [Fact]
        public async Task Token_then_paging_over_a_real_socket_follows_loopback_nextLinks()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 120, Seed = 9 });
            using var server = new LoopbackServer(tenant);
            using var client = new HttpClient { BaseAddress = server.BaseUri };

            var token = await client.PostAsync($"/{SandboxCredentials.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = SandboxCredentials.ClientId,
                ["client_secret"] = SandboxCredentials.ClientSecret,
                ["scope"] = "https://graph.microsoft.com/.default",
            }));
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            var accessToken = (string)JObject.Parse(await token.Content.ReadAsStringAsync())["access_token"];
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);

            var (items, pages, _) = await client.GetAll("/v1.0/users?$top=50&$select=displayName,userPrincipalName");
            Assert.Equal(3, pages);
            Assert.Equal(tenant.Directory.Users.Count, items.Select(i => (string)i["id"]).Distinct().Count());
            // Non-Latin names survive the socket in UTF-8.
            Assert.Contains(items, i => (string)i["displayName"] == "王芳");
        }
    }
}
