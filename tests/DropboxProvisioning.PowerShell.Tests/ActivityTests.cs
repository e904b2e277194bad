using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.TeamLog;
using DropboxProvisioning.TestSupport;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>The activity connector through a real runspace: Connect-DbxActivity, Test-DbxConnection and Get-DbxActivity against the sandbox.</summary>
    public sealed class ActivityTests : IDisposable
    {
        private readonly string _statePath = Path.Combine(Path.GetTempPath(), "dbx-activity-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (System.IO.Directory.Exists(_statePath)) System.IO.Directory.Delete(_statePath, true);
            if (_uri != null) Azurite.Shared.Container(_uri).DeleteIfExists();
        }

        private string _uri;
        private const string ProtectionKey = "the admin's own key for this job";

        private (DbxConnection Connection, SandboxTenant Tenant, ActivityConnection Activity) Connect(PowerShellSession ps, int users = 30, StoreKind kind = StoreKind.Local)
        {
            DbxConnection connection;
            if (kind == StoreKind.Local)
                connection = ps.Single<DbxConnection>($"Connect-DbxTenant -Sandbox -SandboxUserCount {users} -StatePath '{_statePath}'");
            else
            {
                // The sandbox job's state, and so its activity/ cursor, in a blob container (the refresh token under the admin's key).
                _uri = Azurite.Shared.NewContainer();
                connection = ps.Single<DbxConnection>($"Connect-DbxTenant -Sandbox -SandboxUserCount {users} -StateStorageUri $uri -StateStorageAccountKey $key -StateProtectionKey $protection",
                    new Dictionary<string, object> { ["uri"] = _uri, ["key"] = Security.SecureStrings.FromText(Azurite.AccountKey), ["protection"] = Security.SecureStrings.FromText(ProtectionKey) });
            }
            var activity = ps.Single<ActivityConnection>("Connect-DbxActivity -Sandbox");
            return (connection, (SandboxTenant)connection.Sandbox, activity);
        }

        /// <summary>The activity connector's storage of the job connected by <see cref="Connect"/>.</summary>
        private State.Storage.IStateStorage ActivityStorage(StoreKind kind) => kind == StoreKind.Local
            ? new State.Storage.LocalDirectoryStorage(Path.Combine(_statePath, "activity"))
            : State.Storage.BlobContainerStorage.Open(new State.Storage.BlobStateOptions
            {
                Uri = _uri, AccountKey = Security.SecureStrings.FromText(Azurite.AccountKey), ProtectionKey = Security.SecureStrings.FromText(ProtectionKey),
            }).Under("activity");

        private static string Text(State.Storage.IStateStorage storage, string name)
        {
            using var stream = storage.OpenRead(name, "Test", "file");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        private static List<ActivityRecord> Records(PowerShellSession ps, string script, IDictionary<string, object> variables = null) =>
            ps.Run(script, variables).Select(o => (ActivityRecord)o.BaseObject).ToList();

        private static string Key(string json) => JObject.Parse(json).ToString(Formatting.None);

        private static DateTimeOffset Floor(DateTimeOffset t) => new DateTimeOffset(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

        [Theory]
        [InlineData(StoreKind.Local)]
        [InlineData(StoreKind.Blob)]
        public void The_first_read_covers_exactly_the_60_days_before_connecting_in_pages_of_1000(StoreKind kind)
        {
            using var ps = new PowerShellSession();
            var (_, tenant, activity) = Connect(ps, kind: kind);
            var windowStart = Floor(activity.FirstConnectedAt.AddDays(-60));
            var all = tenant.TeamLog.Events;
            Assert.Contains(all, e => e.Timestamp < windowStart.AddDays(-20)); // the history goes back further than the window
            var expected = all.Where(e => e.Timestamp >= windowStart).Select(e => Key(e.Json.ToString())).ToList();
            Assert.True(expected.Count > 3000, "only " + expected.Count + " events in the window");

            var records = Records(ps, "Get-DbxActivity");
            Assert.Equal(expected.Count, records.Count);
            Assert.All(records, r => Assert.True(r.Time >= windowStart, r.ToString()));
            Assert.Equal(expected.OrderBy(k => k), records.Select(r => Key(r.Details)).OrderBy(k => k));
            Assert.True(tenant.Journal.Count("dropbox-api") >= expected.Count / 1000 + 1);
            Assert.NotEmpty(ps.Progress);

            // Nothing new: a second read returns nothing.
            Assert.Empty(Records(ps, "Get-DbxActivity"));
        }

        [Theory]
        [InlineData(StoreKind.Local)]
        [InlineData(StoreKind.Blob)]
        public void Incremental_reads_across_two_sessions_have_no_duplicates_and_no_gaps(StoreKind kind)
        {
            DbxConnection connection;
            SandboxTenant tenant;
            var seen = new List<string>();
            using (var first = new PowerShellSession())
            {
                (connection, tenant, _) = Connect(first, kind: kind);
                seen.AddRange(Records(first, "Get-DbxActivity").Select(r => Key(r.Details)));
                var added = tenant.TeamLog.AppendSimulated(25);
                var next = Records(first, "Get-DbxActivity");
                Assert.Equal(added.Select(e => Key(e.Json.ToString())), next.Select(r => Key(r.Details)));
                seen.AddRange(next.Select(r => Key(r.Details)));
                tenant.TeamLog.AppendSimulated(40);
                // Stop in the middle of a page: the cursor stops right after the tenth record.
                var ten = Records(first, "Get-DbxActivity -First 10 -PageSize 1000");
                Assert.Equal(10, ten.Count);
                seen.AddRange(ten.Select(r => Key(r.Details)));
            }

            using (var second = new PowerShellSession())
            {
                second.Run("Connect-DbxActivity -Sandbox -Connection $c | Out-Null", new Dictionary<string, object> { ["c"] = connection });
                tenant.TeamLog.AppendSimulated(15);
                var rest = Records(second, "Get-DbxActivity -PageSize 7");
                Assert.Equal(30 + 15, rest.Count);
                seen.AddRange(rest.Select(r => Key(r.Details)));
            }

            var activity = ((SandboxTenant)connection.Sandbox).TeamLog.Events;
            var state = new ActivityStateStore(ActivityStorage(kind)).Load();
            var expected = activity.Where(e => e.Timestamp >= Floor(state.FirstConnectedAt.AddDays(-60))).Select(e => Key(e.Json.ToString())).ToList();
            Assert.Equal(expected.Count, seen.Count);
            Assert.Equal(expected.OrderBy(k => k), seen.OrderBy(k => k));
            // The refresh token is stored protected (owner-only, or under the admin's key) and never in the cursor state.
            var credential = Text(ActivityStorage(kind), ActivityStateStore.CredentialFile);
            Assert.Contains("protection", credential);
            Assert.DoesNotContain("sl.", Text(ActivityStorage(kind), ActivityStateStore.StateFile));
        }

        [Theory]
        [InlineData(StoreKind.Local)]
        [InlineData(StoreKind.Blob)]
        public void A_time_window_read_does_not_move_the_cursor(StoreKind kind)
        {
            using var ps = new PowerShellSession();
            var (_, tenant, _) = Connect(ps, kind: kind);
            var from = DateTimeOffset.UtcNow.AddDays(-10);
            var to = DateTimeOffset.UtcNow.AddDays(-3);
            var window = Records(ps, "Get-DbxActivity -StartTime $from -EndTime $to", new Dictionary<string, object> { ["from"] = from, ["to"] = to });
            var expected = tenant.TeamLog.Events.Count(e => e.Timestamp >= Floor(from) && e.Timestamp < Floor(to).AddSeconds(1));
            Assert.Equal(expected, window.Count);
            Assert.All(window, r => Assert.True(r.Time >= Floor(from) && r.Time <= to));
            // The incremental read still starts 60 days back.
            var all = Records(ps, "Get-DbxActivity");
            Assert.True(all.Count > window.Count * 3);
        }

        [Fact]
        public void File_add_is_reported_as_Upload_file()
        {
            using var ps = new PowerShellSession();
            Connect(ps);
            var uploads = Records(ps, "Get-DbxActivity -StartTime ([DateTimeOffset]::UtcNow.AddDays(-30)) -Activity 'Upload file'");
            Assert.NotEmpty(uploads);
            Assert.All(uploads, r => Assert.Equal("file_add", r.EventType));
            Assert.All(uploads, r => Assert.False(string.IsNullOrEmpty(r.ObjectName)));
            var byType = Records(ps, "Get-DbxActivity -StartTime ([DateTimeOffset]::UtcNow.AddDays(-30)) -EventType file_add");
            Assert.Equal(uploads.Count, byType.Count);
            Assert.All(byType, r => Assert.Equal("Upload file", r.Activity));
            var logons = Records(ps, "Get-DbxActivity -StartTime ([DateTimeOffset]::UtcNow.AddDays(-30)) -Activity '*log on'");
            Assert.Contains(logons, r => r.Activity == "Log on" && r.IpAddress != null && r.Location != null);
            Assert.Contains(logons, r => r.Activity == "Failed log on");
        }

        [Fact]
        public void Anonymous_visitors_are_unauthenticated_and_outsiders_are_external()
        {
            using var ps = new PowerShellSession();
            var (_, tenant, activity) = Connect(ps);
            var windowStart = Floor(activity.FirstConnectedAt.AddDays(-60));
            var anonymous = Records(ps, "Get-DbxActivity -StartTime $s -UnauthenticatedOnly", new Dictionary<string, object> { ["s"] = windowStart });
            var expected = tenant.TeamLog.Events.Count(e => e.Timestamp >= windowStart && (string)e.Json["actor"]?[".tag"] == "anonymous");
            Assert.True(expected > 10);
            Assert.Equal(expected, anonymous.Count);
            Assert.All(anonymous, r => { Assert.True(r.IsUnauthenticated); Assert.Null(r.User); Assert.NotNull(r.IpAddress); Assert.StartsWith("shared_", r.EventType); });

            var external = Records(ps, "Get-DbxActivity -StartTime $s -ExternalOnly", new Dictionary<string, object> { ["s"] = windowStart });
            Assert.NotEmpty(external);
            Assert.All(external, r => { Assert.True(r.IsExternal); Assert.False(r.IsUnauthenticated); Assert.DoesNotContain("@contoso.com", r.User); });
            var byUser = Records(ps, "Get-DbxActivity -StartTime $s -User '*@fabrikam.com'", new Dictionary<string, object> { ["s"] = windowStart });
            Assert.All(byUser, r => Assert.EndsWith("@fabrikam.com", r.User));
        }

        [Fact]
        public void Rate_limiting_during_paging_still_returns_everything()
        {
            using var ps = new PowerShellSession();
            var (_, tenant, activity) = Connect(ps);
            var windowStart = Floor(activity.FirstConnectedAt.AddDays(-60));
            var expected = tenant.TeamLog.Events.Count(e => e.Timestamp >= windowStart);
            tenant.SetRateLimits(0, 2);
            var records = Records(ps, "Get-DbxActivity -PageSize 500");
            tenant.SetRateLimits(0, 0);
            Assert.Equal(expected, records.Count);
            Assert.Equal(expected, records.Select(r => r.Details).Distinct().Count());
            Assert.True(tenant.Journal.Entries().Any(e => e.Service == "dropbox-api" && e.Status == 429), "the sandbox never answered 429");
        }

        [Fact]
        public void An_expired_access_token_is_refreshed_once()
        {
            using var ps = new PowerShellSession();
            var (_, tenant, activity) = Connect(ps);
            Records(ps, "Get-DbxActivity -First 1");
            var refreshes = tenant.DropboxApi.RefreshCount;
            tenant.DropboxApi.ExpireAccessTokens();
            tenant.TeamLog.AppendSimulated(3);
            var records = Records(ps, "Get-DbxActivity");
            Assert.True(records.Count >= 3);
            Assert.Equal(refreshes + 1, tenant.DropboxApi.RefreshCount);
            Assert.Equal(1, activity.TokenRefreshes);
            Assert.True(tenant.Journal.Entries().Any(e => e.Service == "dropbox-api" && e.Status == 401));
        }

        [Fact]
        public void A_revoked_authorization_gives_a_clear_error()
        {
            using var ps = new PowerShellSession();
            var (_, tenant, _) = Connect(ps);
            tenant.DropboxApi.RevokeAuthorizations();
            ps.Invoke("Get-DbxActivity");
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith("GetDbxActivityDropboxTokenRevoked,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("Connect-DbxActivity", error.Exception.Message);

            var test = ps.Invoke("Test-DbxConnection");
            var result = (ActivityConnectionTest)test.Single().BaseObject;
            Assert.False(result.Success);
            Assert.StartsWith("TestDbxConnectionDropboxTokenRevoked", result.ErrorId);
        }

        [Fact]
        public void Test_DbxConnection_reports_success()
        {
            using var ps = new PowerShellSession();
            Connect(ps);
            var result = ps.Single<ActivityConnectionTest>("Test-DbxConnection");
            Assert.True(result.Success);
            Assert.Null(result.ErrorId);
        }

        [Fact]
        public void A_token_without_events_read_names_the_missing_scope()
        {
            using var ps = new PowerShellSession();
            ps.Run($"Connect-DbxTenant -Sandbox -SandboxUserCount 5 -StatePath '{_statePath}' | Out-Null");
            ps.Invoke("Connect-DbxActivity -Sandbox -Scope team_info.read, members.read");
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith("ConnectDbxActivityDropboxMissingScope,", error.FullyQualifiedErrorId);
            Assert.Contains("events.read", error.Exception.Message);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        }

        [Fact]
        public void Without_a_code_the_link_is_generated_and_the_code_completes_the_connection_over_loopback()
        {
            var tenant = DropboxProvisioning.Sandbox.Generation.TenantGenerator.Generate(new DropboxProvisioning.Sandbox.Generation.TenantProfile { Users = 10, Seed = 2 });
            using var server = new LoopbackServer(tenant);
            using var ps = new PowerShellSession();
            var vars = new Dictionary<string, object> { ["api"] = server.BaseUri.ToString(), ["state"] = _statePath };
            var link = ps.Single<ActivityAuthorizationRequest>("Connect-DbxActivity -AppKey myappkey123 -ApiEndpoint $api -StatePath $state", vars);
            var url = link.AuthorizationUrl.ToString();
            Assert.StartsWith("https://www.dropbox.com/oauth2/authorize?client_id=myappkey123&response_type=code&code_challenge=", url);
            Assert.Contains("code_challenge_method=S256", url);
            Assert.Contains("token_access_type=offline", url);
            Assert.Contains(ps.Warnings, w => w.Contains("-AuthorizationCode"));

            var challenge = Uri.UnescapeDataString(url.Split('&').First(p => p.StartsWith("code_challenge=")).Substring("code_challenge=".Length));
            var code = tenant.DropboxApi.ApproveAuthorization("myappkey123", challenge);
            vars["code"] = code;
            var activity = ps.Single<ActivityConnection>("Connect-DbxActivity -AppKey myappkey123 -AuthorizationCode $code -ApiEndpoint $api -StatePath $state", vars);
            Assert.Equal(tenant.DropboxApi.TeamId, activity.TeamId);
            Assert.NotEmpty(Records(ps, "Get-DbxActivity -First 5"));

            // A later session connects with the stored (protected) refresh token alone.
            using var later = new PowerShellSession();
            later.Run("Connect-DbxActivity -AppKey myappkey123 -ApiEndpoint $api -StatePath $state | Out-Null", vars);
            Assert.Equal(5, later.Run("Get-DbxActivity -First 5").Count);

            // A code is single-use.
            ps.Invoke("Connect-DbxActivity -AppKey myappkey123 -AuthorizationCode $code -ApiEndpoint $api -StatePath $state", vars);
            Assert.StartsWith("ConnectDbxActivity", Assert.Single(ps.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void Records_are_flat_and_serialize_to_one_json_line_each()
        {
            using var ps = new PowerShellSession();
            Connect(ps, users: 10);
            var records = Records(ps, "Get-DbxActivity -First 200");
            var simple = new[] { typeof(string), typeof(bool), typeof(DateTimeOffset), typeof(long), typeof(int) };
            foreach (var property in typeof(ActivityRecord).GetProperties())
                Assert.Contains(property.PropertyType, simple);
            foreach (var record in records)
            {
                var line = JsonConvert.SerializeObject(record, Formatting.None);
                Assert.DoesNotContain("\n", line);
                Assert.Equal(record.EventType, (string)JObject.Parse(line)["EventType"]);
            }
            // The module's format file has a table view for them.
            Assert.Contains("<TypeName>DropboxProvisioning.Activity.ActivityRecord</TypeName>",
                File.ReadAllText(Path.Combine(PowerShellSession.RepositoryRoot, "module", "DropboxProvisioning.Format.ps1xml")));
        }

        [Fact]
        public void A_rate_limited_read_waits_as_told_says_so_in_the_verbose_stream_and_loses_nothing()
        {
            using var ps = new PowerShellSession();
            var (_, tenant, _) = Connect(ps);
            var expected = ps.Run("Get-DbxActivity -StartTime ([DateTimeOffset]::UtcNow.AddDays(-20))").Count;
            Assert.True(expected > 200, "only " + expected + " events");
            // Two requests a second: pages of 100 run into 429s with Retry-After, which the read waits out.
            tenant.SetRateLimits(0, 2);
            var records = Records(ps, "Get-DbxActivity -StartTime ([DateTimeOffset]::UtcNow.AddDays(-20)) -PageSize 100 -Verbose");
            Assert.Equal(expected, records.Count);
            Assert.Contains(ps.Verbose, v => v.StartsWith("Dropbox is rate limiting (429); waiting", StringComparison.Ordinal));
            Assert.Contains(tenant.Journal.Entries(), e => e.Service == "dropbox-api" && e.Status == 429);
        }
    }

}
