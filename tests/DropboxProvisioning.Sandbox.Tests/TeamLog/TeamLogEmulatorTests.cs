using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Generation;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.TeamLog
{
    /// <summary>The Dropbox API v2 emulator's OAuth and team_log routes, with every JSON body held to the Stone specification.</summary>
    public sealed class TeamLogEmulatorTests
    {
        private sealed class Client
        {
            public readonly SandboxTenant Tenant;
            public readonly HttpClient Http;
            public string AccessToken;
            public string RefreshToken;

            public Client(int users = 20, IEnumerable<string> scopes = null)
            {
                Tenant = TenantGenerator.Generate(new TenantProfile { Users = users, Seed = 5 });
                Http = new HttpClient(Tenant.CreateHandler()) { BaseAddress = new Uri("https://api.dropboxapi.com") };
                var verifier = "verifier-" + new string('x', 50);
                string challenge;
                using (var sha = SHA256.Create()) challenge = DropboxAuthorizationServer.Base64Url(sha.ComputeHash(Encoding.ASCII.GetBytes(verifier)));
                var code = Tenant.DropboxApi.ApproveAuthorization("app1", challenge, scopes);
                var token = Token(("grant_type", "authorization_code"), ("code", code), ("client_id", "app1"), ("code_verifier", verifier)).Result;
                Assert.Equal(HttpStatusCode.OK, token.Status);
                AccessToken = (string)token.Body["access_token"];
                RefreshToken = (string)token.Body["refresh_token"];
            }

            public async Task<(HttpStatusCode Status, JObject Body, string Text, HttpResponseMessage Response)> Token(params (string, string)[] form)
            {
                var response = await Http.PostAsync("/oauth2/token", new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2))));
                var text = await response.Content.ReadAsStringAsync();
                return (response.StatusCode, text.StartsWith("{") ? JObject.Parse(text) : null, text, response);
            }

            public async Task<(HttpStatusCode Status, JObject Body, string Text, HttpResponseMessage Response)> Call(string route, object argument, string token = null)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/2/" + route);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AccessToken);
                if (argument != null) request.Content = new StringContent(argument is string s ? s : JsonConvert.SerializeObject(argument), Encoding.UTF8, "application/json");
                var response = await Http.SendAsync(request);
                var text = response.Content == null ? "" : await response.Content.ReadAsStringAsync();
                JObject body = null;
                if (text.StartsWith("{"))
                    using (var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None }) body = JObject.Load(reader);
                return (response.StatusCode, body, text, response);
            }
        }

        private static void AssertValid(JToken value, string type)
        {
            var problems = StoneSpec.Schema.Validate(value, type);
            Assert.True(problems.Count == 0, type + ":\n" + string.Join("\n", problems.Take(20)));
        }

        [Fact]
        public void The_schema_reads_team_log_stone()
        {
            var eventType = StoneSpec.Schema.Get("team_log.EventType");
            Assert.True(eventType.Fields.Count > 600);
            Assert.Equal(3, StoneSpec.Schema.Get("team_log.UserLogInfo").Subtypes.Count);
            Assert.NotEmpty(StoneSpec.Schema.Validate(JObject.Parse("{\"events\":[],\"has_more\":false}"), "team_log.GetTeamEventsResult"));
            Assert.NotEmpty(StoneSpec.Schema.Validate(JObject.Parse("{\".tag\":\"no_such_category\"}"), "team_log.EventCategory"));
        }

        [Fact]
        public async Task Every_page_of_get_events_follows_the_Stone_definitions()
        {
            var client = new Client();
            var first = await client.Call("team_log/get_events", new { limit = 1000 });
            Assert.Equal(HttpStatusCode.OK, first.Status);
            AssertValid(first.Body, "team_log.GetTeamEventsResult");
            var seenTypes = new HashSet<string>();
            var seenActors = new HashSet<string>();
            var page = first.Body;
            var total = 0;
            while (true)
            {
                foreach (var e in page["events"])
                {
                    seenTypes.Add((string)e["event_type"][".tag"]);
                    var actorTag = (string)e["actor"][".tag"];
                    seenActors.Add(actorTag + "/" + (string)e["actor"][actorTag]?[".tag"]);
                    Assert.Equal((string)e["event_type"][".tag"] + "_details", (string)e["details"][".tag"]);
                }
                total += ((JArray)page["events"]).Count;
                if (!(bool)page["has_more"]) break;
                var next = await client.Call("team_log/get_events/continue", new { cursor = (string)page["cursor"] });
                Assert.Equal(HttpStatusCode.OK, next.Status);
                AssertValid(next.Body, "team_log.GetTeamEventsResult");
                page = next.Body;
            }
            Assert.Equal(client.Tenant.TeamLog.Count, total);
            Assert.True(seenTypes.Count >= 20, string.Join(",", seenTypes));
            Assert.Contains("anonymous/", seenActors);
            Assert.Contains("user/non_team_member", seenActors);
            Assert.Contains("user/team_member", seenActors);
            Assert.Contains("admin/team_member", seenActors);
        }

        [Fact]
        public void The_history_is_deterministic_and_covers_more_than_90_days()
        {
            var a = TenantGenerator.Generate(new TenantProfile { Users = 20, Seed = 9 });
            var b = TenantGenerator.Generate(new TenantProfile { Users = 20, Seed = 9 });
            var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
            var logA = DropboxProvisioning.Sandbox.TeamLog.TeamLogGenerator.CreateLog(a.Dropbox, a.Directory, now: now).Events;
            var logB = DropboxProvisioning.Sandbox.TeamLog.TeamLogGenerator.CreateLog(b.Dropbox, b.Directory, now: now).Events;
            Assert.Equal(logA.Select(e => e.Json.ToString()), logB.Select(e => e.Json.ToString()));
            Assert.True(logA.First().Timestamp < now.AddDays(-90));
            Assert.True(logA.Last().Timestamp < now);
            Assert.Contains(logA, e => e.EventType == "login_fail");
            Assert.Contains(logA, e => e.EventType == "file_add");
            Assert.Contains(logA, e => e.EventType == "shared_link_create");
        }

        [Fact]
        public async Task Time_range_category_and_event_type_filter_and_limit_pages()
        {
            var client = new Client();
            var events = client.Tenant.TeamLog.Events;
            var start = events[events.Count / 2].Timestamp;
            var end = events[events.Count * 3 / 4].Timestamp;
            var result = await client.Call("team_log/get_events", new JObject
            {
                ["limit"] = 1000,
                ["time"] = new JObject { ["start_time"] = StoneJson.Timestamp(start), ["end_time"] = StoneJson.Timestamp(end) },
                ["category"] = new JObject { [".tag"] = "logins" },
            });
            AssertValid(result.Body, "team_log.GetTeamEventsResult");
            var expected = events.Count(e => e.Timestamp >= start && e.Timestamp < end && e.Category == "logins");
            Assert.Equal(expected, ((JArray)result.Body["events"]).Count);

            var byType = await client.Call("team_log/get_events", new JObject { ["limit"] = 7, ["event_type"] = new JObject { [".tag"] = "file_add" } });
            Assert.Equal(7, ((JArray)byType.Body["events"]).Count);
            Assert.True((bool)byType.Body["has_more"]);
            Assert.All(byType.Body["events"], e => Assert.Equal("file_add", (string)e["event_type"][".tag"]));

            var both = await client.Call("team_log/get_events", new JObject { ["category"] = "logins", ["event_type"] = "file_add" });
            Assert.Equal((HttpStatusCode)409, both.Status);
            Assert.Equal("invalid_filters", (string)both.Body["error"][".tag"]);
            AssertValid(both.Body["error"], "team_log.GetTeamEventsError");
            Assert.StartsWith("invalid_filters/", (string)both.Body["error_summary"]);

            var tooMany = await client.Call("team_log/get_events", new { limit = 1001 });
            Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
            Assert.StartsWith("Error in call to API function \"team_log/get_events\"", tooMany.Text);
            Assert.Equal("text/plain", tooMany.Response.Content.Headers.ContentType.MediaType);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.Call("team_log/get_events", new { limit = 0 })).Status);
        }

        [Fact]
        public async Task A_cursor_at_the_end_returns_events_recorded_later_and_reset_and_bad_cursor_are_route_errors()
        {
            var client = new Client(users: 5);
            var page = (await client.Call("team_log/get_events", new { limit = 1000 })).Body;
            while ((bool)page["has_more"]) page = (await client.Call("team_log/get_events/continue", new { cursor = (string)page["cursor"] })).Body;
            var cursor = (string)page["cursor"];
            var empty = (await client.Call("team_log/get_events/continue", new { cursor })).Body;
            Assert.Empty((JArray)empty["events"]);
            Assert.False((bool)empty["has_more"]);

            var added = client.Tenant.TeamLog.AppendSimulated(4);
            var fresh = await client.Call("team_log/get_events/continue", new { cursor = (string)empty["cursor"] });
            Assert.Equal(added.Select(e => e.Json.ToString(Formatting.None)), fresh.Body["events"].Select(e => e.ToString(Formatting.None)));

            var bad = await client.Call("team_log/get_events/continue", new { cursor = "not-a-cursor" });
            Assert.Equal((HttpStatusCode)409, bad.Status);
            Assert.Equal("bad_cursor", (string)bad.Body["error"][".tag"]);
            AssertValid(bad.Body["error"], "team_log.GetTeamEventsContinueError");

            client.Tenant.TeamLog.ResetCursors();
            var reset = await client.Call("team_log/get_events/continue", new { cursor = (string)fresh.Body["cursor"] });
            Assert.Equal((HttpStatusCode)409, reset.Status);
            Assert.Equal("reset", (string)reset.Body["error"][".tag"]);
            AssertValid(reset.Body["error"], "team_log.GetTeamEventsContinueError");
            Assert.Equal(StoneJson.Timestamp(added.Max(e => e.Timestamp)), (string)reset.Body["error"]["reset"]);
        }

        [Fact]
        public async Task OAuth_checks_the_PKCE_verifier_and_tokens_expire_refresh_and_revoke()
        {
            var client = new Client(users: 5);
            Assert.StartsWith("sl.", client.AccessToken);
            var challenge = "abc" + new string('y', 40);
            var code = client.Tenant.DropboxApi.ApproveAuthorization("app1", challenge);
            var wrong = await client.Token(("grant_type", "authorization_code"), ("code", code), ("client_id", "app1"), ("code_verifier", "not-the-verifier"));
            Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
            Assert.Equal("invalid_grant", (string)wrong.Body["error"]);

            client.Tenant.DropboxApi.ExpireAccessTokens();
            var expired = await client.Call("team_log/get_events", new { limit = 1 });
            Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
            Assert.Equal("expired_access_token", (string)expired.Body["error"][".tag"]);
            AssertValid(expired.Body["error"], "auth.AuthError");

            var refreshed = await client.Token(("grant_type", "refresh_token"), ("refresh_token", client.RefreshToken), ("client_id", "app1"));
            Assert.Equal(HttpStatusCode.OK, refreshed.Status);
            Assert.Equal(14400, (int)refreshed.Body["expires_in"]);
            Assert.Equal("bearer", (string)refreshed.Body["token_type"]);
            var token = (string)refreshed.Body["access_token"];
            Assert.Equal(HttpStatusCode.OK, (await client.Call("team_log/get_events", new { limit = 1 }, token)).Status);

            var revoke = await client.Call("auth/token/revoke", null, token);
            Assert.Equal(HttpStatusCode.OK, revoke.Status);
            var revoked = await client.Call("team_log/get_events", new { limit = 1 }, token);
            Assert.Equal("invalid_access_token", (string)revoked.Body["error"][".tag"]);
            var again = await client.Token(("grant_type", "refresh_token"), ("refresh_token", client.RefreshToken), ("client_id", "app1"));
            Assert.Equal("invalid_grant", (string)again.Body["error"]);
        }

        [Fact]
        public async Task A_token_without_events_read_gets_missing_scope_and_429_is_a_RateLimitError()
        {
            var client = new Client(users: 5, scopes: new[] { "team_info.read" });
            var denied = await client.Call("team_log/get_events", new { limit = 1 });
            Assert.Equal(HttpStatusCode.Unauthorized, denied.Status);
            Assert.Equal("missing_scope", (string)denied.Body["error"][".tag"]);
            Assert.Equal("events.read", (string)denied.Body["error"]["required_scope"]);
            AssertValid(denied.Body["error"], "auth.AuthError");

            client.Tenant.SetRateLimits(0, 1);
            (HttpStatusCode Status, JObject Body, string Text, HttpResponseMessage Response) limited = default;
            for (var i = 0; i < 5 && limited.Status != (HttpStatusCode)429; i++) limited = await client.Call("team_log/get_events", new { limit = 1 });
            Assert.Equal((HttpStatusCode)429, limited.Status);
            Assert.NotNull(limited.Response.Headers.RetryAfter);
            AssertValid(limited.Body["error"], "auth.RateLimitError");
            Assert.Equal("too_many_requests", (string)limited.Body["error"]["reason"][".tag"]);
        }
    }
}
