using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Generation;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Http
{
    /// <summary>
    /// What a sandbox served from its own process adds: the discovery document, the admin's consent over HTTP, the request
    /// counts, the managed identity endpoint as Azure Automation publishes it (its header checked, Graph and Storage tokens),
    /// and a host serving one Dropbox API only.
    /// </summary>
    public class ServedSandboxEndpointTests
    {
        private const string Root = "http://127.0.0.1:8400";

        private static SandboxTenant NewTenant() => TenantGenerator.Generate(new TenantProfile { Users = 20, Seed = 5 });

        private static HttpRequestMessage Identity(string resource, string header, string version = "2019-08-01")
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{Root}/msi/token?resource={Uri.EscapeDataString(resource)}&api-version={version}");
            if (header != null) request.Headers.Add("X-IDENTITY-HEADER", header);
            return request;
        }

        private static JObject Claims(string jwt)
        {
            var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
            part = part.PadRight(part.Length + (4 - part.Length % 4) % 4, '=');
            return JObject.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part)));
        }

        [Fact]
        public async Task The_discovery_document_names_every_endpoint_under_the_address_asked_and_the_sandboxs_test_credentials()
        {
            var tenant = NewTenant();
            tenant.Options.ManagedIdentityHeader = "header-of-this-run";
            var client = new HttpClient(tenant.CreateHandler());
            var body = JObject.Parse(await client.GetStringAsync(Root + "/.well-known/dropbox-provisioning-sandbox"));
            Assert.Equal("DropboxProvisioning", (string)body["sandbox"]);
            Assert.Equal(1, (int)body["version"]);
            Assert.Equal(Root, (string)body["graphEndpoint"]);
            Assert.Equal(Root + "/scim/v2", (string)body["scim"]["tenantUrl"]);
            Assert.Equal(SandboxCredentials.ScimToken, (string)body["scim"]["secretToken"]);
            Assert.Equal(Root, (string)body["teamApi"]["apiRoot"]);
            Assert.Equal(Root + "/msi/token", (string)body["managedIdentity"]["endpoint"]);
            Assert.Equal("header-of-this-run", (string)body["managedIdentity"]["header"]);
            Assert.Equal(SandboxCredentials.ServicePrincipalId, (string)body["servicePrincipalId"]);
            Assert.DoesNotContain("User.ReadWrite.All", body["provisioningApp"]["graphPermissions"].Values<string>());
            Assert.Contains("User.ReadWrite.All", body["administratorApp"]["graphPermissions"].Values<string>());

            var other = JObject.Parse(await client.GetStringAsync("http://127.0.0.1:9999/.well-known/dropbox-provisioning-sandbox"));
            Assert.Equal("http://127.0.0.1:9999/scim/v2", (string)other["scim"]["tenantUrl"]);
        }

        [Fact]
        public async Task A_host_serving_one_API_answers_404_on_the_others_paths_and_says_so_in_discovery()
        {
            var scimOnly = NewTenant();
            scimOnly.Options.ServesTeamApi = false;
            var client = new HttpClient(scimOnly.CreateHandler());
            Assert.Equal(JTokenType.Null, JObject.Parse(await client.GetStringAsync(Root + "/.well-known/dropbox-provisioning-sandbox"))["teamApi"].Type);
            var teamApi = new HttpRequestMessage(HttpMethod.Post, Root + "/2/team/members/list_v2") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(teamApi)).StatusCode);
            var scim = new HttpRequestMessage(HttpMethod.Get, Root + "/scim/v2/Users");
            scim.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxCredentials.ScimToken);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(scim)).StatusCode);

            var teamOnly = NewTenant();
            teamOnly.Options.ServesScim = false;
            var other = new HttpClient(teamOnly.CreateHandler());
            var refused = new HttpRequestMessage(HttpMethod.Get, Root + "/scim/v2/Users");
            refused.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxCredentials.ScimToken);
            Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(refused)).StatusCode);
            Assert.Equal(JTokenType.Null, JObject.Parse(await other.GetStringAsync(Root + "/.well-known/dropbox-provisioning-sandbox"))["scim"].Type);
        }

        [Fact]
        public async Task Consent_over_HTTP_gives_a_code_that_the_token_endpoint_exchanges_only_with_its_verifier()
        {
            var tenant = NewTenant();
            var client = new HttpClient(tenant.CreateHandler());
            var verifier = DropboxAuthorizationServer.Base64Url(RandomNumberGenerator.GetBytes(32));
            var challenge = DropboxAuthorizationServer.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            var consent = await client.PostAsync(Root + "/_sandbox/consent", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = "sbxte4mapi0app", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["scope"] = "members.read members.write",
            }));
            Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
            var code = (string)JObject.Parse(await consent.Content.ReadAsStringAsync())["code"];

            var token = await client.PostAsync(Root + "/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["client_id"] = "sbxte4mapi0app", ["code"] = code, ["code_verifier"] = verifier,
            }));
            var grant = JObject.Parse(await token.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            Assert.Equal("members.read members.write", (string)grant["scope"]);
            Assert.NotNull(grant["refresh_token"]);

            var missing = await client.PostAsync(Root + "/_sandbox/consent", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = "sbxte4mapi0app" }));
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        }

        [Fact]
        public async Task The_request_counts_follow_every_service_and_its_writes()
        {
            var tenant = NewTenant();
            var client = new HttpClient(tenant.CreateHandler());
            var create = new HttpRequestMessage(HttpMethod.Post, Root + "/scim/v2/Users")
            {
                Content = new StringContent(new JObject
                {
                    ["schemas"] = new JArray("urn:ietf:params:scim:schemas:core:2.0:User"),
                    ["userName"] = "counted@contoso.com",
                    ["name"] = new JObject { ["givenName"] = "Counted", ["familyName"] = "Person" },
                    ["emails"] = new JArray(new JObject { ["value"] = "counted@contoso.com", ["type"] = "work", ["primary"] = true }),
                }.ToString(), Encoding.UTF8, "application/scim+json"),
            };
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxCredentials.ScimToken);
            Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(create)).StatusCode);
            var list = new HttpRequestMessage(HttpMethod.Get, Root + "/scim/v2/Users");
            list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxCredentials.ScimToken);
            await client.SendAsync(list);

            var counts = JObject.Parse(await client.GetStringAsync(Root + "/_sandbox/requests"));
            Assert.Equal(2, (int)counts["services"]["scim"]["requests"]);
            Assert.Equal(1, (int)counts["services"]["scim"]["writes"]);
            tenant.Journal.Clear(); // the entries go; the counts do not
            Assert.Equal(2, (int)JObject.Parse(await client.GetStringAsync(Root + "/_sandbox/requests"))["services"]["scim"]["requests"]);
        }

        [Fact]
        public async Task The_managed_identity_endpoint_checks_the_published_header_and_hands_out_Graph_and_Storage_tokens()
        {
            var tenant = NewTenant();
            tenant.Options.ManagedIdentityHeader = "5F0C0FFEE";
            var client = new HttpClient(tenant.CreateHandler());

            var wrong = await client.SendAsync(Identity("https://graph.microsoft.com", "not-it"));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Identity("https://graph.microsoft.com", null))).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Identity("https://graph.microsoft.com", "5F0C0FFEE", "2017-09-01"))).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Identity("https://vault.azure.net", "5F0C0FFEE"))).StatusCode);

            var graph = JObject.Parse(await (await client.SendAsync(Identity("https://graph.microsoft.com", "5F0C0FFEE"))).Content.ReadAsStringAsync());
            Assert.Equal("Bearer", (string)graph["token_type"]);
            Assert.Equal("https://graph.microsoft.com", (string)graph["resource"]);
            Assert.True(long.Parse((string)graph["expires_on"]) > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            Assert.True(tenant.Directory.ValidateAccessToken((string)graph["access_token"]));

            var storageResponse = await client.SendAsync(Identity("https://storage.azure.com/", "5F0C0FFEE"));
            Assert.Equal(HttpStatusCode.OK, storageResponse.StatusCode);
            var storage = JObject.Parse(await storageResponse.Content.ReadAsStringAsync());
            Assert.Equal("https://storage.azure.com/", (string)storage["resource"]);
            var claims = Claims((string)storage["access_token"]);
            Assert.Equal("https://storage.azure.com", (string)claims["aud"]);
            Assert.Equal(SandboxCredentials.TenantId, (string)claims["tid"]);
            Assert.Equal($"https://sts.windows.net/{SandboxCredentials.TenantId}/", (string)claims["iss"]);
            Assert.False(string.IsNullOrEmpty((string)claims["oid"]));

            // A Storage token is not a Graph token.
            var graphCall = new HttpRequestMessage(HttpMethod.Get, Root + "/v1.0/users");
            graphCall.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)storage["access_token"]);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(graphCall)).StatusCode);
        }
    }
}
