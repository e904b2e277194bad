using System.Linq;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Generation;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Graph
{
    public class ConcurrencyTests
    {
        [Fact]
        public async Task Concurrent_listings_and_delta_rounds_survive_concurrent_changes()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 3_000, Seed = 11 });
            var client = GraphTestClient.Create(tenant);
            var ids = tenant.Directory.Users.Select(u => u.Id).ToList();

            var writer = Task.Run(() =>
            {
                for (var i = 0; i < 500; i++)
                    tenant.Directory.UpdateUser(ids[i], u => u.JobTitle = "Title " + i);
            });
            var readers = Enumerable.Range(0, 6).Select(k => Task.Run(async () =>
            {
                var (items, _, _) = k % 2 == 0
                    ? await client.GetAll("/v1.0/users?$top=250")
                    : await client.GetAll("/v1.0/users/delta?$select=jobTitle");
                return items.Count;
            })).ToList();

            await writer;
            foreach (var count in await Task.WhenAll(readers))
                Assert.Equal(ids.Count, count); // no user lost or repeated while others change
        }
    }
}
