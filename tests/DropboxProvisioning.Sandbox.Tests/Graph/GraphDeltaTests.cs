using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Generation;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Graph
{
    public class GraphDeltaTests
    {
        /// <summary>Runs one delta round from <paramref name="url"/>: every item, and the deltaLink that closes it.</summary>
        private static async Task<(List<JObject> Items, string DeltaLink)> Round(System.Net.Http.HttpClient client, string url)
        {
            var items = new List<JObject>();
            while (true)
            {
                var page = await client.GetJson(url);
                items.AddRange(((JArray)page["value"]).Cast<JObject>());
                if (page["@odata.nextLink"] != null) { Assert.Null(page["@odata.deltaLink"]); url = (string)page["@odata.nextLink"]; continue; }
                return (items, (string)page["@odata.deltaLink"]);
            }
        }

        [Fact]
        public async Task Users_delta_returns_everyone_first_then_exactly_what_changed()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 250, Seed = 3 });
            var directory = tenant.Directory;
            var client = GraphTestClient.Create(tenant);

            var (initial, deltaLink) = await Round(client, "/v1.0/users/delta?$select=displayName,department,accountEnabled");
            Assert.Equal(directory.Users.Count, initial.Count);
            Assert.Equal(initial.Count, initial.Select(i => (string)i["id"]).Distinct().Count());
            Assert.Contains("$deltatoken=", deltaLink);

            var (nothing, deltaLink2) = await Round(client, deltaLink);
            Assert.Empty(nothing);

            var users = directory.Users;
            directory.UpdateUser(users[10].Id, u => u.Department = "Research");
            directory.SoftDeleteUser(users[11].Id);
            directory.HardDeleteUser(users[12].Id);
            var group = directory.Groups.First();
            directory.AddMember(group.Id, users[13].Id); // a group change: not in users/delta

            var (changes, _) = await Round(client, deltaLink2);
            Assert.Equal(3, changes.Count);
            var updated = changes.Single(c => (string)c["id"] == users[10].Id);
            Assert.Equal("Research", (string)updated["department"]);
            Assert.Null(updated["@removed"]);
            Assert.Equal("changed", (string)changes.Single(c => (string)c["id"] == users[11].Id)["@removed"]["reason"]);
            Assert.Equal("deleted", (string)changes.Single(c => (string)c["id"] == users[12].Id)["@removed"]["reason"]);
        }

        [Fact]
        public async Task Groups_delta_carries_members_delta_with_additions_and_removals()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 80, Seed = 4 });
            var directory = tenant.Directory;
            var client = GraphTestClient.Create(tenant);

            var (initial, deltaLink) = await Round(client, "/v1.0/groups/delta?$select=displayName,members");
            // A group with many members comes in several items (delta-query-groups): merged, every group and member is there.
            Assert.Equal(directory.Groups.Count, initial.Select(i => (string)i["id"]).Distinct().Count());
            var first = directory.Groups.First();
            var firstItems = initial.Where(i => (string)i["id"] == first.Id).ToList();
            Assert.Equal(first.MemberIds.OrderBy(x => x), firstItems.SelectMany(i => i["members@delta"]).Select(m => (string)m["id"]).OrderBy(x => x));

            var outsider = directory.Users.First(u => !first.MemberIds.Contains(u.Id));
            var leaver = first.MemberIds.First();
            directory.AddMember(first.Id, outsider.Id);
            directory.RemoveMember(first.Id, leaver);

            var (changes, _) = await Round(client, deltaLink);
            var item = changes.Single();
            Assert.Equal(first.Id, (string)item["id"]);
            var members = (JArray)item["members@delta"];
            Assert.Equal(2, members.Count);
            var added = members.Single(m => (string)m["id"] == outsider.Id);
            Assert.Equal("#microsoft.graph.user", (string)added["@odata.type"]);
            Assert.Null(added["@removed"]);
            Assert.Equal("deleted", (string)members.Single(m => (string)m["id"] == leaver)["@removed"]["reason"]);
        }

        [Fact]
        public async Task Latest_token_starts_from_now_and_unknown_or_expired_tokens_are_400_syncStateNotFound()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 30 });
            var client = GraphTestClient.Create(tenant);
            var latest = await client.GetJson("/v1.0/users/delta?$deltatoken=latest");
            Assert.Empty((JArray)latest["value"]);
            var deltaLink = (string)latest["@odata.deltaLink"];
            tenant.Directory.UpdateUser(tenant.Directory.Users[2].Id, u => u.JobTitle = "Changed");
            var (changes, _) = await Round(client, deltaLink);
            Assert.Single(changes);

            // delta-query-overview, "Token duration": an expired token is a 40X error with the code syncStateNotFound.
            var unknown = await client.GetAsync("/v1.0/users/delta?$deltatoken=bm90LWEtdG9rZW4");
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Equal("syncStateNotFound", (string)JObject.Parse(await unknown.Content.ReadAsStringAsync())["error"]["code"]);

            tenant.Directory.ExpireDeltaTokens();
            var expired = await client.GetAsync(deltaLink);
            Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
            Assert.Equal("syncStateNotFound", (string)JObject.Parse(await expired.Content.ReadAsStringAsync())["error"]["code"]);
        }

        [Fact]
        public async Task A_synchronization_reset_is_410_Gone_with_a_Location_to_start_over()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 20 });
            var client = GraphTestClient.Create(tenant);
            var (_, deltaLink) = await Round(client, "/v1.0/users/delta?$select=displayName");
            tenant.Directory.ResetDeltaSync();
            var gone = await client.GetAsync(deltaLink);
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            var location = gone.Headers.Location.ToString();
            Assert.EndsWith("/v1.0/users/delta?$deltatoken=", location);
            // The Location starts a first round again (an empty $deltatoken, as the initial query).
            var (again, _) = await Round(client, location);
            Assert.Equal(tenant.Directory.Users.Count, again.Count);
        }

        [Fact]
        public async Task A_large_group_comes_in_several_items_with_the_same_properties_and_parts_of_its_members()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 60, Seed = 9 });
            tenant.Options.GraphMembersPerDeltaItem = 3;
            var directory = tenant.Directory;
            var client = GraphTestClient.Create(tenant);
            var large = directory.Groups.OrderByDescending(g => g.MemberIds.Count).First();
            Assert.True(large.MemberIds.Count > 3, "the generated tenant has a group of more than 3 members");

            var (initial, deltaLink) = await Round(client, "/v1.0/groups/delta?$select=displayName,description,members");
            var items = initial.Where(i => (string)i["id"] == large.Id).ToList();
            Assert.Equal((large.MemberIds.Count + 2) / 3, items.Count);
            Assert.All(items, i => Assert.Equal(large.DisplayName, (string)i["displayName"]));
            Assert.All(items, i => Assert.InRange(((JArray)i["members@delta"]).Count, 1, 3));
            var ids = items.SelectMany(i => i["members@delta"]).Select(m => (string)m["id"]).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(large.MemberIds.OrderBy(x => x), ids.OrderBy(x => x));
            // Not one after the other: the group's later parts come after other groups.
            var positions = initial.Select((item, index) => (item, index)).Where(p => (string)p.item["id"] == large.Id).Select(p => p.index).ToList();
            Assert.Contains(initial.Skip(positions[0] + 1).Take(positions[1] - positions[0] - 1), i => (string)i["id"] != large.Id);

            // Incremental rounds split the same way.
            var outsiders = directory.Users.Where(u => !large.MemberIds.Contains(u.Id)).Take(7).ToList();
            foreach (var user in outsiders) directory.AddMember(large.Id, user.Id);
            var (changes, _) = await Round(client, deltaLink);
            var changed = changes.Where(i => (string)i["id"] == large.Id).ToList();
            Assert.Equal(3, changed.Count);
            Assert.Equal(outsiders.Select(u => u.Id).OrderBy(x => x), changed.SelectMany(i => i["members@delta"]).Select(m => (string)m["id"]).OrderBy(x => x));
        }

        [Fact]
        public async Task Updates_are_reported_only_for_properties_in_select()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 30, Seed = 2 });
            var directory = tenant.Directory;
            var client = GraphTestClient.Create(tenant);
            var (_, deltaLink) = await Round(client, "/v1.0/users/delta?$select=displayName,department");
            var users = directory.Users;
            directory.UpdateUser(users[1].Id, u => u.JobTitle = "Not selected");
            directory.UpdateUser(users[2].Id, u => u.Department = "Selected");
            var (changes, deltaLink2) = await Round(client, deltaLink);
            Assert.Equal(new[] { users[2].Id }, changes.Select(c => (string)c["id"]));

            // Groups: a membership change is tracked only when members are selected.
            var (_, groupsLink) = await Round(client, "/v1.0/groups/delta?$select=displayName");
            var group = directory.Groups.First();
            directory.AddMember(group.Id, directory.Users.First(u => !group.MemberIds.Contains(u.Id)).Id);
            var (groupChanges, _) = await Round(client, groupsLink);
            Assert.Empty(groupChanges);
        }

        [Theory]
        [InlineData("/v1.0/users/delta?$top=10")]
        [InlineData("/v1.0/users/delta?$orderby=displayName")]
        [InlineData("/v1.0/users/delta?$expand=manager")]
        [InlineData("/v1.0/users/delta?$filter=startswith(displayName,'A')")]
        [InlineData("/v1.0/groups/delta?$filter=displayName eq 'x'")]
        [InlineData("/v1.0/groups/delta?$search=\"displayName:x\"")]
        public async Task Delta_refuses_the_query_options_it_does_not_support(string url)
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 10 });
            var client = GraphTestClient.Create(tenant);
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("Request_UnsupportedQuery", (string)JObject.Parse(await response.Content.ReadAsStringAsync())["error"]["code"]);
        }

        [Fact]
        public async Task Delta_filters_by_id_and_keeps_the_filter_in_its_links()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 30 });
            var directory = tenant.Directory;
            var client = GraphTestClient.Create(tenant);
            var users = directory.Users;
            var (items, deltaLink) = await Round(client, $"/v1.0/users/delta?$select=displayName&$filter=id eq '{users[3].Id}' or id eq '{users[4].Id}'");
            Assert.Equal(new[] { users[3].Id, users[4].Id }.OrderBy(x => x), items.Select(i => (string)i["id"]).OrderBy(x => x));
            directory.UpdateUser(users[5].Id, u => u.DisplayName = "Outside the filter");
            directory.UpdateUser(users[4].Id, u => u.DisplayName = "Inside the filter");
            var (changes, _) = await Round(client, deltaLink);
            Assert.Equal(new[] { users[4].Id }, changes.Select(c => (string)c["id"]));
        }

        [Fact]
        public async Task Graph_answers_403_Authorization_RequestDenied_without_the_permission()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 10 });
            tenant.Directory.RevokeGraphPermission("Group.Read.All");
            var client = GraphTestClient.Create(tenant);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1.0/users/delta?$select=displayName")).StatusCode);
            var denied = await client.GetAsync("/v1.0/groups/delta?$select=displayName");
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Equal("Authorization_RequestDenied", (string)JObject.Parse(await denied.Content.ReadAsStringAsync())["error"]["code"]);
            tenant.Directory.GrantGraphPermission("Group.Read.All");
            Assert.Equal(HttpStatusCode.OK, (await GraphTestClient.Create(tenant).GetAsync("/v1.0/groups/delta?$select=displayName")).StatusCode);
        }
    }
}
