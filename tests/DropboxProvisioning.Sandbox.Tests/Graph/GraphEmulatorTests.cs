using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.Generation;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Graph
{
    public class GraphEmulatorTests
    {
        private static SandboxTenant Generated(int users = 60) => TenantGenerator.Generate(new TenantProfile { Users = users, Seed = 7 });

        [Fact]
        public async Task Without_a_token_graph_answers_401_InvalidAuthenticationToken()
        {
            var client = GraphTestClient.Create(Generated(), signIn: false);
            var response = await client.GetAsync("/v1.0/users");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = JObject.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("InvalidAuthenticationToken", (string)body["error"]["code"]);
            Assert.NotNull(body["error"]["innerError"]["request-id"]);

            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "made.up.token");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1.0/users")).StatusCode);
        }

        [Fact]
        public async Task Paging_users_with_top_and_nextLink_returns_every_user_exactly_once()
        {
            var tenant = Generated(1234);
            var client = GraphTestClient.Create(tenant);
            var (items, pages, last) = await client.GetAll("/v1.0/users?$top=100");
            Assert.Equal(13, pages);
            Assert.Null(last["@odata.nextLink"]);
            var ids = items.Select(i => (string)i["id"]).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(tenant.Directory.Users.Select(u => u.Id).OrderBy(x => x), ids.OrderBy(x => x));

            var first = await client.GetJson("/v1.0/users");
            Assert.Equal(100, ((JArray)first["value"]).Count); // default page size
            Assert.StartsWith("https://graph.microsoft.com/v1.0/$metadata#users", (string)first["@odata.context"]);
            Assert.StartsWith("https://graph.microsoft.com/v1.0/users?", (string)first["@odata.nextLink"]);
        }

        [Fact]
        public async Task Select_returns_only_the_selected_properties_and_id()
        {
            var client = GraphTestClient.Create(Generated());
            var page = await client.GetJson("/v1.0/users?$select=displayName,accountEnabled,userType&$top=5");
            foreach (JObject user in (JArray)page["value"])
                Assert.Equal(new[] { "accountEnabled", "displayName", "id", "userType" }, user.Properties().Select(p => p.Name).OrderBy(n => n));

            var defaults = (JObject)(await client.GetJson("/v1.0/users?$top=1"))["value"][0];
            Assert.True(defaults.ContainsKey("userPrincipalName"));
            Assert.False(defaults.ContainsKey("accountEnabled")); // not in Graph's default set

            var bad = await client.GetAsync("/v1.0/users?$select=noSuchProperty");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        [Fact]
        public async Task Top_above_999_is_a_bad_request_and_unknown_ids_are_404()
        {
            var client = GraphTestClient.Create(Generated());
            var response = await client.GetAsync("/v1.0/users?$top=1000");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("Request_BadRequest", (string)JObject.Parse(await response.Content.ReadAsStringAsync())["error"]["code"]);

            response = await client.GetAsync("/v1.0/users/" + Guid.NewGuid());
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("Request_ResourceNotFound", (string)JObject.Parse(await response.Content.ReadAsStringAsync())["error"]["code"]);
        }

        [Fact]
        public async Task Users_can_be_read_by_upn_and_filtered()
        {
            var tenant = Generated();
            var client = GraphTestClient.Create(tenant);
            var someone = tenant.Directory.Users[3];
            var byUpn = await client.GetJson("/v1.0/users/" + Uri.EscapeDataString(someone.UserPrincipalName));
            Assert.Equal(someone.Id, (string)byUpn["id"]);

            var filtered = await client.GetJson("/v1.0/users?$filter=" + Uri.EscapeDataString($"userPrincipalName eq '{someone.UserPrincipalName.ToUpperInvariant()}'"));
            Assert.Equal(someone.Id, (string)filtered["value"].Single()["id"]);

            var disabled = await client.GetAll("/v1.0/users?$filter=accountEnabled eq false&$select=accountEnabled");
            Assert.Equal(tenant.Directory.Users.Count(u => !u.AccountEnabled), disabled.Items.Count);
            Assert.NotEmpty(disabled.Items);
        }

        [Fact]
        public async Task AppRoleAssignedTo_lists_the_assignments_with_their_roles()
        {
            var tenant = Generated();
            var client = GraphTestClient.Create(tenant);
            var sp = await client.GetJson("/v1.0/servicePrincipals/" + SandboxCredentials.ServicePrincipalId);
            Assert.Equal(SandboxCredentials.UserAppRoleId, (string)sp["appRoles"].Single()["id"]);

            var (items, pages, _) = await client.GetAll($"/v1.0/servicePrincipals/{SandboxCredentials.ServicePrincipalId}/appRoleAssignedTo?$top=10");
            Assert.True(pages > 1);
            Assert.Equal(tenant.Directory.Assignments.Count, items.Count);
            var groupAssignment = items.Single(i => (string)i["principalType"] == "Group");
            Assert.Equal(TenantGenerator.DropboxUsersGroupName, (string)groupAssignment["principalDisplayName"]);
            Assert.Contains(items, i => (string)i["appRoleId"] == SandboxCredentials.DefaultAccessAppRoleId);
            foreach (var name in new[] { "id", "principalId", "principalType", "principalDisplayName", "appRoleId", "resourceId", "createdDateTime" })
                Assert.NotNull((string)items[0][name]);
        }

        [Fact]
        public async Task Group_members_carry_their_odata_type_and_page()
        {
            var tenant = Generated();
            var client = GraphTestClient.Create(tenant);
            var group = tenant.Directory.Groups.Single(g => g.DisplayName == TenantGenerator.DropboxUsersGroupName);
            var (items, _, _) = await client.GetAll($"/v1.0/groups/{group.Id}/members?$top=2&$select=id,displayName,userPrincipalName");
            Assert.Equal(group.MemberIds.OrderBy(x => x), items.Select(i => (string)i["id"]).OrderBy(x => x));
            var nested = items.Single(i => (string)i["@odata.type"] == "#microsoft.graph.group");
            Assert.Equal(TenantGenerator.NestedGroupName, (string)nested["displayName"]);
            Assert.All(items.Where(i => (string)i["@odata.type"] == "#microsoft.graph.user"), u => Assert.NotNull((string)u["userPrincipalName"]));

            var transitive = await client.GetAll($"/v1.0/groups/{group.Id}/transitiveMembers");
            Assert.True(transitive.Items.Count >= items.Count);
        }

        [Fact]
        public async Task A_small_rate_limit_answers_429_with_Retry_After_in_graph_format()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 5 }, new SandboxOptions { GraphRequestsPerSecond = 1 });
            var client = GraphTestClient.Create(tenant);
            HttpResponseMessage throttled = null;
            for (var i = 0; i < 5 && throttled == null; i++)
            {
                var response = await client.GetAsync("/v1.0/users");
                if ((int)response.StatusCode == 429) throttled = response;
            }
            Assert.NotNull(throttled);
            Assert.True(throttled.Headers.RetryAfter.Delta.Value.TotalSeconds >= 1);
            Assert.Equal("TooManyRequests", (string)JObject.Parse(await throttled.Content.ReadAsStringAsync())["error"]["code"]);
        }

        [Fact]
        public async Task SendMail_is_accepted_and_recorded()
        {
            var tenant = Generated();
            var client = GraphTestClient.Create(tenant);
            var sender = tenant.Directory.Users[0];
            var message = new JObject
            {
                ["message"] = new JObject
                {
                    ["subject"] = "Provisioning report",
                    ["body"] = new JObject { ["contentType"] = "HTML", ["content"] = "<p>3 created</p>" },
                    ["toRecipients"] = new JArray(new JObject { ["emailAddress"] = new JObject { ["address"] = "admin@contoso.com" } }),
                },
                ["saveToSentItems"] = false,
            };
            var response = await client.PostAsync($"/v1.0/users/{sender.Id}/sendMail", new StringContent(message.ToString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var mail = tenant.Directory.SentMail.Single();
            Assert.Equal("Provisioning report", mail.Subject);
            Assert.Equal(new[] { "admin@contoso.com" }, mail.To);
            Assert.Equal("<p>3 created</p>", mail.Body);
            Assert.Equal(sender.Mail, mail.From);
        }

        [Fact]
        public async Task Soft_deleted_users_leave_listings_and_come_back_on_restore()
        {
            var tenant = Generated();
            var client = GraphTestClient.Create(tenant);
            var user = tenant.Directory.Users[5];
            tenant.Directory.SoftDeleteUser(user.Id);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1.0/users/" + user.Id)).StatusCode);
            var all = await client.GetAll("/v1.0/users?$top=999");
            Assert.DoesNotContain(all.Items, i => (string)i["id"] == user.Id);
            tenant.Directory.RestoreUser(user.Id);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1.0/users/" + user.Id)).StatusCode);
        }

        [Fact]
        public void Model_mutations_with_unknown_ids_throw_ArgumentException()
        {
            var directory = new DirectoryModel();
            Assert.Throws<ArgumentException>(() => directory.UpdateUser("nope", u => { }));
            Assert.Throws<ArgumentException>(() => directory.SoftDeleteUser("nope"));
            Assert.Throws<ArgumentException>(() => directory.AddMember("nope", "nope"));
            Assert.Throws<ArgumentException>(() => directory.Assign("nope", SandboxCredentials.UserAppRoleId));
            Assert.Null(directory.GetUser("nope"));
        }
    }
}
