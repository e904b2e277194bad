using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Dropbox.Api;
using DropboxProvisioning.Dropbox.OAuth;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Activity
{
    /// <summary>The engine's Dropbox API client, token source and activity streams against the sandbox, without any retry middleware.</summary>
    public sealed class ActivityClientTests
    {
        private sealed class Rig
        {
            public readonly SandboxTenant Tenant = TenantGenerator.Generate(new TenantProfile { Users = 10, Seed = 4 });
            public readonly HttpClient Http;
            public readonly DropboxRefreshTokenSource Tokens;
            public readonly DropboxApiClient Api;
            public readonly List<TimeSpan> Waits = new List<TimeSpan>();

            public Rig(IEnumerable<string> scopes = null)
            {
                Http = new HttpClient(Tenant.CreateHandler());
                var pkce = PkcePair.Create();
                var code = Tenant.DropboxApi.ApproveAuthorization("app1", pkce.Challenge, scopes);
                var grant = DropboxOAuth.ExchangeCodeAsync(Http, DropboxOAuth.DefaultApiRoot, "app1", code, pkce.Verifier, CancellationToken.None).Result;
                Assert.Equal(Tenant.DropboxApi.TeamId, grant.TeamId);
                Tokens = new DropboxRefreshTokenSource(Http, DropboxOAuth.DefaultApiRoot, "app1", grant.RefreshToken, grant);
                Api = new DropboxApiClient(Http, DropboxOAuth.DefaultApiRoot, Tokens, (wait, ct) => { Waits.Add(wait); return Task.Delay(wait, ct); });
            }
        }

        private static async Task<List<ActivityRecord>> ReadAll(ActivityStream stream, int? stopAfter = null)
        {
            var records = new List<ActivityRecord>();
            ActivityPage page;
            while ((page = await stream.NextAsync(CancellationToken.None)) != null)
            {
                for (var i = 0; i < page.Records.Count; i++)
                {
                    records.Add(page.Records[i]);
                    stream.Delivered(page, i);
                    if (records.Count == stopAfter) return records;
                }
                stream.Completed(page);
                if (!page.HasMore) break;
            }
            return records;
        }

        [Fact]
        public async Task A_429_is_waited_out_for_Retry_After_and_the_call_retried()
        {
            var rig = new Rig();
            rig.Tenant.SetRateLimits(0, 1);
            for (var i = 0; i < 3; i++) await rig.Api.CallAsync("team_log/get_events", new JObject { ["limit"] = 1 }, CancellationToken.None);
            Assert.NotEmpty(rig.Waits);
            Assert.All(rig.Waits, w => Assert.True(w >= TimeSpan.FromSeconds(1)));
        }

        [Fact]
        public async Task An_expired_token_is_refreshed_once_and_a_revoked_one_is_a_typed_error()
        {
            var rig = new Rig();
            rig.Tenant.DropboxApi.ExpireAccessTokens();
            await rig.Api.CallAsync("team_log/get_events", new JObject { ["limit"] = 1 }, CancellationToken.None);
            Assert.Equal(1, rig.Tokens.Refreshes);

            rig.Tenant.DropboxApi.RevokeAuthorizations();
            var e = await Assert.ThrowsAsync<DbxException>(() => rig.Api.CallAsync("team_log/get_events", new JObject { ["limit"] = 1 }, CancellationToken.None));
            Assert.Equal("DropboxTokenRevoked", e.Condition);
            Assert.Equal(DbxErrorCategory.AuthenticationError, e.Category);

            rig.Tenant.DropboxApi.ExpireAccessTokens();
            var refresh = await Assert.ThrowsAsync<DbxException>(() => rig.Api.CallAsync("team_log/get_events", new JObject { ["limit"] = 1 }, CancellationToken.None));
            Assert.Equal("DropboxTokenRevoked", refresh.Condition);
        }

        [Fact]
        public async Task Missing_events_read_names_the_scope()
        {
            var rig = new Rig(new[] { "team_info.read" });
            var e = await Assert.ThrowsAsync<DbxException>(() => rig.Api.CallAsync("team_log/get_events", new JObject { ["limit"] = 1 }, CancellationToken.None));
            Assert.Equal("DropboxMissingScope", e.Condition);
            Assert.Contains("events.read", e.Message);
        }

        [Fact]
        public async Task An_incremental_stream_resumes_mid_page_and_survives_a_cursor_reset_without_repeats()
        {
            var rig = new Rig();
            var log = rig.Tenant.TeamLog;
            var state = new ActivityState { AppKey = "app1", FirstConnectedAt = DateTimeOffset.UtcNow, WindowStart = DateTimeOffset.UtcNow.AddDays(-60) };
            var expected = log.Events.Where(e => e.Timestamp >= ActivityStreamFloor(state.WindowStart)).Select(e => ActivityMapper.Key(e.Json)).ToList();

            var seen = new List<string>();
            seen.AddRange((await ReadAll(ActivityStream.Incremental(rig.Api, state, pageSize: 100), stopAfter: 150)).Select(r => ActivityMapper.Key(JObject.Parse(r.Details))));
            Assert.Equal(50, state.Skip);
            seen.AddRange((await ReadAll(ActivityStream.Incremental(rig.Api, state, pageSize: 100))).Select(r => ActivityMapper.Key(JObject.Parse(r.Details))));
            Assert.Equal(expected, seen);

            // New events at the very second of the last one, then Dropbox resets the cursor.
            var last = log.Events.Last().Timestamp;
            var added = log.AppendSimulated(3, last);
            log.ResetCursors();
            var warnings = new List<string>();
            var after = await ReadAll(ActivityStream.Incremental(rig.Api, state, 100, warnings.Add));
            Assert.Equal(added.Select(e => ActivityMapper.Key(e.Json)), after.Select(r => ActivityMapper.Key(JObject.Parse(r.Details))));
            Assert.Single(warnings);
        }

        private static DateTimeOffset ActivityStreamFloor(DateTimeOffset t) => new DateTimeOffset(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

        [Fact]
        public void The_mapper_reads_actor_origin_and_asset()
        {
            var e = JObject.Parse(@"{""timestamp"":""2026-01-05T10:11:12Z"",""event_category"":{"".tag"":""sharing""},
              ""actor"":{"".tag"":""anonymous""},""origin"":{""geo_location"":{""city"":""Lagos"",""region"":""Lagos"",""country"":""NG"",""ip_address"":""105.112.1.2""},
              ""access_method"":{"".tag"":""end_user"",""end_user"":{"".tag"":""web"",""session_id"":""dbwsid:1""}}},""involve_non_team_member"":true,
              ""context"":{"".tag"":""anonymous""},""assets"":[{"".tag"":""file"",""path"":{""contextual"":""/Finance/Budget.xlsx"",""namespace_relative"":{}},""display_name"":""Budget.xlsx""}],
              ""event_type"":{"".tag"":""shared_link_view"",""description"":""Opened shared link""},""details"":{"".tag"":""shared_link_view_details""}}");
            var r = ActivityMapper.Map(e);
            Assert.Equal("View shared link", r.Activity);
            Assert.True(r.IsUnauthenticated);
            Assert.Null(r.User);
            Assert.Equal("105.112.1.2", r.IpAddress);
            Assert.Equal("Lagos, Lagos, NG", r.Location);
            Assert.Equal("Budget.xlsx", r.ObjectName);
            Assert.Equal("Web", r.Device);
            Assert.Equal(new DateTimeOffset(2026, 1, 5, 10, 11, 12, TimeSpan.Zero), r.Time);

            var future = ActivityMapper.Map(JObject.Parse(@"{""timestamp"":""2026-01-05T10:11:12Z"",""event_category"":{"".tag"":""dash""},
              ""actor"":{"".tag"":""user"",""user"":{"".tag"":""non_team_member"",""email"":""x@fabrikam.com"",""display_name"":""X""}},
              ""event_type"":{"".tag"":""dash_new_thing"",""description"":""(dash) Did a new thing""},""details"":{"".tag"":""dash_new_thing_details""}}"));
            Assert.Equal("dash_new_thing", future.Activity);
            Assert.True(future.IsExternal);
            Assert.Equal("x@fabrikam.com", future.User);
        }

        [Fact]
        public void Refresh_tokens_are_stored_protected_and_owner_only()
        {
            var dir = Path.Combine(Path.GetTempPath(), "dbx-secret-" + Guid.NewGuid().ToString("N"));
            try
            {
                var store = new ActivityStateStore(dir);
                ProtectedSecretFile.Write(store.CredentialPath, Security.SecureStrings.FromText("refresh-token-value"));
                Assert.Equal("refresh-token-value", Security.SecureStrings.Reveal(ProtectedSecretFile.Read(store.CredentialPath)));
                Assert.Null(ProtectedSecretFile.Read(Path.Combine(dir, "none.json")));
#if NET // File modes are read with .NET 7's API; the .NET Framework build under mono leaves them out.
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.CredentialPath));
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
                }
                else
                {
                    Assert.DoesNotContain("refresh-token-value", File.ReadAllText(store.CredentialPath));
                }
#endif
            }
            finally
            {
                System.IO.Directory.Delete(dir, true);
            }
        }
    }
}
