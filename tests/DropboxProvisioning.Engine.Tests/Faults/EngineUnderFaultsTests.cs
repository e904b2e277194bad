using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Faults;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.Engine.Tests.Faults
{
    /// <summary>
    /// Provisioning cycles against a sandbox that injects faults of each kind. The engine must survive every one:
    /// retry where that is safe, report failures per user without stopping the cycle, end a cycle it cannot carry on
    /// with a DbxException and nothing else, and once the faults stop, converge to exactly the Dropbox team a
    /// fault-free run ends with, never creating a second account for anyone (a create whose answer was lost included).
    /// </summary>
    public sealed class EngineUnderFaultsTests
    {
        private const int Users = 30;
        private const int Seed = 21;
        private static readonly ConcurrentDictionary<string, Task<List<string>>> References = new ConcurrentDictionary<string, Task<List<string>>>();
        private readonly ITestOutputHelper _output;
        private bool harnessRevoke;

        public EngineUnderFaultsTests(ITestOutputHelper output) { _output = output; }

        private static Task<List<string>> Reference(int users, int seed, Action<SandboxTenant> prepare = null, string variant = "") =>
            References.GetOrAdd($"{users}/{seed}/{variant}", _ => FaultHarness.ReferenceAsync(users, seed, prepare));

        /// <summary>Cycles under faults, then without; every survival and convergence assertion. Returns the cycles run under faults.</summary>
        private async Task<(List<CycleResult> Faulty, FaultPlan Plan, FaultHarness Harness)> Run(string name, Action<FaultPlan> configure,
            int faultyCycles = 2, TimeSpan? timeout = null, bool overSocket = false, int seed = Seed, int users = Users)
        {
            var reference = await Reference(users, seed);
            var harness = await FaultHarness.CreateAsync(users, seed, timeout, overSocket);
            var plan = new FaultPlan(seed);
            harnessRevoke = false;
            configure(plan);
            if (harnessRevoke) harness.Tenant.Directory.RevokeAccessTokens();
            harness.Tenant.Faults = plan;
            var faulty = new List<CycleResult>();
            for (var i = 0; i < faultyCycles; i++) faulty.Add(await harness.CycleAsync());
            plan.Enabled = false;
            var after = await harness.ConvergeAsync();

            var duplicates = FaultHarness.Duplicates(harness.Tenant);
            var orphans = harness.Orphans();
            _output.WriteLine($"{name}: {plan.Counters}; cycles under faults: " +
                string.Join(", ", faulty.Select(r => r == null ? "error" : $"{r.Status} created={r.Created} adopted={r.Adopted} failed={r.Failed}")) +
                $"; cycle errors: {harness.CycleErrors.Count}; cycles to converge: {after.Count}; duplicates: {duplicates}; orphans: {orphans}");
            foreach (var e in harness.CycleErrors) _output.WriteLine($"  cycle error {e.Condition}: {e.Message}");
            FaultReport.Record(name, plan.Counters, duplicates, harness.Escaped.Count);

            Assert.True(harness.Escaped.Count == 0, "Exceptions other than DbxException escaped the engine:\n" + string.Join("\n---\n", harness.Escaped.Select(e => e.ToString())));
            Assert.True(plan.Counters.Total > 0, "no fault was injected");
            Assert.Equal(0, duplicates);
            Assert.Equal(0, orphans);
            Assert.Equal(0, harness.SharedTargets());
            Assert.True(FaultHarness.IsQuiet(after.Last()), "the engine did not converge once the faults stopped: " +
                string.Join("; ", after.Last()?.Changes.Where(c => c.Action != ChangeAction.Skip).Select(c => c.Description + " " + c.Status + " " + c.StatusDetails) ?? new[] { harness.CycleErrors.LastOrDefault()?.Message }));
            Assert.Equal(reference, FaultHarness.Describe(harness.Tenant));
            return (faulty, plan, harness);
        }

        [Fact]
        public async Task Throttle_storms_within_the_retry_budget_are_absorbed_without_a_failure()
        {
            var (faulty, plan, harness) = await Run("429 storms (3 long, Retry-After 0)", p =>
            {
                p.ThrottleStorm("scim", length: 3, probability: 0.1, maxStorms: null);
                p.ThrottleStorm("graph", length: 3, probability: 0.3, maxStorms: 3);
            });
            using (harness)
            {
                Assert.All(faulty, r => Assert.Equal(CycleStatus.Succeeded, r?.Status));
                Assert.True(plan.Counters.Count(FaultKind.Throttle, "scim") > 0 && plan.Counters.Count(FaultKind.Throttle, "graph") > 0, plan.Counters.ToString());
            }
        }

        [Fact]
        public async Task Retry_After_is_honoured()
        {
            using var harness = await FaultHarness.CreateAsync(8, Seed);
            harness.Tenant.Faults = new FaultPlan(1);
            harness.Tenant.Faults.ThrottleStorm("scim", length: 1, retryAfterSeconds: 1);
            var started = DateTime.UtcNow;
            await harness.Connection.Scim.ListUsersAsync(1, 1, null, default);
            Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9), "the retry did not wait for Retry-After");
            Assert.Equal(1, harness.Tenant.Faults.Counters[FaultKind.Throttle]);
        }

        [Fact]
        public async Task A_throttle_storm_longer_than_the_retry_budget_fails_users_not_the_cycle()
        {
            var (faulty, plan, harness) = await Run("429 storm beyond the retries (150 writes)", p =>
            {
                var storm = p.ThrottleStorm("scim", length: 150, maxStorms: 1);
                storm.Methods = FaultMethods.Writes;
            }, faultyCycles: 1);
            using (harness)
            {
                var first = faulty.Single();
                Assert.NotNull(first);
                Assert.Equal(CycleStatus.CompletedWithFailures, first.Status);
                Assert.True(first.Failed > 0);
            }
        }

        [Theory]
        [InlineData(FaultKind.InternalServerError, "500")]
        [InlineData(FaultKind.BadGateway, "502")]
        public async Task Server_errors_on_writes_fail_those_users_and_the_rest_go_on(FaultKind kind, string status)
        {
            var (faulty, plan, harness) = await Run($"{status} on Dropbox writes (p=0.3)", p => p.Add("scim", kind, 0.3, methods: FaultMethods.Writes), faultyCycles: 1);
            using (harness)
            {
                var first = faulty.Single();
                Assert.Equal(CycleStatus.CompletedWithFailures, first.Status);
                Assert.True(first.Created > 0 && first.Failed > 0, $"created {first.Created}, failed {first.Failed}");
                Assert.All(first.Changes.Where(c => c.Status == ChangeStatus.Failure), c => Assert.Contains(status, c.StatusDetails));
            }
        }

        [Fact]
        public async Task Service_unavailable_with_Retry_After_is_retried()
        {
            var (faulty, plan, harness) = await Run("503 + Retry-After 0 (p=0.2)", p =>
            {
                p.Add("scim", FaultKind.ServiceUnavailable, 0.2);
                p.Add("graph", FaultKind.ServiceUnavailable, 0.2);
            });
            using (harness)
                Assert.All(faulty, r => Assert.Equal(CycleStatus.Succeeded, r?.Status));
        }

        [Fact]
        public async Task A_Graph_outage_ends_the_cycle_cleanly_before_any_write()
        {
            var (faulty, plan, harness) = await Run("500 on Graph reads", p => p.Add("graph", FaultKind.InternalServerError, maxStarts: 1), faultyCycles: 1);
            using (harness)
            {
                Assert.Null(faulty.Single());
                Assert.Equal("GraphRequestFailed", harness.CycleErrors.Single().Condition);
            }
        }

        [Fact]
        public async Task Slow_answers_past_the_timeout_fail_those_users_quickly()
        {
            var started = DateTime.UtcNow;
            var (faulty, plan, harness) = await Run("slow Dropbox writes past a 400 ms timeout (p=0.25)", p =>
            {
                p.Add("scim", FaultKind.Slow, 0.25, methods: FaultMethods.Writes).Delay = TimeSpan.FromSeconds(30);
            }, faultyCycles: 1, timeout: TimeSpan.FromMilliseconds(400));
            using (harness)
            {
                var first = faulty.Single();
                Assert.Equal(CycleStatus.CompletedWithFailures, first.Status);
                Assert.Contains(first.Changes, c => c.Status == ChangeStatus.Failure && c.StatusDetails.Contains("in time"));
                Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(25));
            }
        }

        [Fact]
        public async Task Dropped_connections_on_writes_fail_those_users()
        {
            var (faulty, plan, harness) = await Run("dropped connections on Dropbox writes (p=0.3)", p => p.Add("scim", FaultKind.DropConnection, 0.3, methods: FaultMethods.Writes), faultyCycles: 1);
            using (harness)
            {
                Assert.Equal(CycleStatus.CompletedWithFailures, faulty.Single().Status);
                Assert.Contains(faulty.Single().Changes, c => c.Status == ChangeStatus.Failure && c.StatusDetails.Contains("Could not reach Dropbox"));
            }
        }

        [Fact]
        public async Task A_dropped_read_of_Dropbox_ends_the_cycle_with_a_clear_error()
        {
            var (faulty, plan, harness) = await Run("dropped connection on the Dropbox listing", p => p.Add("scim", FaultKind.DropConnection, methods: FaultMethods.Reads, maxStarts: 1), faultyCycles: 1);
            using (harness)
                Assert.Equal("DropboxUnreachable", harness.CycleErrors.Single().Condition);
        }

        [Fact]
        public async Task Malformed_JSON_from_Graph_and_Dropbox_is_refused_and_nothing_is_duplicated()
        {
            var (faulty, plan, harness) = await Run("malformed JSON (Graph reads once, Dropbox writes p=0.3)", p =>
            {
                p.Add("graph", FaultKind.MalformedJson, methods: FaultMethods.Reads, maxStarts: 1);
                p.Add("scim", FaultKind.MalformedJson, 0.3, methods: FaultMethods.Writes);
            }, faultyCycles: 2);
            using (harness)
            {
                Assert.Equal("GraphInvalidResponse", harness.CycleErrors.First().Condition);
                Assert.True(plan.Counters.Count(FaultKind.MalformedJson, "scim") > 0);
            }
        }

        [Theory]
        [InlineData(FaultKind.LostResponseDropped, false)]
        [InlineData(FaultKind.LostResponseBadGateway, false)]
        [InlineData(FaultKind.LostResponseDropped, true)]
        public async Task A_create_whose_answer_was_lost_never_makes_a_duplicate(FaultKind kind, bool overSocket)
        {
            var (faulty, plan, harness) = await Run($"{kind} on Dropbox writes (p=0.5){(overSocket ? " over the socket" : "")}",
                p => p.Add("scim", kind, 0.5, methods: FaultMethods.Writes), faultyCycles: 2, overSocket: overSocket);
            using (harness)
            {
                Assert.True(plan.Counters.AppliedButLost > 0);
                Assert.Contains(faulty.First().Changes, c => c.Action == ChangeAction.Create && c.Status == ChangeStatus.Failure);
            }
        }

        [Fact]
        public async Task Lost_creates_retried_in_the_same_cycle_by_the_retry_handler_are_adopted_not_duplicated()
        {
            // The create is applied, then a 504 stands in for the answer: the retry handler sends it again and meets 409.
            var (faulty, plan, harness) = await Run("lost writes answered 504, then retried by the pipeline", p =>
            {
                p.Add("scim", FaultKind.LostResponseBadGateway, 0.5, methods: FaultMethods.Writes).LostResponseStatus = 504;
            }, faultyCycles: 1);
            using (harness)
            {
                var first = faulty.Single();
                Assert.NotNull(first);
                Assert.True(plan.Counters.AppliedButLost > 0);
            }
        }

        [Theory]
        [InlineData(FaultKind.Slow)]
        [InlineData(FaultKind.DropConnection)]
        [InlineData(FaultKind.MalformedJson)]
        [InlineData(FaultKind.Throttle)]
        public async Task Token_endpoint_trouble_while_renewing_a_token_ends_the_cycle_with_a_DbxException(FaultKind kind)
        {
            var (faulty, plan, harness) = await Run($"{kind} on the token endpoint while renewing", p =>
            {
                var rule = p.Add("login", kind, burst: kind == FaultKind.Throttle ? DropboxProvisioning.Http.HttpPipeline.MaxRetries + 2 : 1, maxStarts: 1);
                rule.Delay = TimeSpan.FromSeconds(30);
                harnessRevoke = true;
            }, faultyCycles: 1, timeout: TimeSpan.FromMilliseconds(500));
            using (harness)
            {
                Assert.Null(faulty.Single());
                var error = harness.CycleErrors.Single();
                Assert.Contains(error.Condition, new[] { "GraphTimeout", "GraphTokenTimeout", "GraphTokenUnreachable", "GraphTokenInvalidResponse", "GraphAuthenticationFailed" });
            }
        }

        public static IEnumerable<object[]> ChaosSeeds() =>
            Enumerable.Range(31, Environment.GetEnvironmentVariable("DBX_SOAK") == "1" ? 25 : 3).Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(ChaosSeeds))]
        public async Task Every_kind_of_fault_at_once_then_the_team_converges(int seed)
        {
            var users = Environment.GetEnvironmentVariable("DBX_SOAK") == "1" ? 150 : Users;
            var (faulty, plan, harness) = await Run($"chaos seed {seed}", p =>
            {
                p.ThrottleStorm("scim", length: 4, probability: 0.03, maxStorms: null);
                p.ThrottleStorm("graph", length: 4, probability: 0.03, maxStorms: null);
                p.Add("scim", FaultKind.InternalServerError, 0.05);
                p.Add("scim", FaultKind.BadGateway, 0.05);
                p.Add("*", FaultKind.ServiceUnavailable, 0.05);
                p.Add("scim", FaultKind.Slow, 0.03, methods: FaultMethods.Writes).Delay = TimeSpan.FromSeconds(30);
                p.Add("scim", FaultKind.DropConnection, 0.05);
                p.Add("graph", FaultKind.DropConnection, 0.02);
                p.Add("*", FaultKind.MalformedJson, 0.03);
                p.Add("scim", FaultKind.LostResponseDropped, 0.1, methods: FaultMethods.Writes);
                p.Add("scim", FaultKind.LostResponseBadGateway, 0.1, methods: FaultMethods.Writes);
            }, faultyCycles: 3, timeout: TimeSpan.FromSeconds(1), seed: seed, users: users);
            using (harness) { }
        }
    }
}
