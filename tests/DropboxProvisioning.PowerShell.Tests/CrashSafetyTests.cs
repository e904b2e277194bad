using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using DropboxProvisioning.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Cycles run in a child process (dbxhost, the module in a real PowerShell engine) that is killed at
    /// points chosen by a fixed seed; after each kill the state opens cleanly, and at the end Dropbox holds
    /// exactly the intended accounts, each once, each recorded. CI runs a short form; DBX_SOAK=1 runs at
    /// least 50 kill points over 3,000 users (in each test, the deadline one included).
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class CrashSafetyTests
    {
        private readonly ITestOutputHelper _output;
        public CrashSafetyTests(ITestOutputHelper output) => _output = output;

        private static bool Soak => Environment.GetEnvironmentVariable("DBX_SOAK") == "1";

        private static string HostDll()
        {
            var bin = Path.Combine(PowerShellSession.RepositoryRoot, "src", "DropboxProvisioning.Host", "bin");
            return System.IO.Directory.GetFiles(bin, "dbxhost.dll", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc).First();
        }

        private const string Connect =
            "$token = [System.Net.NetworkCredential]::new('', $env:DBX_SCIM_TOKEN).SecurePassword; " +
            "$secret = [System.Net.NetworkCredential]::new('', $env:DBX_CLIENT_SECRET).SecurePassword; " +
            "$where = if ($env:DBX_STATE_URI) { @{ StateStorageUri = $env:DBX_STATE_URI; StateStorageAccountKey = [System.Net.NetworkCredential]::new('', $env:DBX_STATE_KEY).SecurePassword } } else { @{ StatePath = $env:DBX_STATE } }; " +
            "Connect-DbxTenant -TenantUrl $env:DBX_SCIM_URL -SecretToken $token -TenantId $env:DBX_TENANT -ClientId $env:DBX_CLIENT -ClientSecret $secret " +
            "-ServicePrincipalId $env:DBX_SP -GraphEndpoint $env:DBX_ROOT -AuthorityHost $env:DBX_ROOT @where | Out-Null; ";

        private const string Cycle = "Invoke-DbxProvisioningCycle -Force";

        /// <summary>The lease of the kill tests' blob store: Azure's shortest, so that a killed child's lease lapses soon.</summary>
        private const int LeaseSeconds = 15;

        /// <summary>A job's state for the kill tests: a temporary directory, or a container in Azurite.</summary>
        private sealed class Place
        {
            public Place(StoreKind kind)
            {
                Kind = kind;
                if (kind == StoreKind.Local) Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dbx-crash-" + Guid.NewGuid().ToString("N"));
                else Path = Azurite.Shared.NewContainer("job");
            }

            public StoreKind Kind { get; }
            /// <summary>The directory, or the container's URI.</summary>
            public string Path { get; }

            public StateStore Open() => Kind == StoreKind.Local ? new StateStore(Path)
                : new StateStore(State.Storage.BlobContainerStorage.Open(new State.Storage.BlobStateOptions { Uri = Path, AccountKey = Security.SecureStrings.FromText(Azurite.AccountKey) }));

            private bool _lapsedOnce;

            /// <summary>
            /// After a kill: a local lock goes with its process; a lease left on the blob lapses by itself within its length.
            /// The first one is waited out (the next child takes over once it lapsed); later ones are broken, as an admin
            /// would (az storage blob lease break), so that each kill does not cost the lease's 15 s.
            /// </summary>
            public void AwaitLockReleased()
            {
                if (Kind == StoreKind.Local) return;
                var blob = Azurite.Shared.Container(Path).GetBlobClient("job/cycle.lock");
                if (_lapsedOnce && blob.Exists().Value && blob.GetProperties().Value.LeaseState == Azure.Storage.Blobs.Models.LeaseState.Leased)
                    Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions.GetBlobLeaseClient(blob).Break(TimeSpan.Zero);
                var waited = Stopwatch.StartNew();
                while (blob.Exists().Value && blob.GetProperties().Value.LeaseState == Azure.Storage.Blobs.Models.LeaseState.Leased)
                {
                    Assert.True(waited.Elapsed < TimeSpan.FromSeconds(LeaseSeconds + 10), "a killed child's lease did not lapse");
                    Thread.Sleep(250);
                    _lapsedOnce = true;
                }
            }

            public void Remove()
            {
                if (Kind == StoreKind.Local) { try { System.IO.Directory.Delete(Path, true); } catch (IOException) { } }
                else Azurite.Shared.Container(Path).DeleteIfExists();
            }
        }

        /// <summary>
        /// Runs a cycle in a child and kills it at a random point: after a number of Dropbox writes (mid-execution), or
        /// after a time (start-up, import, planning), one in <paramref name="timeKillOneIn"/>. The state must open cleanly
        /// after every kill. True when the child was killed rather than finishing first.
        /// </summary>
        /// <param name="command">What the child runs after connecting: a cycle, or one with a deadline.</param>
        private bool RunUntilKillPoint(LoopbackServer server, SandboxTenant tenant, Place place, Random random, int k, int timeKillOneIn, int maxWrites, string command = Cycle)
        {
            var killed = false;
            var writesBefore = tenant.Journal.Count("scim", writesOnly: true);
            var afterWrites = random.Next(timeKillOneIn) == 0 ? (int?)null : random.Next(1, maxWrites);
            var afterTime = TimeSpan.FromMilliseconds(random.Next(200, 2000));
            using (var child = StartChild(server, place, command))
            {
                var clock = Stopwatch.StartNew();
                while (!child.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
                {
                    if (afterWrites != null ? tenant.Journal.Count("scim", writesOnly: true) - writesBefore >= afterWrites : clock.Elapsed >= afterTime) break;
                    Thread.Sleep(2);
                }
                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                    killed = true;
                }
                child.WaitForExit();
            }
            place.Open().LoadState();
            if (killed) place.AwaitLockReleased();
            _output.WriteLine($"kill {k}: {(afterWrites != null ? afterWrites + " writes" : afterTime.TotalMilliseconds + " ms")}, Dropbox writes so far {tenant.Journal.Count("scim", writesOnly: true)}, members {tenant.Dropbox.Members.Count}");
            return killed;
        }

        /// <summary>Cycles run to their end, in pairs, until the second of a pair writes nothing (at most <paramref name="tries"/> pairs).</summary>
        private void RunUntilQuiet(LoopbackServer server, SandboxTenant tenant, Place place, int tries)
        {
            for (var i = 0; i < tries; i++)
            {
                using var child = StartChild(server, place);
                Assert.True(child.WaitForExit(180_000), "a clean cycle did not finish");
                var writes = tenant.Journal.Count("scim", writesOnly: true);
                using var again = StartChild(server, place);
                Assert.True(again.WaitForExit(180_000));
                if (tenant.Journal.Count("scim", writesOnly: true) == writes) break;
            }
        }

        /// <summary>
        /// What the team and the state hold against what Entra says, each of which must be 0: accounts held twice, intended
        /// accounts missing, accounts the state lost track of, and accounts whose display name is not Entra's.
        /// </summary>
        private static (int Duplicates, int Missing, int Lost, int Stale) Convergence(SandboxTenant tenant, ProvisioningState state)
        {
            var members = tenant.Dropbox.Members;
            var duplicates = members.Count - members.Select(m => m.Email.ToLowerInvariant()).Distinct().Count();
            var expected = Targets.ExpectedUserNames(tenant);
            var missing = expected.Count(upn => tenant.Dropbox.FindByEmail(upn) == null);
            var byTarget = state.Users.Values.ToDictionary(m => m.TargetId, StringComparer.Ordinal);
            var lost = expected.Select(upn => tenant.Dropbox.FindByEmail(upn)).Count(m => m != null && !byTarget.ContainsKey(m.TeamMemberId));
            var stale = tenant.Directory.Users.Where(u => expected.Contains(u.UserPrincipalName)).Count(u => tenant.Dropbox.FindByEmail(u.UserPrincipalName)?.DisplayName != u.DisplayName);
            return (duplicates, missing, lost, stale);
        }

        private Process StartChild(LoopbackServer server, Place place, string command = Cycle)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = PowerShellSession.RepositoryRoot };
            start.ArgumentList.Add(HostDll());
            start.ArgumentList.Add("-Command");
            start.ArgumentList.Add(Connect + command);
            start.Environment["DBX_SCIM_URL"] = server.ScimUrl.ToString();
            start.Environment["DBX_ROOT"] = server.BaseUri.ToString();
            start.Environment["DBX_SCIM_TOKEN"] = SandboxCredentials.ScimToken;
            start.Environment["DBX_CLIENT_SECRET"] = SandboxCredentials.ClientSecret;
            start.Environment["DBX_TENANT"] = SandboxCredentials.TenantId;
            start.Environment["DBX_CLIENT"] = SandboxCredentials.ClientId;
            start.Environment["DBX_SP"] = SandboxCredentials.ServicePrincipalId;
            if (place.Kind == StoreKind.Local) start.Environment["DBX_STATE"] = place.Path;
            else
            {
                start.Environment["DBX_STATE_URI"] = place.Path;
                start.Environment["DBX_STATE_KEY"] = Azurite.AccountKey;
                start.Environment["DBX_STATE_LEASE_SECONDS"] = LeaseSeconds.ToString();
            }
            var process = Process.Start(start);
            process.OutputDataReceived += (_, e) => { };
            process.ErrorDataReceived += (_, e) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        [Theory]
        [InlineData(StoreKind.Local)]
        [InlineData(StoreKind.Blob)]
        public void Killing_a_cycle_anywhere_never_loses_a_record_nor_duplicates_an_account(StoreKind kind)
        {
            var users = Soak ? 3000 : 1200;
            var kills = Soak ? 50 : 10;
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = users, Seed = 17 });
            tenant.Options.Latency = TimeSpan.FromMilliseconds(3);
            using var server = new LoopbackServer(tenant);
            var place = new Place(kind);
            var random = new Random(17);
            var killed = 0;
            try
            {
                var directoryUsers = tenant.Directory.Users.ToList();
                for (var k = 0; k < kills; k++)
                {
                    // New work for every child after the first: 200 renamed users, so each kill lands in a cycle with writes to make.
                    if (k > 0)
                        foreach (var user in Enumerable.Range(0, 200).Select(_ => directoryUsers[random.Next(directoryUsers.Count)]))
                            tenant.Directory.UpdateUser(user.Id, u => u.DisplayName = "Renamed " + random.Next(100000));

                    // A kill point: after a number of Dropbox writes (mid-execution), or after a time (start-up, import, planning).
                    if (RunUntilKillPoint(server, tenant, place, random, k, timeKillOneIn: 3, maxWrites: 150)) killed++;
                }

                RunUntilQuiet(server, tenant, place, tries: 4);

                var state = place.Open().LoadState();
                var (duplicates, missing, lost, stale) = Convergence(tenant, state);
                Assert.Equal(0, stale);
                _output.WriteLine($"{killed} kills over {users} users: duplicates {duplicates}, missing {missing}, records lost {lost}, managed {state.Users.Count}");
                Assert.True(killed >= kills * 2 / 3, $"only {killed} of {kills} children were killed before they finished");
                Assert.Equal(0, duplicates);
                Assert.Equal(0, missing);
                Assert.Equal(0, lost);
            }
            finally
            {
                place.Remove();
            }
        }

        /// <summary>
        /// Kills between which users are renamed (userPrincipalName, mail and mailNickname: every value a create is matched by)
        /// and unassigned or assigned again: a create sent by a killed child and never recorded is found again by what it sent.
        /// </summary>
        [Theory]
        [MemberData(nameof(LongFormStores))]
        public void Killing_cycles_between_renames_and_reassignments_leaves_no_duplicate_no_orphan_and_no_lost_record(StoreKind kind)
        {
            var users = Soak ? 3000 : 400;
            var kills = Soak ? 50 : 6;
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = users, Seed = 23 });
            tenant.Options.Latency = TimeSpan.FromMilliseconds(3);
            using var server = new LoopbackServer(tenant);
            var place = new Place(kind);
            var random = new Random(23);
            var killed = 0;
            var before = new HashSet<string>(tenant.Dropbox.Members.Select(m => m.TeamMemberId), StringComparer.Ordinal);
            // Every userPrincipalName and mailNickname each user has had: all of a person's accounts, whatever they were made as.
            var keys = tenant.Directory.Users.ToDictionary(u => u.Id, u => new HashSet<string>(new[] { u.UserPrincipalName, u.MailNickname }.Where(k => k != null), StringComparer.OrdinalIgnoreCase));
            var unassigned = new List<Sandbox.Directory.DirectoryUser>();
            try
            {
                for (var k = 0; k < kills; k++)
                {
                    if (k > 0)
                    {
                        var everyone = tenant.Directory.Users.ToList();
                        foreach (var user in Enumerable.Range(0, users / 20).Select(_ => everyone[random.Next(everyone.Count)]).Distinct())
                        {
                            var nick = "r" + k + "x" + random.Next(1000000);
                            var upn = nick + user.UserPrincipalName.Substring(user.UserPrincipalName.IndexOf('@'));
                            tenant.Directory.UpdateUser(user.Id, u => { u.UserPrincipalName = upn; u.Mail = upn; u.MailNickname = nick; });
                            keys[user.Id].Add(upn);
                            keys[user.Id].Add(nick);
                        }
                        foreach (var user in Targets.DirectUsers(tenant).OrderBy(_ => random.Next()).Take(users / 100))
                        {
                            tenant.Directory.Unassign(user.Id);
                            unassigned.Add(user);
                        }
                        foreach (var user in unassigned.Where(_ => random.Next(3) == 0).ToList())
                        {
                            tenant.Directory.Assign(user.Id, SandboxCredentials.UserAppRoleId);
                            unassigned.Remove(user);
                        }
                    }
                    if (RunUntilKillPoint(server, tenant, place, random, k, timeKillOneIn: 4, maxWrites: 120)) killed++;
                }

                RunUntilQuiet(server, tenant, place, tries: 4);

                var state = place.Open().LoadState();
                var managed = new HashSet<string>(state.Users.Values.Select(m => m.TargetId).Where(id => id != null), StringComparer.Ordinal);
                var made = tenant.Dropbox.Members.Where(m => m.Status != Sandbox.Dropbox.DropboxMemberStatus.Removed && !before.Contains(m.TeamMemberId)).ToList();
                var byKey = new Dictionary<string, List<Sandbox.Dropbox.DropboxMember>>(StringComparer.OrdinalIgnoreCase);
                foreach (var member in made)
                    foreach (var key in new[] { member.Email, member.ExternalId }.Where(k => k != null).Distinct(StringComparer.OrdinalIgnoreCase))
                    {
                        if (!byKey.TryGetValue(key, out var list)) byKey[key] = list = new List<Sandbox.Dropbox.DropboxMember>();
                        list.Add(member);
                    }
                var duplicates = keys.Values.Sum(k => Math.Max(0, k.SelectMany(key => byKey.TryGetValue(key, out var list) ? list : new List<Sandbox.Dropbox.DropboxMember>()).Distinct().Count() - 1));
                var orphans = made.Count(m => !managed.Contains(m.TeamMemberId));
                var expected = Targets.ExpectedUserNames(tenant);
                var missing = expected.Count(upn => tenant.Dropbox.FindByEmail(upn) == null);
                var lost = expected.Select(upn => tenant.Dropbox.FindByEmail(upn)).Count(m => m != null && !managed.Contains(m.TeamMemberId));
                var stillActive = unassigned.Select(u => tenant.Dropbox.FindByEmail(tenant.Directory.GetUser(u.Id).UserPrincipalName))
                    .Count(m => m != null && !before.Contains(m.TeamMemberId) && m.Status != Sandbox.Dropbox.DropboxMemberStatus.Suspended);
                _output.WriteLine($"{killed} kills over {users} users with renames and reassignments: duplicates {duplicates}, orphans {orphans}, missing {missing}, records lost {lost}, unassigned still active {stillActive}, managed {state.Users.Count}");
                Assert.True(killed >= kills * 2 / 3, $"only {killed} of {kills} children were killed before they finished");
                Assert.Equal(0, duplicates);
                Assert.Equal(0, orphans);
                Assert.Equal(0, missing);
                Assert.Equal(0, lost);
                Assert.Equal(0, stillActive);
            }
            finally
            {
                place.Remove();
            }
        }

        /// <summary>
        /// The stores the renames and deadline kill tests run on: the local directory always; the blob store too in the long
        /// form (DBX_SOAK=1). CI's short form kills cycles on the blob store in the first kill test and the lock test, which
        /// keeps .ci/run under 20 minutes.
        /// </summary>
        public static IEnumerable<object[]> LongFormStores() =>
            Soak ? new[] { new object[] { StoreKind.Local }, new object[] { StoreKind.Blob } } : new[] { new object[] { StoreKind.Local } };

        /// <summary>
        /// Children that run with a deadline of three to eight seconds, so that some stop there (Partial) and their successors
        /// continue them, killed at random points: in a part that would stop at its deadline, in a part that continues one,
        /// before either writes. Renames and unassignments come between children. Then plain cycles run until one has
        /// nothing to do: Dropbox holds exactly the intended accounts, each once, each recorded, and no partial cycle is left.
        /// </summary>
        [Theory]
        [MemberData(nameof(LongFormStores))]
        public void Killing_cycles_that_stop_at_a_deadline_and_those_that_continue_them_anywhere_converges(StoreKind kind)
        {
            var users = Soak ? 3000 : 700;
            // The long form runs children until 50 have been killed (some stop at their deadline or finish first, and the
            // first is never killed), at most 150; the short form runs 8 and needs half of them killed.
            var kills = Soak ? 50 : 8;
            var children = Soak ? 150 : 8;
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = users, Seed = 29 });
            tenant.Options.Latency = TimeSpan.FromMilliseconds(3);
            using var server = new LoopbackServer(tenant);
            var place = new Place(kind);
            var random = new Random(29);
            var (killed, killedContinuing, stopped) = (0, 0, 0);
            var unassigned = new List<Sandbox.Directory.DirectoryUser>();
            try
            {
                var directoryUsers = tenant.Directory.Users.ToList();
                for (var k = 0; k < children && killed < kills; k++)
                {
                    if (k > 0)
                    {
                        foreach (var user in Enumerable.Range(0, users / 25).Select(_ => directoryUsers[random.Next(directoryUsers.Count)]))
                            tenant.Directory.UpdateUser(user.Id, u => u.DisplayName = "Renamed " + random.Next(100000));
                        foreach (var user in Targets.DirectUsers(tenant).OrderBy(_ => random.Next()).Take(2))
                        {
                            tenant.Directory.Unassign(user.Id);
                            unassigned.Add(user);
                        }
                    }
                    var continuing = place.Open().LoadState().PartialCycle != null;
                    // Three to eight seconds at 700 users, longer in proportion for the long form's 3,000: a part must get past
                    // reading the tenant to write at all (at 3,000 users on the blob store, 3 to 8 seconds left 42 of 50 parts
                    // stopping at their deadline before their first write, and none was killed in them).
                    var deadline = " -MaxDuration " + TimeSpan.FromSeconds(random.Next(3, 9) * Math.Max(1.0, users / 700.0)).ToString(@"hh\:mm\:ss");
                    if (k == 0)
                    {
                        // The first child reaches its deadline: every later one continues a partial cycle (or the one its predecessor left).
                        using var first = StartChild(server, place, Cycle + deadline);
                        Assert.True(first.WaitForExit(180_000), "a cycle with a deadline did not stop");
                        Assert.NotNull(place.Open().LoadState().PartialCycle);
                        stopped++;
                        continue;
                    }
                    if (RunUntilKillPoint(server, tenant, place, random, k, timeKillOneIn: 4, maxWrites: 60, command: Cycle + deadline))
                    {
                        killed++;
                        if (continuing) killedContinuing++;
                    }
                    else if (place.Open().LoadState().History.FirstOrDefault()?.Status == CycleStatus.Partial) stopped++;
                }

                RunUntilQuiet(server, tenant, place, tries: 5);

                var state = place.Open().LoadState();
                var (duplicates, missing, lost, stale) = Convergence(tenant, state);
                var stillActive = unassigned.Select(u => tenant.Dropbox.FindByEmail(u.UserPrincipalName))
                    .Count(m => m != null && m.Status != Sandbox.Dropbox.DropboxMemberStatus.Suspended && m.Status != Sandbox.Dropbox.DropboxMemberStatus.Removed);
                _output.WriteLine($"{killed} kills ({killedContinuing} in continued parts), {stopped} stopped at their deadline, over {users} users: duplicates {duplicates}, missing {missing}, records lost {lost}, stale {stale}, unassigned still active {stillActive}, managed {state.Users.Count}");
                Assert.True(Soak ? killed >= kills : killed >= children / 2, $"only {killed} of {children} children were killed before they finished");
                Assert.True(killedContinuing > 0, "no kill landed in a part that continued a cycle stopped at its deadline");
                Assert.True(stopped + killedContinuing > 0);
                Assert.Null(state.PartialCycle);
                Assert.Equal(0, duplicates);
                Assert.Equal(0, missing);
                Assert.Equal(0, lost);
                Assert.Equal(0, stale);
                Assert.Equal(0, stillActive);
            }
            finally
            {
                place.Remove();
            }
        }

        [Theory]
        [InlineData(StoreKind.Local)]
        [InlineData(StoreKind.Blob)]
        public void A_second_cycle_on_the_same_state_is_refused_while_the_first_runs_and_a_dead_lock_file_is_recovered(StoreKind kind)
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 120, Seed = 4 });
            using var server = new LoopbackServer(tenant);
            var place = kind == StoreKind.Local ? null : new Place(kind);
            var statePath = place?.Path ?? Path.Combine(Path.GetTempPath(), "dbx-lock-" + Guid.NewGuid().ToString("N"));
            var variables = new Dictionary<string, object>
            {
                ["scimUrl"] = server.ScimUrl.ToString(), ["root"] = server.BaseUri.ToString(), ["statePath"] = statePath, ["key"] = Security.SecureStrings.FromText(Azurite.AccountKey),
                ["token"] = Security.SecureStrings.FromText(SandboxCredentials.ScimToken), ["secret"] = Security.SecureStrings.FromText(SandboxCredentials.ClientSecret),
            };
            const string Connect = "Connect-DbxTenant -TenantUrl $scimUrl -SecretToken $token -TenantId '" + SandboxCredentials.TenantId + "' -ClientId '" + SandboxCredentials.ClientId +
                "' -ClientSecret $secret -ServicePrincipalId '" + SandboxCredentials.ServicePrincipalId + "' -GraphEndpoint $root -AuthorityHost $root ";
            var connect = Connect + (kind == StoreKind.Local ? "-StatePath $statePath | Out-Null" : "-StateStorageUri $statePath -StateStorageAccountKey $key | Out-Null");
            try
            {
                // A lock file left behind by a process that no longer runs does not block anything (a lock blob whose lease lapsed, with its holder).
                if (kind == StoreKind.Local)
                {
                    System.IO.Directory.CreateDirectory(statePath);
                    File.WriteAllText(Path.Combine(statePath, "cycle.lock"), "999999 gone-host 2020-01-01T00:00:00Z cycle\n");
                }
                else
                    Azurite.Shared.Container(statePath).GetBlobClient("job/cycle.lock").Upload(new BinaryData(new byte[0]),
                        new Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = new Dictionary<string, string> { ["holder"] = "999999 gone-host 2020-01-01T00:00:00Z cycle" } });

                using var first = new PowerShellSession();
                using var second = new PowerShellSession();
                first.Run(connect, variables);
                second.Run(connect, variables);
                tenant.Options.Latency = TimeSpan.FromMilliseconds(60);
                var running = Task.Run(() => first.Invoke("Invoke-DbxProvisioningCycle"));
                SpinWait.SpinUntil(() => tenant.Journal.Count("scim", writesOnly: true) >= 3, TimeSpan.FromSeconds(30));
                second.Invoke("Invoke-DbxProvisioningCycle");
                var refused = Assert.Single(second.Errors);
                Assert.StartsWith("InvokeDbxProvisioningCycleCycleRunning,", refused.FullyQualifiedErrorId);
                Assert.Equal(System.Management.Automation.ErrorCategory.ResourceBusy, refused.CategoryInfo.Category);
                Assert.Contains(statePath, refused.Exception.Message);

                Assert.True(running.Wait(TimeSpan.FromSeconds(120)));
                Assert.Empty(first.Errors);
                tenant.Options.Latency = TimeSpan.Zero;
                var after = second.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, after.Created);
            }
            finally
            {
                if (place != null) place.Remove();
                else try { System.IO.Directory.Delete(statePath, true); } catch (IOException) { }
            }
        }
    }
}
