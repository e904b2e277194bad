using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Dropbox.Api;
using DropboxProvisioning.Dropbox.OAuth;
using DropboxProvisioning.Engine.Tests.Sync;
using DropboxProvisioning.Http;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Clock
{
    /// <summary>
    /// One clock decides: a connection's clock, pinned far from the machine's, is the one its tokens expire by, its
    /// Retry-After dates are read against and its stamps carry. Each test fails if the machine's clock is read instead.
    /// </summary>
    public sealed class PinnedClockTests
    {
        // Years from the machine's clock, on a whole second (HTTP-dates have no fractions).
        private static readonly DateTimeOffset Pinned = new DateTimeOffset(2031, 3, 4, 5, 6, 7, TimeSpan.Zero);

        /// <summary>Answers 429 with an HTTP-date Retry-After three seconds after the pinned time, then 200.</summary>
        private sealed class ThrottledOnce : HttpMessageHandler
        {
            public int Asked;
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (Interlocked.Increment(ref Asked) == 1)
                {
                    var refused = new HttpResponseMessage((HttpStatusCode)429) { Content = new StringContent("{\"error_summary\":\"too_many_requests/\",\"error\":{\".tag\":\"too_many_requests\"}}") };
                    refused.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    refused.Headers.RetryAfter = new RetryConditionHeaderValue(Pinned.AddSeconds(3));
                    return Task.FromResult(refused);
                }
                var ok = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
                ok.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return Task.FromResult(ok);
            }
        }

        private static System.Security.SecureString Secret(string text) => SecureStrings.FromText(text);

        [Fact]
        public async Task The_pacer_reads_a_Retry_After_date_against_its_clock_and_pauses_that_long()
        {
            var pacer = new RequestPacer(0, new FixedClock(Pinned)) { InnerHandler = new ThrottledOnce() };
            var told = new List<TimeSpan>();
            pacer.RateLimited = told.Add;
            using var http = new HttpClient(pacer);
            using (var answer = await http.GetAsync("https://www.dropbox.com/scim/v2/Users")) Assert.Equal(429, (int)answer.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), Assert.Single(told));
        }

        [Fact]
        public async Task The_Dropbox_API_client_waits_out_a_Retry_After_date_by_its_clock()
        {
            var waits = new List<TimeSpan>();
            var api = new DropboxApiClient(new HttpClient(new ThrottledOnce()), DropboxOAuth.DefaultApiRoot, new StaticTokenSource(Secret("token")),
                (wait, ct) => { waits.Add(wait); return Task.CompletedTask; }, new FixedClock(Pinned));
            await api.CallAsync("team/members/list_v2", new JObject { ["limit"] = 1 }, CancellationToken.None);
            Assert.Equal(TimeSpan.FromSeconds(3), Assert.Single(waits));
        }

        [Fact]
        public async Task A_Dropbox_grant_expires_by_the_clock_that_exchanged_its_code()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 2, Seed = 5 });
            using var http = new HttpClient(tenant.CreateHandler());
            var pkce = PkcePair.Create();
            var code = tenant.DropboxApi.ApproveAuthorization("app1", pkce.Challenge, null);
            var grant = await DropboxOAuth.ExchangeCodeAsync(http, DropboxOAuth.DefaultApiRoot, "app1", code, pkce.Verifier, CancellationToken.None, new FixedClock(Pinned));
            Assert.InRange(grant.ExpiresAt, Pinned.AddMinutes(1), Pinned.AddDays(1));
        }

        private static int TokenRequests(RunnerWorld world, string path) => world.Tenant.Journal.Entries().Count(e => e.Path.EndsWith(path, StringComparison.Ordinal));

        [Fact]
        public async Task The_connections_clock_decides_when_the_Graph_token_has_expired_and_is_renewed()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            const string token = "/oauth2/v2.0/token";
            var before = TokenRequests(world, token);
            await world.Connection.Graph.GetServicePrincipalAsync(world.Connection.ServicePrincipalId, CancellationToken.None);
            Assert.Equal(before, TokenRequests(world, token)); // still valid by the pinned clock

            world.Clock.UtcNow = world.Clock.UtcNow.AddHours(3);
            await world.Connection.Graph.GetServicePrincipalAsync(world.Connection.ServicePrincipalId, CancellationToken.None);
            Assert.Equal(before + 1, TokenRequests(world, token));
        }

        [Fact]
        public async Task The_connections_clock_decides_when_the_Team_API_access_token_is_refreshed()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.TeamApi);
            const string token = "/oauth2/token";
            var before = TokenRequests(world, token);
            await world.Target.TestAsync(CancellationToken.None);
            Assert.Equal(before, TokenRequests(world, token));

            world.Clock.UtcNow = world.Clock.UtcNow.AddDays(1);
            await world.Target.TestAsync(CancellationToken.None);
            Assert.Equal(before + 1, TokenRequests(world, token));
        }

        [Fact]
        public async Task The_connection_and_its_lock_are_stamped_by_the_connections_clock()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            Assert.Equal(world.Clock.UtcNow, world.Connection.ConnectedAt);
            world.Clock.UtcNow = Pinned;
            using (CycleLock.Acquire(world.Connection.Store, "stamp test", world.Connection.Clock)) { }
            Assert.Contains(Pinned.ToString("o"), File.ReadAllText(CycleLock.PathFor(world.Connection.Store)));
        }

        [Fact]
        public void The_activity_cursor_is_stamped_LastRead_by_its_stores_clock()
        {
            var directory = Path.Combine(Path.GetTempPath(), "dbx-activity-clock-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            try
            {
                var store = new ActivityStateStore(directory, new FixedClock(Pinned));
                store.Save(new ActivityState { Version = 1, AppKey = "app1", FirstConnectedAt = Pinned });
                Assert.Equal(Pinned, store.Load().LastRead);
            }
            finally { System.IO.Directory.Delete(directory, recursive: true); }
        }
    }
}
