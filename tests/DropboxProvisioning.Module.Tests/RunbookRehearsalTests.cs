using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace DropboxProvisioning.Module.Tests
{
    /// <summary>
    /// Rehearsing a runbook on one machine (issue 14): examples/Runbook.ps1 runs as Automation jobs run, each in a fresh pwsh
    /// that imports the packaged module by name, with the managed identity's IDENTITY_ENDPOINT and IDENTITY_HEADER in its
    /// environment, against one sandbox served by `dbxhost sandbox` in its own process. Between jobs the directory changes
    /// as an admin changes Entra, through Graph over HTTP.
    ///
    /// Still to come, in the places marked below: the blob state store (the state location becomes a container on Azurite
    /// instead of a local directory) and the deadline (job 1 runs with a deadline that stops it part-way, a resuming job
    /// finishes it, and the two together make at most 1.02x the Dropbox requests of one uninterrupted cycle, counted with
    /// <see cref="ServedSandboxHost.CountAsync"/>).
    /// </summary>
    public sealed class RunbookRehearsalTests
    {
        private static readonly string Runbook = Path.Combine(ModuleFiles.RepositoryRoot, "examples", "Runbook.ps1");

        /// <summary>One job: a fresh pwsh running the runbook; its summary object.</summary>
        private static JsonObject RunJob(ServedSandboxHost host, string stateLocation, string name, int deadlineMinutes = 150)
        {
            var environment = new Dictionary<string, string>
            {
                // The module as Automation imports it: by name, from the module folder (the Gallery package's layout).
                ["PSModulePath"] = Path.GetDirectoryName(Path.GetDirectoryName(ModuleFiles.PackageFolder)),
                ["IDENTITY_ENDPOINT"] = host.IdentityEndpoint,
                ["IDENTITY_HEADER"] = host.IdentityHeader,
            };
            var run = FreshPwsh.Run(ModuleFiles.Script("Invoke-Runbook.ps1"),
                new[] { "-Runbook", Runbook, "-SandboxUri", host.Root.ToString().TrimEnd('/'), "-StateLocation", stateLocation, "-DeadlineMinutes", deadlineMinutes.ToString() },
                environment, TimeSpan.FromMinutes(6));
            Assert.True(run.ExitCode == 0, name + " failed:\n" + run.Describe() + "\n--- host\n" + host.Output);
            Assert.StartsWith(ModuleFiles.PackageFolder, run.Value("module"));
            return JsonNode.Parse(run.Value("summary")).AsObject();
        }

        /// <summary>Where the jobs keep their state: a local directory today; a blob container on Azurite once the blob store lands.</summary>
        private static string NewStateLocation() => Path.Combine(Path.GetTempPath(), "dbx-runbook-" + Guid.NewGuid().ToString("N").Substring(0, 12));

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

        [Fact]
        public async Task The_runbook_as_three_jobs_against_a_served_sandbox_creates_then_suspends_and_updates_exactly_what_changed_then_writes_nothing()
        {
            // Invited members join at the start of each cycle, so that the leavers of job 2 are suspended (Dropbox deletes an invited one).
            using var host = ServedSandboxHost.Start(users: 300, seed: 1, acceptInvitations: 1);
            var state = NewStateLocation();
            try
            {
                // Job 1: the initial cycle. (With the deadline part: a deadline that stops it part-way, then a job that resumes it.)
                var first = RunJob(host, state, "job 1");
                Assert.Equal("Initial", ServedSandboxHost.Text(first["Mode"]));
                Assert.Equal("Succeeded", ServedSandboxHost.Text(first["Status"]));
                Assert.True(Count(first, "Created") > 0);
                var afterFirst = await host.ScimUsersAsync();
                var accounts = ByUserName(afterFirst);
                Assert.Equal(afterFirst.Length, accounts.Count); // no two accounts with one userName

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

                // Job 2: suspends the two and updates the one, nothing else.
                var scimBefore = await host.CountAsync("scim");
                var second = RunJob(host, state, "job 2");
                var secondText = "job 2: " + second.ToJsonString();
                Assert.Equal("Incremental", ServedSandboxHost.Text(second["Mode"]));
                Assert.Equal("Succeeded", ServedSandboxHost.Text(second["Status"]));
                Assert.Equal(0, Count(second, "Created"));
                Assert.True(Count(second, "Suspended") == 2, secondText);
                Assert.Equal(1, Count(second, "Updated"));
                Assert.Equal(0, Count(second, "Deleted"));
                Assert.Equal(0, Count(second, "Failed"));
                Assert.True((await host.CountAsync("scim")).Writes - scimBefore.Writes >= 3);

                // The team holds exactly the intended accounts: the same ones, no duplicate, the three changed as Entra was.
                var afterSecond = ByUserName(await host.ScimUsersAsync());
                Assert.Equal(accounts.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase), afterSecond.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase));
                Assert.Equal(afterFirst.Length, afterSecond.Count);
                var changed = new[] { leaver, disabled, renamed }.Select(u => ServedSandboxHost.Text(u["userPrincipalName"])).ToHashSet(StringComparer.OrdinalIgnoreCase);
                Assert.False(afterSecond[ServedSandboxHost.Text(leaver["userPrincipalName"])]["active"].GetValue<bool>());
                Assert.False(afterSecond[ServedSandboxHost.Text(disabled["userPrincipalName"])]["active"].GetValue<bool>());
                var renamedAccount = afterSecond[ServedSandboxHost.Text(renamed["userPrincipalName"])];
                Assert.True(renamedAccount["active"].GetValue<bool>());
                Assert.Equal("Rehearsal", ServedSandboxHost.Text(renamedAccount["name"]["familyName"]));
                foreach (var (userName, before) in accounts.Where(a => !changed.Contains(a.Key)))
                {
                    var after = afterSecond[userName];
                    Assert.Equal(before["active"].GetValue<bool>(), after["active"].GetValue<bool>());
                    Assert.Equal(ServedSandboxHost.Text(before["name"]?["familyName"]), ServedSandboxHost.Text(after["name"]?["familyName"]));
                    Assert.Equal(ServedSandboxHost.Text(before["id"]), ServedSandboxHost.Text(after["id"]));
                }

                // Job 3: nothing changed in Entra, nothing is written to Dropbox.
                var scimBeforeThird = await host.CountAsync("scim");
                var third = RunJob(host, state, "job 3");
                Assert.Equal("Incremental", ServedSandboxHost.Text(third["Mode"]));
                Assert.Equal(0, Count(third, "Created") + Count(third, "Updated") + Count(third, "Suspended") + Count(third, "Deleted") + Count(third, "Failed"));
                Assert.Equal(scimBeforeThird.Writes, (await host.CountAsync("scim")).Writes);
                Assert.Equal(afterSecond.Count, (await host.ScimUsersAsync()).Length);

                // Each job took its Graph token from IDENTITY_ENDPOINT with the host's random IDENTITY_HEADER (the endpoint
                // refuses any other header, and the runbook has no client secret to fall back on): one token at least per job.
                Assert.True((await host.CountAsync("login")).Requests >= 3);

                Assert.Equal(0, host.Stop());
                Assert.Contains("Stopped.", host.Output);
            }
            finally
            {
                if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
            }
        }
    }
}
