using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Sandbox.Tests.Graph;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.Sandbox.Tests.Generation
{
    public class TenantGeneratorTests
    {
        private readonly ITestOutputHelper _output;
        public TenantGeneratorTests(ITestOutputHelper output) { _output = output; }

        private static string Fingerprint(SandboxTenant tenant) =>
            string.Join("\n", tenant.Directory.Users.Select(u => $"{u.Id}|{u.UserPrincipalName}|{u.DisplayName}|{u.AccountEnabled}|{u.ManagerId}"))
            + string.Join("\n", tenant.Directory.Groups.Select(g => g.Id + ":" + string.Join(",", g.MemberIds.OrderBy(x => x))))
            + string.Join("\n", tenant.Directory.Assignments.Select(a => $"{a.Id}|{a.PrincipalId}|{a.AppRoleId}|{a.CreatedDateTime:O}"));

        [Fact]
        public void Same_seed_gives_the_same_tenant_and_another_seed_a_different_one()
        {
            var a = TenantGenerator.Generate(new TenantProfile { Users = 200, Seed = 42 });
            var b = TenantGenerator.Generate(new TenantProfile { Users = 200, Seed = 42 });
            var c = TenantGenerator.Generate(new TenantProfile { Users = 200, Seed = 43 });
            Assert.Equal(Fingerprint(a), Fingerprint(b));
            Assert.NotEqual(Fingerprint(a), Fingerprint(c));
        }

        [Fact]
        public void Default_tenant_has_every_kind_of_user_the_engine_must_handle()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile());
            var directory = tenant.Directory;
            var users = directory.Users;
            Assert.Equal(50, users.Count);

            var guests = users.Where(u => u.UserType == "Guest").ToList();
            Assert.NotEmpty(guests);
            Assert.All(guests, g => Assert.Matches(@"^[^@]+_[a-z.]+#EXT#@contoso\.onmicrosoft\.com$", g.UserPrincipalName));
            Assert.Contains(users, u => !u.AccountEnabled);
            Assert.Equal(2, users.Count(u => u.Surname == null));
            Assert.Contains(users, u => u.DisplayName == "José Núñez");
            Assert.Contains(users, u => u.DisplayName == "王芳");
            Assert.Contains(users, u => u.GivenName == "Дмитрий");
            Assert.Contains(users, u => u.GivenName == "محمد");
            Assert.Contains(users, u => u.ManagerId != null);

            var assignments = directory.Assignments;
            var userRole = assignments.Where(a => a.AppRoleId == SandboxCredentials.UserAppRoleId).ToList();
            var defaultOnly = users.Where(u => assignments.Where(a => a.PrincipalId == u.Id).Select(a => a.AppRoleId).DefaultIfEmpty().All(r => r == SandboxCredentials.DefaultAccessAppRoleId)
                                            && assignments.Any(a => a.PrincipalId == u.Id)).ToList();
            Assert.NotEmpty(defaultOnly);
            var assignedGroup = directory.Groups.Single(g => g.DisplayName == TenantGenerator.DropboxUsersGroupName);
            Assert.Contains(userRole, a => a.PrincipalId == assignedGroup.Id && a.PrincipalType == "Group");
            var groupOnly = assignedGroup.MemberIds.Where(id => directory.GetUser(id) != null && assignments.All(a => a.PrincipalId != id)).ToList();
            Assert.NotEmpty(groupOnly);
            var unassigned = users.Where(u => assignments.All(a => a.PrincipalId != u.Id) && !assignedGroup.MemberIds.Contains(u.Id)).ToList();
            Assert.NotEmpty(unassigned);

            var nested = directory.Groups.Single(g => g.DisplayName == TenantGenerator.NestedGroupName);
            Assert.Contains(nested.Id, assignedGroup.MemberIds);
            Assert.True(directory.Groups.Count >= 10);

            var dropbox = tenant.Dropbox.Members;
            Assert.Equal(3, dropbox.Count);
            var adopted = directory.GetUser(dropbox[0].Email);
            Assert.NotNull(adopted);
            Assert.Contains(assignments, a => a.PrincipalId == adopted.Id && a.AppRoleId == SandboxCredentials.UserAppRoleId);
            Assert.All(dropbox.Skip(1), m => Assert.EndsWith("@partner.example", m.Email));
        }

        [Fact]
        public async Task Hundred_thousand_users_generate_and_list_in_full()
        {
            // Speed is the benchmark's business (bench/); this checks that a 100k tenant is whole and pages cleanly.
            var watch = Stopwatch.StartNew();
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 100_000, Seed = 5 });
            _output.WriteLine($"generation: {watch.Elapsed.TotalMilliseconds:F0} ms");

            var client = GraphTestClient.Create(tenant);
            watch.Restart();
            var (items, pages, _) = await client.GetAll("/v1.0/users?$top=999&$select=id,userPrincipalName,displayName,accountEnabled");
            _output.WriteLine($"listing: {watch.Elapsed.TotalMilliseconds:F0} ms, {pages} pages");
            Assert.Equal(100_000, items.Count);
            Assert.Equal(100_000, items.Select(i => (string)i["id"]).Distinct().Count());
            Assert.Equal(101, pages);

            watch.Restart();
            var deep = await client.GetJson("/v1.0/users?$top=999");
            for (var i = 0; i < 50; i++) deep = await client.GetJson((string)deep["@odata.nextLink"]);
            _output.WriteLine($"51 default pages: {watch.Elapsed.TotalMilliseconds:F0} ms");
        }
    }
}
