using System.Linq;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Scim
{
    /// <summary>The sandbox's SCIM paging limits and the broken paging of other SCIM servers, on demand.</summary>
    public sealed class ScimListingFaultTests
    {
        private static async Task<ScimClient> TeamOf(int members, SandboxOptions options)
        {
            var scim = new ScimClient(options);
            for (var i = 0; i < members; i++) await scim.CreateUser($"user{i}@contoso.com", "User", "Number" + i);
            return scim;
        }

        private static string[] Ids(JObject page) => ((JArray)page["Resources"]).Select(r => (string)r["id"]).ToArray();

        [Fact]
        public async Task ScimMaxResults_caps_a_page_below_count_and_keeps_totalResults_true()
        {
            using var scim = await TeamOf(10, new SandboxOptions { ScimMaxResults = 4 });
            var (_, page) = await scim.Get("Users?startIndex=5&count=1000");
            Assert.Equal(10, (int)page["totalResults"]);
            Assert.Equal(5, (int)page["startIndex"]);
            Assert.Equal(4, (int)page["itemsPerPage"]);
            Assert.Equal(4, Ids(page).Length);
        }

        [Fact]
        public async Task RepeatsFirstPage_answers_the_first_page_whatever_startIndex_and_echoes_it()
        {
            using var scim = await TeamOf(10, new SandboxOptions { ScimMaxResults = 4, ScimListingFault = ScimListingFault.RepeatsFirstPage });
            var (_, first) = await scim.Get("Users?startIndex=1&count=4");
            var (_, second) = await scim.Get("Users?startIndex=5&count=4");
            Assert.Equal(Ids(first), Ids(second));
            Assert.Equal(5, (int)second["startIndex"]);
        }

        [Fact]
        public async Task IgnoresStartIndex_answers_the_first_page_and_says_so()
        {
            using var scim = await TeamOf(10, new SandboxOptions { ScimListingFault = ScimListingFault.IgnoresStartIndex, ScimMaxResults = 4 });
            var (_, second) = await scim.Get("Users?startIndex=5&count=4");
            Assert.Equal(1, (int)second["startIndex"]);
        }

        [Fact]
        public async Task TotalIsPageSize_reports_the_page_size_as_the_total()
        {
            using var scim = await TeamOf(10, new SandboxOptions { ScimListingFault = ScimListingFault.TotalIsPageSize, ScimMaxResults = 4 });
            var (_, page) = await scim.Get("Users?startIndex=1&count=1000");
            Assert.Equal(4, (int)page["totalResults"]);
            var (_, filtered) = await scim.Get("Users/" + Ids(page)[0]);
            Assert.Equal(Ids(page)[0], (string)filtered["id"]);
        }
    }
}
