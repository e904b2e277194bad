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
            Assert.Equal(directory.Groups.Count, initial.Count);
            var first = directory.Groups.First();
            var firstItem = initial.Single(i => (string)i["id"] == first.Id);
            Assert.Equal(first.MemberIds.OrderBy(x => x), firstItem["members@delta"].Select(m => (string)m["id"]).OrderBy(x => x));

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
        public async Task Latest_token_starts_from_now_and_unknown_tokens_are_410()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 30 });
            var client = GraphTestClient.Create(tenant);
            var latest = await client.GetJson("/v1.0/users/delta?$deltatoken=latest");
            Assert.Empty((JArray)latest["value"]);
            var deltaLink = (string)latest["@odata.deltaLink"];
            tenant.Directory.UpdateUser(tenant.Directory.Users[2].Id, u => u.JobTitle = "Changed");
            var (changes, _) = await Round(client, deltaLink);
            Assert.Single(changes);

            var gone = await client.GetAsync("/v1.0/users/delta?$deltatoken=bm90LWEtdG9rZW4");
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            Assert.Equal("syncStateNotFound", (string)JObject.Parse(await gone.Content.ReadAsStringAsync())["error"]["code"]);

            tenant.Directory.ExpireDeltaTokens();
            Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync(deltaLink)).StatusCode);
        }
    }
}
