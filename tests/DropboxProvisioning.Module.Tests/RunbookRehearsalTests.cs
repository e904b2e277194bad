using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.Module.Tests
{
    /// <summary>
    /// Rehearsing a runbook on one machine (issue 14): examples/Runbook.ps1 runs as Automation jobs run, each in a fresh pwsh
    /// that imports the packaged module by name, with the managed identity's IDENTITY_ENDPOINT and IDENTITY_HEADER in its
    /// environment, against one sandbox served by `dbxhost sandbox` in its own process, the state in a blob container on
    /// Azurite reached as a cloud job reaches Azure Storage: over https (SSL_CERT_FILE trusts the fixture's certificate in
    /// the child) with the identity's Storage token, which Azurite's `--oauth basic` checks (iss, aud, nbf, exp); the
    /// runbook has no key to fall back on. Job 1 stops at a deadline part-way, job 2 finishes the cycle; between jobs 2 and 3
    /// the directory changes as an admin changes Entra, through Graph over HTTP.
    ///
    /// Why job 1 stops part-way on any machine, with no sleep: its deadline is 15 s after the cycle starts, and the cycle
    /// cannot finish sooner than 21 s, since the module paces itself to MaxRequestsPerSecond (25 by default, Dropbox's own
    /// limit) and there are some 530 creates; load only makes it slower. Reading the tenant (a few Graph pages, one SCIM page,
    /// in a fresh process that compiles all of it first) takes 1 s on an idle machine and has been seen at 8 s on a loaded
    /// one, so the deadline leaves writes to job 1 unless reading takes longer than 15 s. The uninterrupted cycle runs beside
    /// job 2, not job 1, so as not to slow job 1's reading.
    /// </summary>
    public sealed class RunbookRehearsalTests
    {
        private static readonly string Runbook = Path.Combine(ModuleFiles.RepositoryRoot, "examples", "Runbook.ps1");
        private const int Users = 600;
        private static readonly double DeadlineMinutes = 15.0 / 60;
        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public RunbookRehearsalTests(Xunit.Abstractions.ITestOutputHelper output) { _output = output; }

        /// <summary>One job: a fresh pwsh running the runbook; its summary object.</summary>
        private static JsonObject RunJob(ServedSandboxHost host, Azurite azurite, string container, string name, double deadlineMinutes = 150)
        {
            var environment = new Dictionary<string, string>
            {
                // The module as Automation imports it: by name, from the module folder (the Gallery package's layout).
                ["PSModulePath"] = Path.GetDirectoryName(Path.GetDirectoryName(ModuleFiles.PackageFolder)),
                ["IDENTITY_ENDPOINT"] = host.IdentityEndpoint,
                ["IDENTITY_HEADER"] = host.IdentityHeader,
            };
            foreach (var pair in azurite.TrustEnvironment) environment[pair.Key] = pair.Value;
            var run = FreshPwsh.Run(ModuleFiles.Script("Invoke-Runbook.ps1"),
                new[] { "-Runbook", Runbook, "-SandboxUri", host.Root.ToString().TrimEnd('/'), "-StateLocation", container, "-DeadlineMinutes", deadlineMinutes.ToString("R", CultureInfo.InvariantCulture) },
                environment, TimeSpan.FromMinutes(6));
            Assert.True(run.ExitCode == 0, name + " failed:\n" + run.Describe() + "\n--- host\n" + host.Output);
            Assert.StartsWith(ModuleFiles.PackageFolder, run.Value("module"));
            return JsonNode.Parse(run.Value("summary")).AsObject();
        }

        private static int Count(JsonObject summary, string name) => summary[name].GetValue<int>();

        private static Dictionary<string, JsonObject> ByUserName(IEnumerable<JsonObject> users) =>
            users.ToDictionary(u => ServedSandboxHost.Text(u["userName"]), StringComparer.OrdinalIgnoreCase);

        private static async Task<List<JsonObject>> GetAll(HttpClient graph, string url)
        {
            var items = new List<JsonObject>();
            while (url != null)
            {
                var response = await graph.GetAsync(url);
                var page = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                Assert.True(response.IsSuccessStatusCode, url + ": " + page);
                items.AddRange(page["value"].AsArray().Select(i => i.AsObject()));
                url = ServedSandboxHost.Text(page["@odata.nextLink"]);
            }
            return items;
        }

        private static async Task Write(HttpClient graph, HttpMethod method, string url, string json, HttpStatusCode expected)
        {
            var request = new HttpRequestMessage(method, url);
            if (json != null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            var response = await graph.SendAsync(request);
            Assert.True(response.StatusCode == expected, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        /// <summary>What the team's accounts hold that a cycle decides, by userName: to compare two teams account by account.</summary>
        private static string Shape(JsonObject account) => string.Join("|",
            ServedSandboxHost.Text(account["externalId"]), account["active"].GetValue<bool>(),
            ServedSandboxHost.Text(account["name"]?["givenName"]), ServedSandboxHost.Text(account["name"]?["familyName"]));

        [Fact]
        public async Task The_runbook_as_four_jobs_on_blob_state_stops_at_its_deadline_resumes_without_repeating_a_write_then_suspends_and_updates_exactly_what_changed_then_writes_nothing()
        {
            var azurite = Azurite.SharedOAuth;
            // Invited members join at the start of each cycle, so that the leavers of job 3 are suspended (Dropbox deletes an invited one).
            using var host = ServedSandboxHost.Start(users: Users, seed: 1, acceptInvitations: 1);
            // The measure: the same tenant (same seed) served again, where one job runs the initial cycle without a deadline.
            // It runs beside job 2 (its own tenant, its own container), so it costs little time of its own.
            using var uninterrupted = ServedSandboxHost.Start(users: Users, seed: 1, acceptInvitations: 1);
            var state = azurite.NewContainer("rehearsal");

            // Job 1: the initial cycle, stopped by its deadline part-way.
            var first = RunJob(host, azurite, state, "job 1", DeadlineMinutes);
            var firstText = "job 1: " + first.ToJsonString();
            Assert.Equal("Initial", ServedSandboxHost.Text(first["Mode"]));
            Assert.True(ServedSandboxHost.Text(first["Status"]) == "Partial", firstText);
            Assert.True(Count(first, "RemainingChanges") > 0, firstText);
            Assert.True(Count(first, "Created") > 0, firstText);
            Assert.Equal(0, Count(first, "Failed"));
            Assert.Equal(1, Count(first, "Part"));
            // The state is in the container, under the prefix, and nothing was written beside it (the job's machine is thrown away).
            var blobs = azurite.Container(state).GetBlobs().Select(b => b.Name).ToList();
            Assert.Contains("rehearsal/state.json", blobs);
            Assert.All(blobs, b => Assert.StartsWith("rehearsal/", b));

            // Job 2: a plain next job continues the initial cycle and finishes it.
            var whole = Task.Run(() => RunJob(uninterrupted, azurite, azurite.NewContainer(), "the uninterrupted cycle"));
            var second = RunJob(host, azurite, state, "job 2");
            var secondText = "job 2: " + second.ToJsonString();
            Assert.Equal("Initial", ServedSandboxHost.Text(second["Mode"]));
            Assert.True(ServedSandboxHost.Text(second["Status"]) == "Succeeded", secondText);
            Assert.Equal(0, Count(second, "RemainingChanges"));
            Assert.Equal(2, Count(second, "Part"));
            Assert.Equal(ServedSandboxHost.Text(first["CycleId"]), ServedSandboxHost.Text(second["ResumedFrom"]));
            Assert.Equal(0, Count(second, "Failed"));

            // Against the uninterrupted cycle: the same creates and adoptions, the same Dropbox writes exactly (none repeated),
            // at most 1.02x its Dropbox requests, and the same team, account by account.
            var baseline = await whole;
            var baselineText = "uninterrupted: " + baseline.ToJsonString();
            Assert.True(ServedSandboxHost.Text(baseline["Status"]) == "Succeeded", baselineText);
            Assert.True(Count(first, "Created") + Count(second, "Created") == Count(baseline, "Created"), firstText + "\n" + secondText + "\n" + baselineText);
            Assert.Equal(Count(baseline, "Adopted"), Count(first, "Adopted") + Count(second, "Adopted"));
            var parts = await host.CountAsync("scim");
            var once = await uninterrupted.CountAsync("scim");
            Assert.True(parts.Writes == once.Writes, $"Dropbox writes: jobs 1 and 2 {parts.Writes}, one cycle {once.Writes}");
            Assert.True(parts.Requests <= 1.02 * once.Requests, $"Dropbox requests: jobs 1 and 2 {parts.Requests}, one cycle {once.Requests} (at most 1.02x)");
            _output.WriteLine($"job 1: {Count(first, "Created")} created, {Count(first, "RemainingChanges")} left at its deadline; job 2: {Count(second, "Created")} created; "
                + $"Dropbox requests (writes): jobs 1 and 2 {parts.Requests} ({parts.Writes}), one uninterrupted cycle {once.Requests} ({once.Writes}), {(double)parts.Requests / once.Requests:0.000}x");
            var afterFirst = await host.ScimUsersAsync();
            var accounts = ByUserName(afterFirst);
            Assert.Equal(afterFirst.Length, accounts.Count); // no two accounts with one userName
            Assert.Equal(afterFirst.Length, afterFirst.Select(a => ServedSandboxHost.Text(a["externalId"]) ?? ServedSandboxHost.Text(a["id"])).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            var intended = (await uninterrupted.ScimUsersAsync()).ToDictionary(a => ServedSandboxHost.Text(a["userName"]), Shape, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(intended.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase), accounts.Select(p => new KeyValuePair<string, string>(p.Key, Shape(p.Value))).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase));
            Assert.Equal(0, uninterrupted.Stop());

            // The admin changes Entra through Graph: one user unassigned, one disabled, one renamed.
            var graph = await host.AdministratorAsync();
            var sp = ServedSandboxHost.Text(host.Discovery["servicePrincipalId"]);
            var users = await GetAll(graph, "/v1.0/users?$select=id,userPrincipalName,accountEnabled,surname&$top=999");
            var assignments = await GetAll(graph, $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo?$top=999");
            var throughGroups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var group in assignments.Where(a => ServedSandboxHost.Text(a["principalType"]) == "Group"))
                foreach (var member in await GetAll(graph, $"/v1.0/groups/{ServedSandboxHost.Text(group["principalId"])}/members?$select=id&$top=999"))
                    throughGroups.Add(ServedSandboxHost.Text(member["id"]));
            bool Provisioned(JsonObject user) =>
                accounts.TryGetValue(ServedSandboxHost.Text(user["userPrincipalName"]), out var account) && account["active"].GetValue<bool>();
            var directlyAssigned = assignments.Where(a => ServedSandboxHost.Text(a["principalType"]) == "User" && ServedSandboxHost.Text(a["appRoleId"]) != "00000000-0000-0000-0000-000000000000")
                .Select(a => ServedSandboxHost.Text(a["principalId"])).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var provisioned = users.Where(Provisioned).ToList();
            var leaver = provisioned.First(u => directlyAssigned.Contains(ServedSandboxHost.Text(u["id"])) && !throughGroups.Contains(ServedSandboxHost.Text(u["id"])));
            var disabled = provisioned.First(u => u != leaver);
            var renamed = provisioned.First(u => u != leaver && u != disabled);

            foreach (var assignment in assignments.Where(a => string.Equals(ServedSandboxHost.Text(a["principalId"]), ServedSandboxHost.Text(leaver["id"]), StringComparison.OrdinalIgnoreCase)))
                await Write(graph, HttpMethod.Delete, $"/v1.0/servicePrincipals/{sp}/appRoleAssignedTo/{ServedSandboxHost.Text(assignment["id"])}", null, HttpStatusCode.NoContent);
            await Write(graph, HttpMethod.Patch, "/v1.0/users/" + ServedSandboxHost.Text(disabled["id"]), "{\"accountEnabled\":false}", HttpStatusCode.NoContent);
            await Write(graph, HttpMethod.Patch, "/v1.0/users/" + ServedSandboxHost.Text(renamed["id"]), "{\"surname\":\"Rehearsal\"}", HttpStatusCode.NoContent);

            // Job 3: suspends the two and updates the one, nothing else.
            var scimBefore = await host.CountAsync("scim");
            var third = RunJob(host, azurite, state, "job 3");
            var thirdText = "job 3: " + third.ToJsonString();
            Assert.Equal("Incremental", ServedSandboxHost.Text(third["Mode"]));
            Assert.Equal("Succeeded", ServedSandboxHost.Text(third["Status"]));
            Assert.Equal(0, Count(third, "Created"));
            Assert.True(Count(third, "Suspended") == 2, thirdText);
            Assert.Equal(1, Count(third, "Updated"));
            Assert.Equal(0, Count(third, "Deleted"));
            Assert.Equal(0, Count(third, "Failed"));
            Assert.True((await host.CountAsync("scim")).Writes - scimBefore.Writes >= 3);

            // The team holds exactly the intended accounts: the same ones, no duplicate, the three changed as Entra was.
            var afterThird = ByUserName(await host.ScimUsersAsync());
            Assert.Equal(accounts.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase), afterThird.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase));
            Assert.Equal(afterFirst.Length, afterThird.Count);
            var changed = new[] { leaver, disabled, renamed }.Select(u => ServedSandboxHost.Text(u["userPrincipalName"])).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.False(afterThird[ServedSandboxHost.Text(leaver["userPrincipalName"])]["active"].GetValue<bool>());
            Assert.False(afterThird[ServedSandboxHost.Text(disabled["userPrincipalName"])]["active"].GetValue<bool>());
            var renamedAccount = afterThird[ServedSandboxHost.Text(renamed["userPrincipalName"])];
            Assert.True(renamedAccount["active"].GetValue<bool>());
            Assert.Equal("Rehearsal", ServedSandboxHost.Text(renamedAccount["name"]["familyName"]));
            foreach (var (userName, before) in accounts.Where(a => !changed.Contains(a.Key)))
            {
                var after = afterThird[userName];
                Assert.Equal(Shape(before), Shape(after));
                Assert.Equal(ServedSandboxHost.Text(before["id"]), ServedSandboxHost.Text(after["id"]));
            }

            // Job 4: nothing changed in Entra, nothing is written to Dropbox.
            var scimBeforeFourth = await host.CountAsync("scim");
            var fourth = RunJob(host, azurite, state, "job 4");
            Assert.Equal("Incremental", ServedSandboxHost.Text(fourth["Mode"]));
            Assert.Equal("Succeeded", ServedSandboxHost.Text(fourth["Status"]));
            Assert.Equal(0, Count(fourth, "Created") + Count(fourth, "Updated") + Count(fourth, "Suspended") + Count(fourth, "Deleted") + Count(fourth, "Failed") + Count(fourth, "RemainingChanges"));
            Assert.Equal(scimBeforeFourth.Writes, (await host.CountAsync("scim")).Writes);
            Assert.Equal(afterThird.Count, (await host.ScimUsersAsync()).Length);

            // Each job took its tokens (Graph's, and Storage's for the container) from IDENTITY_ENDPOINT with the host's random
            // IDENTITY_HEADER (the endpoint refuses any other header, and the runbook has no secret or key to fall back on).
            Assert.True((await host.CountAsync("login")).Requests >= 4);

            Assert.Equal(0, host.Stop());
            Assert.Contains("Stopped.", host.Output);
        }
    }
}
