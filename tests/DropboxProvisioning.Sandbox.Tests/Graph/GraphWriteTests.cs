using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Generation;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Graph
{
    /// <summary>
    /// The Graph writes an admin makes in Entra, as Graph v1.0 documents them: their answers, the permission each needs
    /// (an application token without it is refused 403 Authorization_RequestDenied, as Graph does), Graph's error bodies,
    /// and what delta queries then see.
    /// </summary>
    public class GraphWriteTests
    {
        private static SandboxTenant NewTenant() => TenantGenerator.Generate(new TenantProfile { Users = 60, Seed = 11 });

        /// <summary>Signed in as the administrator app, through the sandbox's own token endpoint (client credentials).</summary>
        private static async Task<HttpClient> Administrator(SandboxTenant tenant)
        {
            var client = new HttpClient(tenant.CreateHandler()) { BaseAddress = new Uri(GraphTestClient.Host) };
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = SandboxCredentials.AdministratorClientId,
                ["client_secret"] = SandboxCredentials.AdministratorClientSecret,
                ["scope"] = "https://graph.microsoft.com/.default",
            });
            var token = await client.PostAsync("https://login.microsoftonline.com/" + SandboxCredentials.TenantId + "/oauth2/v2.0/token", form);
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            var access = (string)JObject.Parse(await token.Content.ReadAsStringAsync())["access_token"];
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
            return client;
        }

        private static Task<HttpResponseMessage> Send(HttpClient client, string method, string url, JObject body = null)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (body != null) request.Content = new StringContent(body.ToString(), Encoding.UTF8, "application/json");
            return client.SendAsync(request);
        }

        private static async Task AssertGraphError(HttpResponseMessage response, HttpStatusCode status, string code)
        {
            Assert.Equal(status, response.StatusCode);
            var error = JObject.Parse(await response.Content.ReadAsStringAsync())["error"];
            Assert.Equal(code, (string)error["code"]);
            Assert.False(string.IsNullOrEmpty((string)error["message"]));
            Assert.NotNull(error["innerError"]["request-id"]);
        }

        private static async Task<(List<JObject> Items, string DeltaLink)> Round(HttpClient client, string url)
        {
            var items = new List<JObject>();
            while (true)
            {
                var page = await client.GetJson(url);
                items.AddRange(((JArray)page["value"]).Cast<JObject>());
                if (page["@odata.nextLink"] != null) { url = (string)page["@odata.nextLink"]; continue; }
                return (items, (string)page["@odata.deltaLink"]);
            }
        }

        private static string DirectlyAssignedUser(SandboxTenant tenant) =>
            tenant.Directory.Assignments.First(a => a.PrincipalType == "User" && a.AppRoleId == SandboxCredentials.UserAppRoleId).PrincipalId;

        [Fact]
        public async Task PATCH_a_user_answers_204_changes_it_and_users_delta_reports_the_change()
        {
            var tenant = NewTenant();
            var admin = await Administrator(tenant);
            var (_, deltaLink) = await Round(admin, "/v1.0/users/delta?$select=displayName,surname,accountEnabled,department");
            var user = tenant.Directory.Users.First(u => u.AccountEnabled);

            var response = await Send(admin, "PATCH", "/v1.0/users/" + user.Id,
                new JObject { ["accountEnabled"] = false, ["surname"] = "Renamed", ["displayName"] = "Someone Renamed", ["department"] = "Legal" });
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());

            var stored = tenant.Directory.GetUser(user.Id);
            Assert.False(stored.AccountEnabled);
            Assert.Equal("Renamed", stored.Surname);
            Assert.Equal("Someone Renamed", stored.DisplayName);
            Assert.Equal("Legal", stored.Department);
            Assert.Equal(user.GivenName, stored.GivenName); // what the body leaves out stays

            var read = await admin.GetJson("/v1.0/users/" + user.Id + "?$select=surname,accountEnabled");
            Assert.Equal("Renamed", (string)read["surname"]);
            Assert.False((bool)read["accountEnabled"]);

            var (changes, _) = await Round(admin, deltaLink);
            var changed = Assert.Single(changes);
            Assert.Equal(user.Id, (string)changed["id"]);
            Assert.Equal("Renamed", (string)changed["surname"]);
            Assert.False((bool)changed["accountEnabled"]);
        }

        [Fact]
        public async Task PATCH_by_userPrincipalName_and_clearing_a_property_with_null_work_as_in_Graph()
        {
            var tenant = NewTenant();
            var admin = await Administrator(tenant);
            var user = tenant.Directory.Users.First(u => u.Department != null);
            var response = await Send(admin, "PATCH", "/v1.0/users/" + Uri.EscapeDataString(user.UserPrincipalName), new JObject { ["department"] = null });
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Null(tenant.Directory.GetUser(user.Id).Department);
        }

        [Fact]
        public async Task PATCH_with_the_provisioning_apps_read_only_token_is_refused_403_and_changes_nothing()
        {
            var tenant = NewTenant();
            var reader = GraphTestClient.Create(tenant); // User.Read.All, Group.Read.All, Application.Read.All: no write permission
            var user = tenant.Directory.Users.First();
            var response = await Send(reader, "PATCH", "/v1.0/users/" + user.Id, new JObject { ["surname"] = "Nope" });
            await AssertGraphError(response, HttpStatusCode.Forbidden, "Authorization_RequestDenied");
            Assert.Equal(user.Surname, tenant.Directory.GetUser(user.Id).Surname);
        }

        [Fact]
        public async Task PATCH_refuses_what_Graph_refuses_with_its_error_body()
        {
            var tenant = NewTenant();
            var admin = await Administrator(tenant);
            var user = tenant.Directory.Users.First();
            var before = tenant.Directory.ChangeSequence;
            await AssertGraphError(await Send(admin, "PATCH", "/v1.0/users/" + user.Id, new JObject { ["favouriteColour"] = "blue" }), HttpStatusCode.BadRequest, "Request_BadRequest");
            await AssertGraphError(await Send(admin, "PATCH", "/v1.0/users/" + user.Id, new JObject { ["id"] = Guid.NewGuid().ToString() }), HttpStatusCode.BadRequest, "Request_BadRequest");
            await AssertGraphError(await Send(admin, "PATCH", "/v1.0/users/" + user.Id, new JObject { ["accountEnabled"] = "no" }), HttpStatusCode.BadRequest, "Request_BadRequest");
            await AssertGraphError(await Send(admin, "PATCH", "/v1.0/users/" + user.Id, new JObject { ["displayName"] = "" }), HttpStatusCode.BadRequest, "Request_BadRequest");
            // The whole body is refused when one property is wrong: the good one is not applied either.
            await AssertGraphError(await Send(admin, "PATCH", "/v1.0/users/" + user.Id, new JObject { ["surname"] = "Half", ["accountEnabled"] = 1 }), HttpStatusCode.BadRequest, "Request_BadRequest");
            await AssertGraphError(await Send(admin, "PATCH", "/v1.0/users/" + Guid.NewGuid(), new JObject { ["surname"] = "X" }), HttpStatusCode.NotFound, "Request_ResourceNotFound");
            var empty = new HttpRequestMessage(new HttpMethod("PATCH"), "/v1.0/users/" + user.Id);
            await AssertGraphError(await admin.SendAsync(empty), HttpStatusCode.BadRequest, "BadRequest");
            Assert.Equal(before, tenant.Directory.ChangeSequence);
            Assert.Equal(user.Surname, tenant.Directory.GetUser(user.Id).Surname);
        }

        [Fact]
        public async Task POST_appRoleAssignedTo_answers_201_with_the_assignment_and_the_listing_holds_it()
        {
            var tenant = NewTenant();
            var admin = await Administrator(tenant);
            var assigned = new HashSet<string>(tenant.Directory.Assignments.Select(a => a.PrincipalId), StringComparer.OrdinalIgnoreCase);
            var user = tenant.Directory.Users.First(u => !assigned.Contains(u.Id));
            var sp = SandboxCredentials.ServicePrincipalId;

            var response = await Send(admin, "POST", $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo",
                new JObject { ["principalId"] = user.Id, ["resourceId"] = sp, ["appRoleId"] = SandboxCredentials.UserAppRoleId });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var body = JObject.Parse(await response.Content.ReadAsStringAsync());
            Assert.EndsWith($"/v1.0/$metadata#servicePrincipals('{sp}')/appRoleAssignedTo/$entity", (string)body["@odata.context"]);
            Assert.Equal(user.Id, (string)body["principalId"]);
            Assert.Equal("User", (string)body["principalType"]);
            Assert.Equal(user.DisplayName, (string)body["principalDisplayName"]);
            Assert.Equal(sp, (string)body["resourceId"]);
            Assert.Equal(SandboxCredentials.UserAppRoleId, (string)body["appRoleId"]);
            Assert.False(string.IsNullOrEmpty((string)body["id"]));
            Assert.NotNull(body["createdDateTime"]);

            var (listing, _, _) = await admin.GetAll($"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo?$top=999");
            Assert.Contains(listing, a => (string)a["id"] == (string)body["id"] && (string)a["principalId"] == user.Id);

            // The same role again is refused as Graph refuses it.
            await AssertGraphError(await Send(admin, "POST", $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo",
                new JObject { ["principalId"] = user.Id, ["resourceId"] = sp, ["appRoleId"] = SandboxCredentials.UserAppRoleId }), HttpStatusCode.BadRequest, "Request_BadRequest");
        }

        [Fact]
        public async Task POST_appRoleAssignedTo_refuses_a_role_the_app_lacks_another_resource_and_a_missing_principal()
        {
            var tenant = NewTenant();
            var admin = await Administrator(tenant);
            var sp = SandboxCredentials.ServicePrincipalId;
            var user = tenant.Directory.Users.First();
            var count = tenant.Directory.Assignments.Count;
            await AssertGraphError(await Send(admin, "POST", $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo",
                new JObject { ["principalId"] = user.Id, ["resourceId"] = sp, ["appRoleId"] = Guid.NewGuid().ToString() }), HttpStatusCode.BadRequest, "Request_BadRequest");
            await AssertGraphError(await Send(admin, "POST", $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo",
                new JObject { ["principalId"] = user.Id, ["resourceId"] = Guid.NewGuid().ToString(), ["appRoleId"] = SandboxCredentials.UserAppRoleId }), HttpStatusCode.BadRequest, "Request_BadRequest");
            await AssertGraphError(await Send(admin, "POST", $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo",
                new JObject { ["principalId"] = Guid.NewGuid().ToString(), ["resourceId"] = sp, ["appRoleId"] = SandboxCredentials.UserAppRoleId }), HttpStatusCode.NotFound, "Request_ResourceNotFound");
            await AssertGraphError(await Send(admin, "POST", $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo",
                new JObject { ["resourceId"] = sp, ["appRoleId"] = SandboxCredentials.UserAppRoleId }), HttpStatusCode.BadRequest, "Request_BadRequest");
            await AssertGraphError(await Send(admin, "POST", $"/v1.0/servicePrincipals/{Guid.NewGuid()}/appRoleAssignedTo",
                new JObject { ["principalId"] = user.Id, ["resourceId"] = sp, ["appRoleId"] = SandboxCredentials.UserAppRoleId }), HttpStatusCode.NotFound, "Request_ResourceNotFound");
            Assert.Equal(count, tenant.Directory.Assignments.Count);
        }

        [Fact]
        public async Task DELETE_appRoleAssignedTo_answers_204_the_listing_drops_it_and_users_delta_does_not_report_it()
        {
            var tenant = NewTenant();
            var admin = await Administrator(tenant);
            var sp = SandboxCredentials.ServicePrincipalId;
            var (_, deltaLink) = await Round(admin, "/v1.0/users/delta?$select=displayName,accountEnabled");
            var assignment = tenant.Directory.Assignments.First(a => a.PrincipalType == "User");

            var response = await Send(admin, "DELETE", $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo/{assignment.Id}");
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            var (listing, _, _) = await admin.GetAll($"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo?$top=999");
            Assert.DoesNotContain(listing, a => (string)a["id"] == assignment.Id);
            Assert.Equal(tenant.Directory.Assignments.Count, listing.Count);

            // An assignment is not a property of the user: users/delta does not carry it, in Entra as here.
            var (changes, _) = await Round(admin, deltaLink);
            Assert.Empty(changes);

            await AssertGraphError(await Send(admin, "DELETE", $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo/{assignment.Id}"), HttpStatusCode.NotFound, "Request_ResourceNotFound");
        }

        [Fact]
        public async Task Assignment_writes_with_the_provisioning_apps_token_are_refused_403_and_change_nothing()
        {
            var tenant = NewTenant();
            var reader = GraphTestClient.Create(tenant);
            var sp = SandboxCredentials.ServicePrincipalId;
            var assignment = tenant.Directory.Assignments.First();
            var user = tenant.Directory.Users.First();
            var count = tenant.Directory.Assignments.Count;
            await AssertGraphError(await Send(reader, "DELETE", $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo/{assignment.Id}"), HttpStatusCode.Forbidden, "Authorization_RequestDenied");
            await AssertGraphError(await Send(reader, "POST", $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo",
                new JObject { ["principalId"] = user.Id, ["resourceId"] = sp, ["appRoleId"] = SandboxCredentials.DefaultAccessAppRoleId }), HttpStatusCode.Forbidden, "Authorization_RequestDenied");
            Assert.Equal(count, tenant.Directory.Assignments.Count);
            Assert.NotNull(tenant.Directory.GetAssignment(assignment.Id));

            // The permission granted to the provisioning app (admin consent), a new token carries it and the write goes through.
            tenant.Directory.GrantGraphPermission("AppRoleAssignment.ReadWrite.All");
            var granted = GraphTestClient.Create(tenant);
            Assert.Equal(HttpStatusCode.NoContent, (await Send(granted, "DELETE", $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo/{assignment.Id}")).StatusCode);
        }

        [Fact]
        public async Task Members_ref_POST_and_DELETE_answer_204_and_groups_delta_carries_them_in_members_delta()
        {
            var tenant = NewTenant();
            var admin = await Administrator(tenant);
            var group = tenant.Directory.Groups.First();
            var outsider = tenant.Directory.Users.First(u => !group.MemberIds.Contains(u.Id));
            var (_, deltaLink) = await Round(admin, "/v1.0/groups/delta?$select=displayName,members");

            var add = await Send(admin, "POST", $"/v1.0/groups/{group.Id}/members/$ref",
                new JObject { ["@odata.id"] = "https://graph.microsoft.com/v1.0/directoryObjects/" + outsider.Id });
            Assert.Equal(HttpStatusCode.NoContent, add.StatusCode);
            Assert.Contains(outsider.Id, tenant.Directory.GetGroup(group.Id).MemberIds);
            var (members, _, _) = await admin.GetAll($"/v1.0/groups/{group.Id}/members?$select=id");
            Assert.Contains(members, m => (string)m["id"] == outsider.Id);

            var (added, deltaLink2) = await Round(admin, deltaLink);
            var item = Assert.Single(added);
            Assert.Equal(group.Id, (string)item["id"]);
            var entry = Assert.Single((JArray)item["members@delta"]);
            Assert.Equal(outsider.Id, (string)entry["id"]);
            Assert.Null(entry["@removed"]);

            await AssertGraphError(await Send(admin, "POST", $"/v1.0/groups/{group.Id}/members/$ref",
                new JObject { ["@odata.id"] = "https://graph.microsoft.com/v1.0/directoryObjects/" + outsider.Id }), HttpStatusCode.BadRequest, "Request_BadRequest");

            var remove = await Send(admin, "DELETE", $"/v1.0/groups/{group.Id}/members/{outsider.Id}/$ref");
            Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);
            Assert.DoesNotContain(outsider.Id, tenant.Directory.GetGroup(group.Id).MemberIds);
            var (removed, _) = await Round(admin, deltaLink2);
            var removal = Assert.Single((JArray)Assert.Single(removed)["members@delta"]);
            Assert.Equal(outsider.Id, (string)removal["id"]);
            Assert.Equal("deleted", (string)removal["@removed"]["reason"]);

            await AssertGraphError(await Send(admin, "DELETE", $"/v1.0/groups/{group.Id}/members/{outsider.Id}/$ref"), HttpStatusCode.NotFound, "Request_ResourceNotFound");
        }

        [Fact]
        public async Task Members_ref_refuses_a_bad_reference_a_missing_object_and_the_provisioning_apps_token()
        {
            var tenant = NewTenant();
            var admin = await Administrator(tenant);
            var reader = GraphTestClient.Create(tenant);
            var group = tenant.Directory.Groups.First();
            var outsider = tenant.Directory.Users.First(u => !group.MemberIds.Contains(u.Id));
            var member = group.MemberIds.First();
            var before = tenant.Directory.ChangeSequence;

            await AssertGraphError(await Send(admin, "POST", $"/v1.0/groups/{group.Id}/members/$ref", new JObject { ["@odata.id"] = "not a url" }), HttpStatusCode.BadRequest, "Request_BadRequest");
            await AssertGraphError(await Send(admin, "POST", $"/v1.0/groups/{group.Id}/members/$ref", new JObject { ["id"] = outsider.Id }), HttpStatusCode.BadRequest, "Request_BadRequest");
            await AssertGraphError(await Send(admin, "POST", $"/v1.0/groups/{group.Id}/members/$ref",
                new JObject { ["@odata.id"] = "https://graph.microsoft.com/v1.0/directoryObjects/" + Guid.NewGuid() }), HttpStatusCode.NotFound, "Request_ResourceNotFound");
            await AssertGraphError(await Send(admin, "POST", $"/v1.0/groups/{Guid.NewGuid()}/members/$ref",
                new JObject { ["@odata.id"] = "https://graph.microsoft.com/v1.0/directoryObjects/" + outsider.Id }), HttpStatusCode.NotFound, "Request_ResourceNotFound");
            await AssertGraphError(await Send(reader, "POST", $"/v1.0/groups/{group.Id}/members/$ref",
                new JObject { ["@odata.id"] = "https://graph.microsoft.com/v1.0/directoryObjects/" + outsider.Id }), HttpStatusCode.Forbidden, "Authorization_RequestDenied");
            await AssertGraphError(await Send(reader, "DELETE", $"/v1.0/groups/{group.Id}/members/{member}/$ref"), HttpStatusCode.Forbidden, "Authorization_RequestDenied");

            Assert.Equal(before, tenant.Directory.ChangeSequence);
            Assert.Contains(member, tenant.Directory.GetGroup(group.Id).MemberIds);
            Assert.DoesNotContain(outsider.Id, tenant.Directory.GetGroup(group.Id).MemberIds);
        }

        [Fact]
        public async Task The_administrator_app_needs_its_own_secret()
        {
            var tenant = NewTenant();
            var client = new HttpClient(tenant.CreateHandler());
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = SandboxCredentials.AdministratorClientId,
                ["client_secret"] = SandboxCredentials.ClientSecret, // the provisioning app's
                ["scope"] = "https://graph.microsoft.com/.default",
            });
            var response = await client.PostAsync("https://login.microsoftonline.com/" + SandboxCredentials.TenantId + "/oauth2/v2.0/token", form);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("invalid_client", (string)JObject.Parse(await response.Content.ReadAsStringAsync())["error"]);
        }
    }
}
