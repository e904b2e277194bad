using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.Faults;
using DropboxProvisioning.Sandbox.Tests.Graph;
using DropboxProvisioning.TestSupport;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Faults
{
    /// <summary>The sandbox's fault injection: each kind answers as the real trouble does, and is counted.</summary>
    public sealed class FaultPlanTests
    {
        private static SandboxTenant NewTenant(FaultPlan plan) =>
            new SandboxTenant(new DirectoryModel(), new DropboxTeam(), new SandboxOptions { Faults = plan });

        private static HttpClient Scim(SandboxTenant tenant, Uri root = null, TimeSpan? timeout = null)
        {
            var client = root == null ? new HttpClient(tenant.CreateHandler()) : new HttpClient();
            client.BaseAddress = new Uri((root?.ToString().TrimEnd('/') ?? "https://www.dropbox.com") + "/scim/v2/");
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SandboxCredentials.ScimToken);
            if (timeout != null) client.Timeout = timeout.Value;
            return client;
        }

        private static StringContent NewUser(string email) => new StringContent(new JObject
        {
            ["schemas"] = new JArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = email,
            ["name"] = new JObject { ["givenName"] = "Ada", ["familyName"] = "Lovelace" },
            ["emails"] = new JArray(new JObject { ["value"] = email, ["type"] = "work", ["primary"] = true }),
        }.ToString(), Encoding.UTF8, "application/scim+json");

        [Fact]
        public async Task A_throttle_storm_answers_N_requests_429_with_Retry_After_then_lets_them_through()
        {
            var plan = new FaultPlan(3);
            plan.ThrottleStorm("scim", length: 4, retryAfterSeconds: 2);
            var tenant = NewTenant(plan);
            using var client = Scim(tenant);
            var statuses = new List<int>();
            for (var i = 0; i < 6; i++)
            {
                var response = await client.GetAsync("Users?count=1");
                statuses.Add((int)response.StatusCode);
                if (response.StatusCode == (HttpStatusCode)429)
                {
                    Assert.Equal("2", response.Headers.GetValues("Retry-After").Single());
                    Assert.Equal("429", (string)JObject.Parse(await response.Content.ReadAsStringAsync())["status"]);
                }
            }
            Assert.Equal(new[] { 429, 429, 429, 429, 200, 200 }, statuses);
            Assert.Equal(4, plan.Counters[FaultKind.Throttle]);
            Assert.Equal(4, plan.Counters.Count(FaultKind.Throttle, "scim"));
            Assert.Equal(0, plan.Counters.Count(FaultKind.Throttle, "graph"));
            Assert.Equal(6, plan.Counters.Requests);
            Assert.Equal(6, tenant.Journal.Count("scim"));
        }

        [Fact]
        public async Task Faults_hit_only_the_service_they_name()
        {
            var plan = new FaultPlan(1);
            plan.Add("graph", FaultKind.InternalServerError);
            var tenant = NewTenant(plan);
            using var scim = Scim(tenant);
            Assert.Equal(HttpStatusCode.OK, (await scim.GetAsync("Users")).StatusCode);
            using var graph = GraphTestClient.Create(tenant);
            var response = await graph.GetAsync("/v1.0/users");
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("generalException", (string)JObject.Parse(await response.Content.ReadAsStringAsync())["error"]["code"]);
            Assert.Equal(1, plan.Counters.Total);
            Assert.Equal(1, plan.Counters.Count(FaultKind.InternalServerError, "graph"));
        }

        [Theory]
        [InlineData(FaultKind.InternalServerError, 500)]
        [InlineData(FaultKind.BadGateway, 502)]
        [InlineData(FaultKind.ServiceUnavailable, 503)]
        public async Task Server_errors_answer_their_status_and_change_nothing(FaultKind kind, int status)
        {
            var plan = new FaultPlan(1);
            plan.Add("scim", kind).RetryAfterSeconds = 1;
            var tenant = NewTenant(plan);
            using var client = Scim(tenant);
            var response = await client.PostAsync("Users", NewUser("ada@contoso.com"));
            Assert.Equal(status, (int)response.StatusCode);
            if (status == 503) Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
            Assert.Equal(0, tenant.Dropbox.MemberCount);
            Assert.Equal(1, plan.Counters[kind]);
        }

        [Fact]
        public async Task A_slow_answer_outlasts_the_client_timeout_and_is_not_applied_in_process()
        {
            var plan = new FaultPlan(1);
            plan.Add("scim", FaultKind.Slow, maxStarts: 1).Delay = TimeSpan.FromSeconds(20);
            var tenant = NewTenant(plan);
            using var client = Scim(tenant, timeout: TimeSpan.FromMilliseconds(200));
            var started = DateTime.UtcNow;
            await Assert.ThrowsAsync<TaskCanceledException>(() => client.PostAsync("Users", NewUser("ada@contoso.com")));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
            Assert.Equal(0, tenant.Dropbox.MemberCount);
            Assert.Equal(1, plan.Counters[FaultKind.Slow]);
            // The rule started once: the next request is answered at once.
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("Users", NewUser("ada@contoso.com"))).StatusCode);
        }

        [Fact]
        public async Task A_dropped_connection_is_an_HttpRequestException_in_process_and_changes_nothing()
        {
            var plan = new FaultPlan(1);
            plan.Add("scim", FaultKind.DropConnection, maxStarts: 1);
            var tenant = NewTenant(plan);
            using var client = Scim(tenant);
            var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("Users", NewUser("ada@contoso.com")));
            Assert.IsType<SandboxConnectionDroppedException>(e.InnerException);
            Assert.Equal(0, tenant.Dropbox.MemberCount);
            Assert.Equal(0, tenant.Journal.Entries().Single().Status);
            Assert.Equal(1, plan.Counters[FaultKind.DropConnection]);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task A_write_whose_answer_is_dropped_mid_response_is_applied_all_the_same(bool overSocket)
        {
            var plan = new FaultPlan(1);
            plan.Add("scim", FaultKind.LostResponseDropped, methods: FaultMethods.Writes, maxStarts: 1);
            var tenant = NewTenant(plan);
            using var server = overSocket ? new LoopbackServer(tenant) : null;
            using var client = Scim(tenant, server?.BaseUri);
            await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("Users", NewUser("ada@contoso.com")));
            Assert.Equal("ada@contoso.com", tenant.Dropbox.Members.Single().Email);
            Assert.Equal(1, plan.Counters[FaultKind.LostResponseDropped]);
            Assert.Equal(1, plan.Counters.AppliedButLost);
            // Reads are not hit by a writes-only rule, and the rule started once: a retry of the create meets 409.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Users")).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync("Users", NewUser("ada@contoso.com"))).StatusCode);
        }

        [Fact]
        public async Task A_read_dropped_over_the_socket_is_cut_mid_body()
        {
            var plan = new FaultPlan(1);
            plan.Add("scim", FaultKind.DropConnection, methods: FaultMethods.Reads, maxStarts: 1);
            var tenant = NewTenant(plan);
            using var server = new LoopbackServer(tenant);
            using var client = Scim(tenant, server.BaseUri);
            // Headers first: the status arrives, the body breaks off.
            using var response = await client.GetAsync("Users", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Users")).StatusCode);
        }

        [Fact]
        public async Task A_write_whose_answer_is_lost_behind_a_502_is_applied_all_the_same()
        {
            var plan = new FaultPlan(1);
            plan.Add("scim", FaultKind.LostResponseBadGateway, methods: FaultMethods.Writes, maxStarts: 1);
            var tenant = NewTenant(plan);
            using var client = Scim(tenant);
            var response = await client.PostAsync("Users", NewUser("ada@contoso.com"));
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.StartsWith("text/html", response.Content.Headers.ContentType.ToString());
            Assert.Equal(1, tenant.Dropbox.MemberCount);
            Assert.Equal(1, plan.Counters.AppliedButLost);
        }

        [Fact]
        public async Task Malformed_JSON_keeps_the_status_but_is_not_JSON()
        {
            var plan = new FaultPlan(5);
            plan.Add("scim", FaultKind.MalformedJson, methods: FaultMethods.Reads);
            var tenant = NewTenant(plan);
            tenant.Dropbox.AddMember("ada@contoso.com", "Ada", "Lovelace");
            using var client = Scim(tenant);
            for (var i = 0; i < 20; i++)
            {
                var response = await client.GetAsync($"Users?startIndex={i + 1}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var text = await response.Content.ReadAsStringAsync();
                Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => JObject.Parse(text));
            }
            Assert.Equal(20, plan.Counters[FaultKind.MalformedJson]);
        }

        [Fact]
        public async Task The_same_seed_gives_the_same_faults_and_another_seed_others()
        {
            async Task<string> Run(int seed)
            {
                var plan = new FaultPlan(seed);
                plan.Add("scim", FaultKind.InternalServerError, probability: 0.3);
                plan.ThrottleStorm("scim", length: 3, probability: 0.1, maxStorms: null);
                var tenant = NewTenant(plan);
                using var client = Scim(tenant);
                var statuses = new StringBuilder();
                for (var i = 0; i < 200; i++)
                    statuses.Append((int)(await client.GetAsync($"Users?startIndex={i % 7 + 1}")).StatusCode).Append(' ');
                return statuses + plan.Counters.ToString();
            }
            var first = await Run(11);
            Assert.Equal(first, await Run(11));
            Assert.NotEqual(first, await Run(12));
            Assert.Contains("500", first);
            Assert.Contains("429", first);
        }

        [Fact]
        public async Task A_disabled_plan_injects_nothing_and_keeps_its_counts()
        {
            var plan = new FaultPlan(1);
            plan.Add("*", FaultKind.InternalServerError);
            var tenant = NewTenant(plan);
            using var client = Scim(tenant);
            Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("Users")).StatusCode);
            plan.Enabled = false;
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Users")).StatusCode);
            tenant.Faults = null;
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("Users")).StatusCode);
            Assert.Equal(1, plan.Counters.Total);
            Assert.Contains("InternalServerError=1", plan.Counters.ToString());
        }

        [Fact]
        public async Task Probability_skip_and_path_filters_choose_the_requests()
        {
            var plan = new FaultPlan(1);
            var rule = plan.Add("scim", FaultKind.BadGateway);
            rule.Skip = 2;
            rule.PathContains = "/Users";
            rule.MaxStarts = 2;
            var tenant = NewTenant(plan);
            using var client = Scim(tenant);
            var statuses = new List<int>();
            for (var i = 0; i < 3; i++) statuses.Add((int)(await client.GetAsync("ServiceProviderConfig")).StatusCode);
            for (var i = 0; i < 5; i++) statuses.Add((int)(await client.GetAsync("Users")).StatusCode);
            Assert.Equal(new[] { 200, 200, 200, 200, 200, 502, 502, 200 }, statuses);
            Assert.Throws<ArgumentOutOfRangeException>(() => plan.Add("scim", FaultKind.Throttle, probability: 2));
        }
    }
}
