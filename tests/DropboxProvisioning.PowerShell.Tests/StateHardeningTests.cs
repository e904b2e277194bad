using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using DropboxProvisioning.TestSupport;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Issue 13, as an admin meets it in PowerShell: damaged, unreadable, full or read-only state; planted links; strings
    /// that look like dates; a restart of escrows; bad paths and patterns; sandbox state left behind; redirects that would
    /// carry a secret away; secrets in error messages.
    /// </summary>
    public sealed class StateHardeningTests
    {
        private readonly ITestOutputHelper _output;
        public StateHardeningTests(ITestOutputHelper output) => _output = output;

        private static string NewDirectory()
        {
            var path = Path.Combine(Path.GetTempPath(), "dbx-hard-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            System.IO.Directory.CreateDirectory(path);
            return path;
        }

        private static ErrorRecord SingleError(PowerShellSession ps, string script)
        {
            ps.Invoke(script);
            return Assert.Single(ps.Errors);
        }

        [Fact]
        public void Hand_edited_state_and_configuration_stop_every_cmdlet_and_are_left_as_they_are()
        {
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 12");
            Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 0);
            var statePath = Path.Combine(connection.StatePath, "state.json");
            var good = File.ReadAllText(statePath);

            var edited = JObject.Parse(good);
            edited["Users"] = null;
            File.WriteAllText(statePath, edited.ToString());
            foreach (var (command, id) in new[] { ("Get-DbxProvisioningStatus", "GetDbxProvisioningStatusStateInvalid"), ("Invoke-DbxProvisioningCycle", "InvokeDbxProvisioningCycleStateInvalid"), ("Set-DbxProvisioningStatus -Status Off", "SetDbxProvisioningStatusStateInvalid") })
            {
                var error = SingleError(ps, command);
                Assert.StartsWith(id + ",", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
                Assert.Contains(statePath, error.Exception.Message);
                Assert.Contains("Users", error.Exception.Message);
                Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
            }
            Assert.Equal(edited.ToString(), File.ReadAllText(statePath));
            File.WriteAllText(statePath, good);

            ps.Run("Set-DbxProvisioningSetting -DeletionThreshold 9");
            var configurationPath = Path.Combine(connection.StatePath, "configuration.json");
            var saved = File.ReadAllText(configurationPath);
            foreach (var (key, value) in new[] { ("MaxConcurrency", "-3"), ("MaxRequestsPerSecond", "-5"), ("DeletionThreshold", "-1"), ("DeletionTreshold", "9") })
            {
                var configuration = JObject.Parse(saved);
                if (key == "DeletionTreshold") ((JObject)configuration["Settings"]).Remove("DeletionThreshold");
                configuration["Settings"][key] = JToken.Parse(value);
                File.WriteAllText(configurationPath, configuration.ToString());
                var error = SingleError(ps, "Get-DbxProvisioningSetting");
                Assert.StartsWith("GetDbxProvisioningSettingConfigurationInvalid,", error.FullyQualifiedErrorId);
                Assert.Contains(key, error.Exception.Message);
                Assert.StartsWith("InvokeDbxProvisioningCycleConfigurationInvalid,", SingleError(ps, "Invoke-DbxProvisioningCycle").FullyQualifiedErrorId);
                Assert.Equal(configuration.ToString(), File.ReadAllText(configurationPath));
            }
        }

        [Fact]
        public void A_state_file_that_cannot_be_opened_is_not_taken_for_a_new_job()
        {
            using var ps = new PowerShellSession();
            var directory = NewDirectory();
            try
            {
                ps.Run($"Connect-DbxTenant -Sandbox -SandboxUserCount 5 -StatePath '{directory}' | Out-Null");
                System.IO.Directory.CreateDirectory(Path.Combine(directory, "state.json")); // opens as a file nobody may read does
                var error = SingleError(ps, "Get-DbxProvisioningStatus");
                Assert.StartsWith("GetDbxProvisioningStatusStateUnreadable,", error.FullyQualifiedErrorId);
                Assert.StartsWith("InvokeDbxProvisioningCycleStateUnreadable,", SingleError(ps, "Invoke-DbxProvisioningCycle").FullyQualifiedErrorId);
            }
            finally { System.IO.Directory.Delete(directory, true); }
        }

        /// <summary>
        /// Another user: this machine's tests run as root, who reads every file, so the child PowerShell runs as root
        /// without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (setpriv --bounding-set), against a directory owned by
        /// nobody with mode 700: exactly what another user meets. A non-root run needs no wrapper.
        /// </summary>
        [Fact]
        public void A_state_directory_this_user_cannot_read_gives_its_own_error_everywhere()
        {
            if (!OperatingSystem.IsLinux()) return;
            var directory = NewDirectory();
            try
            {
                using (var ps = new PowerShellSession())
                {
                    ps.Run($"Connect-DbxTenant -Sandbox -SandboxUserCount 8 -StatePath '{directory}' | Out-Null; Set-DbxProvisioningSetting -DeletionThreshold 9");
                    Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 0);
                }
                var command = new List<string>();
                if (ChildHost.IsRoot)
                {
                    Assert.True(ChildHost.Exists("setpriv"), "setpriv (util-linux) is needed to run as root without DAC override");
                    ChildHost.Run(new[] { "chown", "-R", "65534:65534", directory }, new Dictionary<string, string>(), TimeSpan.FromSeconds(30));
                    command.AddRange(new[] { "setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--" });
                }
                else File.SetUnixFileMode(directory, UnixFileMode.None);
                command.AddRange(new[] { "dotnet", ChildHost.HostDll(), "-Command",
                    ChildHost.Probe("Connect-DbxTenant -Sandbox -SandboxUserCount 8 -StatePath $env:DBX_STATE",
                        "Get-DbxProvisioningStatus", "Get-DbxProvisioningSetting", "Export-DbxProvisioningConfiguration -Path $env:DBX_EXPORT",
                        "Set-DbxProvisioningStatus -Status Off", "Set-DbxProvisioningSetting -DeletionThreshold 10", "Invoke-DbxProvisioningCycle") });
                var export = Path.Combine(Path.GetTempPath(), "dbx-export-" + Guid.NewGuid().ToString("N") + ".json");
                var (results, output, _) = ChildHost.Run(command, new Dictionary<string, string> { ["DBX_STATE"] = directory, ["DBX_EXPORT"] = export }, TimeSpan.FromMinutes(3));
                _output.WriteLine(output);
                Assert.Equal(6, results.Count);
                Assert.All(results, r => Assert.StartsWith("ERR ", r));
                Assert.Contains(results, r => r.Contains("GetDbxProvisioningStatusStateUnreadable,"));
                Assert.Contains(results, r => r.Contains("GetDbxProvisioningSettingConfigurationUnreadable,"));
                Assert.Contains(results, r => r.Contains("ExportDbxProvisioningConfigurationConfigurationUnreadable,"));
                Assert.Contains(results, r => r.Contains("SetDbxProvisioningStatusStateAccessDenied,"));
                Assert.All(results, r => Assert.DoesNotContain("CycleRunning", r));
                Assert.All(results, r => Assert.DoesNotContain("UnauthorizedAccessException", r));
                Assert.False(File.Exists(export));
            }
            finally
            {
                if (!ChildHost.IsRoot) File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                System.IO.Directory.Delete(directory, true);
            }
        }

        /// <summary>
        /// A full and then a read-only disk: the child runs in its own mount namespace (unshare -m) with a 1 MB tmpfs as
        /// its state directory, filled but for 24 KB before the cycle, then remounted read-only.
        /// </summary>
        [Fact]
        public void A_full_disk_stops_the_cycle_at_once_and_a_read_only_disk_is_named_as_such()
        {
            if (!OperatingSystem.IsLinux()) return;
            Assert.True(ChildHost.Exists("unshare"), "unshare (util-linux) is needed for a private small file system");
            var directory = NewDirectory();
            try
            {
                const string full =
                    "$c = Connect-DbxTenant -Sandbox -SandboxUserCount 600 -SandboxSeed 3 -StatePath $env:DBX_STATE\n" +
                    "$c.Sandbox.Options.Latency = [TimeSpan]::FromMilliseconds(15)\n" +
                    "$before = $c.Sandbox.Dropbox.Members.Count\n" +
                    "$buffer = [byte[]]::new(4096)\n" +
                    "$filler = [IO.File]::Open(\"$env:DBX_STATE/filler\", 'Create', 'Write')\n" +
                    "try { while ($true) { $filler.Write($buffer, 0, $buffer.Length); $filler.Flush() } } catch { }\n" +
                    "$filler.SetLength([Math]::Max(0, $filler.Length - 24KB)); $filler.Dispose()\n" +
                    "$plan = Invoke-DbxProvisioningCycle -WhatIf 6>$null\n" +
                    "\"RESULT PLANNED $(@($plan | Where-Object { $_.Action -eq 'Create' }).Count)\"\n" +
                    "try { $r = Invoke-DbxProvisioningCycle -ErrorAction Stop; \"RESULT OK $($r.Created)\" } catch { \"RESULT ERR $($_.FullyQualifiedErrorId) :: $($_.Exception.Message)\" }\n" +
                    "\"RESULT CREATED $($c.Sandbox.Dropbox.Members.Count - $before)\"\n";
                var readOnly = ChildHost.Probe("Connect-DbxTenant -Sandbox -SandboxUserCount 5 -StatePath $env:DBX_STATE",
                    "Get-DbxProvisioningStatus", "Set-DbxProvisioningStatus -Status Off", "Set-DbxProvisioningSetting -DeletionThreshold 9", "Invoke-DbxProvisioningCycle");
                var script = "mount -t tmpfs -o size=1m tmpfs \"$DBX_STATE\" || exit 3; dotnet \"$DBX_HOST\" -Command \"$DBX_FULL\"; rm -f \"$DBX_STATE/filler\"; " +
                             "mount -o remount,ro \"$DBX_STATE\" || exit 4; dotnet \"$DBX_HOST\" -Command \"$DBX_RO\"";
                var unshare = ChildHost.IsRoot ? new[] { "unshare", "-m", "sh", "-c", script } : new[] { "unshare", "-r", "-m", "sh", "-c", script };
                var (results, output, code) = ChildHost.Run(unshare, new Dictionary<string, string>
                {
                    ["DBX_STATE"] = directory, ["DBX_HOST"] = ChildHost.HostDll(), ["DBX_FULL"] = full, ["DBX_RO"] = readOnly,
                }, TimeSpan.FromMinutes(4));
                _output.WriteLine(output);
                Assert.True(code != 3 && code != 4, "no private tmpfs could be mounted: " + output);
                var planned = int.Parse(results.Single(r => r.StartsWith("PLANNED ")).Substring(8));
                var created = int.Parse(results.Single(r => r.StartsWith("CREATED ")).Substring(8));
                var cycle = results.Single(r => r.StartsWith("ERR ") && r.Contains("InvokeDbxProvisioningCycle") && !r.Contains("Invoke-DbxProvisioningCycle"));
                Assert.Contains("InvokeDbxProvisioningCycleStateDiskFull,", cycle);
                Assert.True(planned > 300, $"{planned} creates planned");
                Assert.True(created < planned / 2, $"{created} of {planned} accounts created after the state could no longer be saved");

                Assert.Contains("OK Get-DbxProvisioningStatus", results);
                Assert.Contains(results, r => r.StartsWith("ERR Set-DbxProvisioningStatus -Status Off SetDbxProvisioningStatusStateReadOnly,"));
                Assert.Contains(results, r => r.StartsWith("ERR Set-DbxProvisioningSetting -DeletionThreshold 9 SetDbxProvisioningSettingStateReadOnly,"));
                Assert.Contains(results, r => r.StartsWith("ERR Invoke-DbxProvisioningCycle InvokeDbxProvisioningCycleStateReadOnly,"));
                Assert.All(results, r => Assert.DoesNotContain("CycleRunning", r));
            }
            finally { System.IO.Directory.Delete(directory, true); }
        }

        [Fact]
        public void A_planted_lock_link_and_a_world_writable_state_directory_are_dealt_with()
        {
            if (OperatingSystem.IsWindows()) return;
            using var ps = new PowerShellSession();
            var directory = NewDirectory();
            var victim = Path.Combine(Path.GetTempPath(), "dbx-victim-" + Guid.NewGuid().ToString("N"));
            try
            {
                File.SetUnixFileMode(directory, (UnixFileMode)0x1FF); // 0777
                ps.Run($"Connect-DbxTenant -Sandbox -SandboxUserCount 6 -StatePath '{directory}' | Out-Null; Set-DbxProvisioningSetting -DeletionThreshold 9");
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "configuration.json")));

                File.WriteAllText(victim, "precious");
                File.CreateSymbolicLink(Path.Combine(directory, "cycle.lock"), victim);
                var error = SingleError(ps, "Invoke-DbxProvisioningCycle");
                Assert.StartsWith("InvokeDbxProvisioningCycleStateFileIsSymlink,", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
                Assert.Equal("precious", File.ReadAllText(victim));
                File.Delete(Path.Combine(directory, "cycle.lock"));

                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var state = Path.Combine(directory, "state.json");
                File.Move(state, victim, overwrite: true);
                File.CreateSymbolicLink(state, victim);
                Assert.StartsWith("GetDbxProvisioningStatusStateFileIsSymlink,", SingleError(ps, "Get-DbxProvisioningStatus").FullyQualifiedErrorId);
                Assert.StartsWith("SetDbxProvisioningStatusStateFileIsSymlink,", SingleError(ps, "Set-DbxProvisioningStatus -Status Off").FullyQualifiedErrorId);
                Assert.NotNull(new FileInfo(state).LinkTarget);
            }
            finally
            {
                File.Delete(victim);
                System.IO.Directory.Delete(directory, true);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Names_that_look_like_dates_survive_a_cycle_and_the_next_state_read(string api)
        {
            // The Team API refuses ':' in names: there the dates are without a time.
            var given = api == Targets.Scim ? "2024-05-01T10:00:00Z" : "2024-05-01";
            var renamed = api == Targets.Scim ? "2024-06-01T00:00:00+02:00" : "2024-06-01";
            var (ps, connection, sandbox) = Targets.Connect(api, 20, 5);
            using (ps)
            {
                var user = Targets.DirectUsers(sandbox).First();
                sandbox.Directory.UpdateUser(user.Id, u => { u.DisplayName = "2024-05-01T10:00:00Z"; u.GivenName = given; u.Surname = "2024-05-01"; });
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.All(first.Changes.Where(c => c.SourceId == user.Id), c => Assert.True(c.Status == ChangeStatus.Success, c.Action + " " + c.Status + " " + c.StatusDetails));
                var member = sandbox.Dropbox.FindByEmail(user.UserPrincipalName);
                Assert.Equal(given, member.GivenName);
                Assert.Equal("2024-05-01", member.Surname);
                var managed = connection.Store.LoadState().Users[user.Id];
                Assert.Equal("2024-05-01", managed.Exported["name.familyName"]);

                sandbox.Directory.UpdateUser(user.Id, u => u.Surname = renamed);
                var second = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Incremental, second.Mode);
                Assert.Equal(ChangeStatus.Success, Assert.Single(second.Changes, c => c.SourceId == user.Id).Status);
                Assert.Equal(renamed, sandbox.Dropbox.FindByEmail(user.UserPrincipalName).Surname);
                Assert.Contains(ps.Run("Get-DbxProvisioningLog -Action Update"), r => ((ProvisioningLogRecord)r.BaseObject).ModifiedPropertiesText.Contains($"'2024-05-01' -> '{renamed}'"));
                var third = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.DoesNotContain(third.Changes, c => c.SourceId == user.Id);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_restart_of_escrows_brings_failed_creates_back_as_ordinary_work(string api)
        {
            var (ps, connection, sandbox) = Targets.Connect(api, 40, 21);
            using (ps)
            {
                sandbox.Dropbox.LicenseLimit = sandbox.Dropbox.Members.Count + 10;
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.True(first.Failed > 0);
                Assert.Equal(first.Failed, ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").Escrows.Count);

                ps.Run("Restart-DbxProvisioning -Scope Escrows -Confirm:$false");
                Assert.Empty(ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").Escrows);
                sandbox.Dropbox.LicenseLimit = 0;
                var next = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Force"); // the failures quarantined the job
                Assert.Equal(CycleMode.Incremental, next.Mode);
                Assert.Equal(first.Failed, next.Created);
                Assert.Equal(0, next.Failed);
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Force");
                Assert.Equal(0, idle.Created + idle.Updated + idle.Failed);
            }
        }

        [Fact]
        public void Bad_patterns_paths_and_imports_get_clear_errors_and_change_nothing()
        {
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 8");
            ps.Run("Set-DbxProvisioningSetting -DeletionThreshold 9; Invoke-DbxProvisioningCycle | Out-Null");

            var error = SingleError(ps, "Get-DbxProvisioningLog -Identity '['");
            Assert.StartsWith("GetDbxProvisioningLogInvalidIdentityPattern,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.NotNull(error.ErrorDetails.RecommendedAction);
            Assert.NotEmpty(ps.Run("Get-DbxProvisioningLog -Identity '*'"));
            var log = System.IO.Directory.GetFiles(Path.Combine(connection.StatePath, "logs")).Single();
            var lines = File.ReadAllLines(log);
            lines[0] = "{ \"Userz\": 1 }";
            File.WriteAllLines(log, lines);
            Assert.StartsWith("GetDbxProvisioningLogLogInvalid,", SingleError(ps, "Get-DbxProvisioningLog").FullyQualifiedErrorId);

            error = SingleError(ps, "Export-DbxProvisioningConfiguration -Path \"$([IO.Path]::GetTempPath())a`0b.json\"");
            Assert.StartsWith("ExportDbxProvisioningConfigurationInvalidPath,", error.FullyQualifiedErrorId);
            Assert.StartsWith("ImportDbxProvisioningConfigurationInvalidPath,", SingleError(ps, "Import-DbxProvisioningConfiguration -Path \"a`0b.json\" -Confirm:$false").FullyQualifiedErrorId);

            var file = Path.Combine(Path.GetTempPath(), "dbx-import-" + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                ps.Run("Export-DbxProvisioningConfiguration -Path $file | Out-Null", new Dictionary<string, object> { ["file"] = file });
                var exported = File.ReadAllText(file);
                var before = File.ReadAllText(Path.Combine(connection.StatePath, "configuration.json"));
                void Refused(string text, string id)
                {
                    File.WriteAllText(file, text);
                    var e = SingleError(ps, "Import-DbxProvisioningConfiguration -Path $file -Confirm:$false".Replace("$file", "'" + file + "'"));
                    Assert.StartsWith(id + ",", e.FullyQualifiedErrorId);
                    Assert.Equal(before, File.ReadAllText(Path.Combine(connection.StatePath, "configuration.json")));
                }
                Assert.Contains("\"deletionThreshold\": 9", exported);
                Refused(exported.Replace("\"deletionThreshold\": 9", "\"deletionThreshold\": 9, \"deletionThreshold\": 500"), "ImportDbxProvisioningConfigurationInvalidConfigurationFile");
                Refused(exported.Replace("\"deletionThreshold\": 9", "\"deletionThreshold\": 9, \"DeletionThreshold\": 500"), "ImportDbxProvisioningConfigurationInvalidConfigurationFile");
                var json = JObject.Parse(exported);
                json["settings"]["notificationEmail"] = "not an email";
                Refused(json.ToString(), "ImportDbxProvisioningConfigurationInvalidNotificationEmail");
                json["settings"]["notificationEmail"] = new string('a', 1_000_000) + "@contoso.com";
                Refused(json.ToString(), "ImportDbxProvisioningConfigurationInvalidNotificationEmail");
                Assert.StartsWith("SetDbxProvisioningSettingInvalidNotificationEmail,", SingleError(ps, "Set-DbxProvisioningSetting -NotificationEmail ('a' * 1000 + '@contoso.com')").FullyQualifiedErrorId);
            }
            finally { File.Delete(file); }
        }

        [Fact]
        public void A_sandbox_connection_takes_its_temporary_state_directory_with_it()
        {
            string first, second, switched;
            using (var ps = new PowerShellSession())
            {
                first = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 5").StatePath;
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                Assert.True(System.IO.Directory.Exists(first));
                ps.Run("Disconnect-DbxTenant");
                Assert.False(System.IO.Directory.Exists(first));

                second = ps.Single<DbxConnection>("$c = Connect-DbxTenant -Sandbox -SandboxUserCount 5; Invoke-DbxProvisioningCycle | Out-Null; $c").StatePath;
                switched = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxConnection $c -Api TeamApi").StatePath;
                Assert.Equal(second, switched);
                ps.Run("Disconnect-DbxTenant"); // the first connection still uses it
                Assert.True(System.IO.Directory.Exists(second));
            }
            Assert.False(System.IO.Directory.Exists(second)); // with the session
        }

        [Fact]
        public void A_redirected_token_request_sends_the_secret_nowhere_else()
        {
            using var elsewhere = new ScriptedServer((_, response) => { response.StatusCode = 200; return "{\"access_token\":\"x\",\"expires_in\":3600}"; });
            using var authority = new ScriptedServer((_, response) => { response.StatusCode = 307; response.RedirectLocation = new Uri(elsewhere.BaseUri, "/token").ToString(); return ""; });
            using var ps = new PowerShellSession();
            var state = NewDirectory();
            var error = SingleError(ps,
                "$secret = [System.Net.NetworkCredential]::new('', 'the-client-secret-value').SecurePassword; " +
                $"Connect-DbxTenant -TenantUrl '{new Uri(authority.BaseUri, "/scim/v2")}' -SecretToken $secret -TenantId contoso.onmicrosoft.com -ClientId '{Guid.NewGuid()}' " +
                $"-ClientSecret $secret -ServicePrincipalId '{Guid.NewGuid()}' -GraphEndpoint '{authority.BaseUri}' -AuthorityHost '{authority.BaseUri}' -StatePath '{state}'");
            System.IO.Directory.Delete(state, true);
            Assert.StartsWith("ConnectDbxTenantRedirectRefused,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.Empty(elsewhere.Received);
            Assert.Contains("the-client-secret-value", authority.Received.Single().Body);
        }

        [Fact]
        public void A_url_password_and_an_echoed_token_stay_out_of_error_messages()
        {
            using var ps = new PowerShellSession();
            var error = SingleError(ps,
                "$t = [System.Net.NetworkCredential]::new('', 'x').SecurePassword; " +
                $"Connect-DbxTenant -TenantUrl 'http://admin:Pa55w0rd-in-url@scim.example.com/scim/v2' -SecretToken $t -GraphAccessToken $t -ServicePrincipalId '{Guid.NewGuid()}'");
            Assert.StartsWith("ConnectDbxTenantInsecureUrl,", error.FullyQualifiedErrorId);
            Assert.DoesNotContain("Pa55w0rd-in-url", error.ToString());
            Assert.DoesNotContain("Pa55w0rd-in-url", error.Exception.Message);
            Assert.DoesNotContain("Pa55w0rd-in-url", error.TargetObject?.ToString() ?? "");

            // A URL that is not one at all, with a password in it: the cmdlet's own refusal masks it too.
            error = SingleError(ps,
                "$t = [System.Net.NetworkCredential]::new('', 'x').SecurePassword; " +
                $"Connect-DbxTenant -TenantUrl 'https://scim.example.com/scim/v2' -SecretToken $t -GraphAccessToken $t -ServicePrincipalId '{Guid.NewGuid()}' -GraphEndpoint 'ftp://admin:Pa55w0rd-in-url@graph.example.com/'");
            Assert.StartsWith("ConnectDbxTenantInvalidUrl,", error.FullyQualifiedErrorId);
            Assert.Contains("-GraphEndpoint 'ftp://admin:***@graph.example.com/'", error.Exception.Message);
            Assert.DoesNotContain("Pa55w0rd-in-url", error.ToString());
            Assert.DoesNotContain("Pa55w0rd-in-url", error.TargetObject?.ToString() ?? "");

            const string token = "eyJ0eXAiOiJKV1QifQ.echoed-graph-token-0123456789";
            using var echo = new ScriptedServer((request, response) =>
            {
                response.StatusCode = 403;
                response.ContentType = "application/json";
                return "{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Denied for " + request.Authorization + " (" + token + ")\"}}";
            });
            var state = NewDirectory();
            error = SingleError(ps,
                $"$t = [System.Net.NetworkCredential]::new('', '{token}').SecurePassword; " +
                $"Connect-DbxTenant -TenantUrl '{new Uri(echo.BaseUri, "/scim/v2")}' -SecretToken $t -GraphAccessToken $t -ServicePrincipalId '{Guid.NewGuid()}' -GraphEndpoint '{echo.BaseUri}' -StatePath '{state}'");
            System.IO.Directory.Delete(state, true);
            Assert.Contains("Denied for", error.Exception.Message);
            Assert.DoesNotContain("echoed-graph-token", error.ToString());
            Assert.DoesNotContain("echoed-graph-token", error.Exception.ToString());
        }
    }
}
