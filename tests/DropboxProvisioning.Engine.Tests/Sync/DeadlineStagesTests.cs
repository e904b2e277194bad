using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>The deadline through the stages, with the snapshots and the clock handed in: the runner, the outcome, the continuation.</summary>
    public sealed class DeadlineStagesTests
    {
        /// <summary>
        /// Entra ID as the test says: every user entitled, read whole (initial), or only those the test says changed
        /// (incremental, as a delta round gives them).
        /// </summary>
        private sealed class GivenDirectory : IDirectoryReader
        {
            public List<SourceObject> Users { get; } = new List<SourceObject>();
            public CycleMode Mode { get; set; } = CycleMode.Initial;
            public HashSet<string> Changed { get; } = new HashSet<string>();
            public int Link { get; set; } = 1;

            public Task<DirectorySnapshot> ReadAsync(ProvisioningSettings settings, CompiledMapping mapping, CompiledMapping groupMapping, ProvisioningState state, CancellationToken cancellationToken)
            {
                var snapshot = new DirectorySnapshot { Mode = Mode, UsersDeltaLink = $"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=u{Link}", GroupsDeltaLink = $"https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=g{Link}" };
                foreach (var user in Users) snapshot.Entitled.Add(user.Id);
                foreach (var user in Users.Where(u => Mode == CycleMode.Initial || Changed.Contains(u.Id))) snapshot.Add(user, mapping);
                return Task.FromResult(snapshot);
            }

            // On-demand runs are not what these tests are about.
            public Task<SingleUserRead> ReadUserAsync(ProvisioningSettings settings, CompiledMapping mapping, string userId, CancellationToken cancellationToken) =>
                throw new NotSupportedException("no on-demand read in the deadline tests");

            public Task<SingleGroupRead> ReadGroupAsync(ProvisioningSettings settings, CompiledMapping groupMapping, string groupId, CancellationToken cancellationToken) =>
                throw new NotSupportedException("no on-demand read in the deadline tests");
        }

        /// <summary>Dropbox as the cycle would read it: nothing for an initial cycle, the managed accounts from the state otherwise.</summary>
        private sealed class EmptyDropbox : IDropboxReader
        {
            public Task<DropboxSnapshot> ReadUsersAsync(CompiledMapping mapping, ProvisioningState state, DirectorySnapshot directory, CancellationToken cancellationToken) =>
                Task.FromResult(DropboxSnapshot.Of(mapping, state.Users.Values.Select(m => new JObject { ["id"] = m.TargetId, ["userName"] = m.TargetIdentity, ["active"] = m.Active })));
            public Task<DropboxGroupSnapshot> ReadGroupsAsync(ProvisioningState state, DirectorySnapshot directory, IEnumerable<string> wantedNames, CancellationToken cancellationToken) =>
                Task.FromResult(DropboxGroupSnapshot.Of(new JObject[0]));
            public Task<DropboxSnapshot> ReadUserAsync(CompiledMapping mapping, ManagedObject managed, SourceObject user, CancellationToken cancellationToken) =>
                Task.FromResult(DropboxSnapshot.Of(mapping, new JObject[0]));
            public Task<DropboxGroupSnapshot> ReadGroupAsync(ManagedObject managed, string name, CancellationToken cancellationToken) =>
                Task.FromResult(DropboxGroupSnapshot.Of(new JObject[0]));
        }

        /// <summary>Dropbox as <see cref="EmptyDropbox"/> reads it, and besides the managed accounts some the engine does not manage.</summary>
        private sealed class DropboxWith : IDropboxReader
        {
            private readonly EmptyDropbox _managed = new EmptyDropbox();
            private readonly JObject[] _unmanaged;
            public DropboxWith(params JObject[] unmanaged) { _unmanaged = unmanaged; }
            public async Task<DropboxSnapshot> ReadUsersAsync(CompiledMapping mapping, ProvisioningState state, DirectorySnapshot directory, CancellationToken cancellationToken) =>
                DropboxSnapshot.Of(mapping, state.Users.Values.Select(m => new JObject { ["id"] = m.TargetId, ["userName"] = m.TargetIdentity, ["active"] = m.Active })
                    .Concat(_unmanaged.Where(u => state.Users.Values.All(m => m.TargetId != (string)u["id"]))));
            public Task<DropboxGroupSnapshot> ReadGroupsAsync(ProvisioningState state, DirectorySnapshot directory, IEnumerable<string> wantedNames, CancellationToken cancellationToken) =>
                _managed.ReadGroupsAsync(state, directory, wantedNames, cancellationToken);
            public Task<DropboxSnapshot> ReadUserAsync(CompiledMapping mapping, ManagedObject managed, SourceObject user, CancellationToken cancellationToken) =>
                _managed.ReadUserAsync(mapping, managed, user, cancellationToken);
            public Task<DropboxGroupSnapshot> ReadGroupAsync(ManagedObject managed, string name, CancellationToken cancellationToken) =>
                _managed.ReadGroupAsync(managed, name, cancellationToken);
        }

        private static SourceObject NoSurname(RunnerWorld world, string name)
        {
            var user = world.User(name);
            user.Set("surname", null);
            return user;
        }

        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public async Task At_a_deadline_passed_before_the_first_write_every_write_is_left_skips_still_run_and_no_create_stays_pending(DropboxApiKind api)
        {
            using var world = await RunnerWorld.CreateAsync(api);
            var directory = new GivenDirectory();
            directory.Users.AddRange(new[] { world.User("dl1"), world.User("dl2"), world.User("dl3"), NoSurname(world, "dl4") });
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, directory, new EmptyDropbox());
            var plan = await cycle.PlanAsync(CancellationToken.None, maxDuration: TimeSpan.FromMinutes(5));
            Assert.Equal(world.Clock.UtcNow.AddMinutes(5), plan.Deadline);
            world.Clock.UtcNow = world.Clock.UtcNow.AddMinutes(5); // planning took the whole time
            var result = await cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None);

            Assert.Equal((CycleStatus.Partial, 0, 1, 3), (result.Status, result.Created, result.Skipped, result.RemainingChanges.Create));
            Assert.Equal("Create 3", result.RemainingChanges.ToString());
            Assert.Null(result.Quarantine);
            Assert.DoesNotContain(world.Tenant.Dropbox.Members, m => m.Email.StartsWith("dl"));
            Assert.False(File.Exists(Path.Combine(world.Connection.StatePath, PendingWrites.FileName)));
            var state = world.Connection.Store.LoadState();
            Assert.Equal(new[] { "u-dl1", "u-dl2", "u-dl3" }, state.PartialCycle.Remaining.Select(r => r.SourceId));
            Assert.Equal("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=u1", state.UsersDeltaLink); // the next part reads from here
            var log = new ProvisioningLogStore(world.Connection.Store.LogDirectory).Read().ToList();
            Assert.Equal(new[] { "Cycle", "User" }, log.Select(r => r.ObjectType).OrderBy(t => t));

            // The next part reads only what changed (nothing) and makes the three creates as planned.
            directory.Mode = CycleMode.Incremental;
            directory.Link = 2;
            var next = new ProvisioningCycle(world.Connection, null, world.Clock, directory, new EmptyDropbox());
            var again = await next.PlanAsync(CancellationToken.None);
            Assert.Equal(3, again.Changes.Count);
            var second = await next.ExecuteAsync(again, again.Changes.ToList(), CancellationToken.None);
            Assert.Equal((CycleStatus.Succeeded, 3, CycleMode.Initial, 2), (second.Status, second.Created, second.Mode, second.Part));
            Assert.Equal(3, world.Tenant.Dropbox.Members.Count(m => m.Email.StartsWith("dl")));
            Assert.Null(world.Connection.Store.LoadState().PartialCycle);
        }

        [Fact]
        public async Task Under_WhatIf_a_cycle_with_a_deadline_and_one_that_continues_a_partial_cycle_write_nothing()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            var directory = new GivenDirectory();
            directory.Users.AddRange(new[] { world.User("wi1"), world.User("wi2") });
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, directory, new EmptyDropbox());
            var first = await cycle.PlanAsync(CancellationToken.None, maxDuration: TimeSpan.FromSeconds(1));
            world.Clock.UtcNow = world.Clock.UtcNow.AddSeconds(1);
            await cycle.ExecuteAsync(first, first.Changes.ToList(), CancellationToken.None);
            var before = File.ReadAllText(world.Connection.Store.StateFile);

            directory.Mode = CycleMode.Incremental;
            using (var look = await cycle.PlanAsync(CancellationToken.None, whatIf: true, maxDuration: TimeSpan.FromSeconds(1)))
            {
                Assert.Equal(new[] { "u-wi1", "u-wi2" }, look.Changes.Where(c => c.Planned == ChangeAction.Create).Select(c => c.SourceId));
                Assert.Equal(first.CycleId, look.ContinuesCycleId);
                Assert.Equal(CycleMode.Initial, look.Mode);
            }
            Assert.Equal(before, File.ReadAllText(world.Connection.Store.StateFile));
            Assert.DoesNotContain(world.Tenant.Dropbox.Members, m => m.Email.StartsWith("wi"));
        }

        [Fact]
        public async Task A_change_of_configuration_between_parts_begins_a_new_initial_cycle_that_plans_everything_again()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            var directory = new GivenDirectory();
            directory.Users.AddRange(new[] { world.User("cc1"), world.User("cc2") });
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, directory, new EmptyDropbox());
            var plan = await cycle.PlanAsync(CancellationToken.None, maxDuration: TimeSpan.FromSeconds(1));
            world.Clock.UtcNow = world.Clock.UtcNow.AddSeconds(1);
            Assert.Equal(CycleStatus.Partial, (await cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None)).Status);

            var configuration = world.Connection.Store.LoadConfiguration();
            configuration.Settings.DeletionThreshold = 77;
            world.Connection.Store.SaveConfiguration(configuration);
            using (var again = await cycle.PlanAsync(CancellationToken.None))
            {
                Assert.Null(again.ContinuesCycleId);
                Assert.Equal(CycleMode.Initial, again.Mode);
                Assert.Equal(2, again.Changes.Count(c => c.Planned == ChangeAction.Create)); // planned afresh from the initial read
            }

            // Changing the deadline itself is no change of configuration: the partial cycle is continued.
            configuration.Settings.DeletionThreshold = 500;
            world.Connection.Store.SaveConfiguration(configuration);
            configuration.Settings.MaxCycleDuration = TimeSpan.FromHours(3);
            world.Connection.Store.SaveConfiguration(configuration);
            using (var continued = await cycle.PlanAsync(CancellationToken.None)) Assert.Equal(plan.CycleId, continued.ContinuesCycleId);
        }

        [Fact]
        public async Task A_part_that_stops_has_its_failures_judged_only_with_the_last_part_over_all_of_them()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            var result = new CycleResult { CycleId = "c", StartTime = world.Clock.UtcNow, EndTime = world.Clock.UtcNow, Failed = 0 };
            var state = new ProvisioningState();
            var outcome = new CycleOutcome(world.Connection.Directory, NullCycleObserver.Instance);
            await outcome.JudgeAsync(result, state, new ProvisioningSettings(), operations: 12, objectsInScope: 20, credentialFailure: null, held: 0, CancellationToken.None);
            Assert.Null(state.Quarantine);
            await outcome.JudgeAsync(result, state, new ProvisioningSettings(), operations: 12, objectsInScope: 20, credentialFailure: null, held: 0, CancellationToken.None, earlierFailures: 10);
            Assert.Equal(QuarantinePolicy.EscrowProportion, state.Quarantine?.Reason);
            Assert.Equal(CycleStatus.Partial, CycleOutcome.StatusOf(new CycleResult { Failed = 3 }, credentialsRefused: false, cancelled: false, stoppedAtDeadline: true));
            Assert.Equal(CycleStatus.Cancelled, CycleOutcome.StatusOf(new CycleResult(), credentialsRefused: false, cancelled: true, stoppedAtDeadline: true));
        }
    
        [Fact]
        public async Task A_change_declined_at_the_prompt_in_a_continued_part_is_neither_written_nor_lost_from_the_remaining_work()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            var directory = new GivenDirectory();
            directory.Users.AddRange(new[] { world.User("cd1"), world.User("cd2"), world.User("cd3") });
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, directory, new EmptyDropbox());
            var plan = await cycle.PlanAsync(CancellationToken.None, maxDuration: TimeSpan.FromSeconds(1));
            world.Clock.UtcNow = world.Clock.UtcNow.AddSeconds(1);
            Assert.Equal(CycleStatus.Partial, (await cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None)).Status);
            directory.Mode = CycleMode.Incremental; // the watermarks moved with part 1: nothing changed in Entra since
            string[] Remaining() => world.Connection.Store.LoadState().PartialCycle?.Remaining.Select(r => r.SourceId).OrderBy(id => id).ToArray() ?? new string[0];

            // Part 2 reaches its deadline before its first write, with cd2's create declined: all three remain.
            var stopped = await cycle.PlanAsync(CancellationToken.None, maxDuration: TimeSpan.FromSeconds(1));
            world.Clock.UtcNow = world.Clock.UtcNow.AddSeconds(1);
            var second = await cycle.ExecuteAsync(stopped, stopped.Changes.Where(c => c.SourceId != "u-cd2").ToList(), CancellationToken.None);
            Assert.Equal((CycleStatus.Partial, 3), (second.Status, second.RemainingChanges.Create));
            Assert.Equal(new[] { "u-cd1", "u-cd2", "u-cd3" }, Remaining());

            // Part 3 runs to its end with cd2 declined again: cd1 and cd3 are made, cd2 is not, and it remains.
            var declined = await cycle.PlanAsync(CancellationToken.None);
            var third = await cycle.ExecuteAsync(declined, declined.Changes.Where(c => c.SourceId != "u-cd2").ToList(), CancellationToken.None);
            Assert.Equal((CycleStatus.Partial, 2, 1, 3), (third.Status, third.Created, third.RemainingChanges.Create, third.Part));
            Assert.Equal(new[] { "u-cd2" }, Remaining());
            Assert.DoesNotContain(world.Tenant.Dropbox.Members, m => m.Email == "cd2@contoso.com");

            // Part 4, approved: cd2 is made, once, and the cycle is over.
            var approved = await cycle.PlanAsync(CancellationToken.None);
            Assert.Equal(new[] { "u-cd2" }, approved.Changes.Where(c => c.Planned == ChangeAction.Create).Select(c => c.SourceId));
            var fourth = await cycle.ExecuteAsync(approved, approved.Changes.ToList(), CancellationToken.None);
            Assert.Equal((CycleStatus.Succeeded, 1, CycleMode.Initial), (fourth.Status, fourth.Created, fourth.Mode));
            Assert.Null(world.Connection.Store.LoadState().PartialCycle);
            Assert.Equal(new[] { "cd1@contoso.com", "cd2@contoso.com", "cd3@contoso.com" }, world.Tenant.Dropbox.Members.Select(m => m.Email).Where(e => e.StartsWith("cd") && e.EndsWith("@contoso.com") && e.Length == 15).OrderBy(e => e));
        }

        [Fact]
        public async Task A_later_part_does_not_match_a_second_user_to_the_account_an_earlier_part_planned_to_adopt_for_another()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            var directory = new GivenDirectory();
            var first = world.User("shared");
            var second = world.User("other");
            directory.Users.AddRange(new[] { first, second });
            var existing = new JObject { ["id"] = "dbmid:shared", ["userName"] = "shared@contoso.com", ["active"] = true };
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, directory, new DropboxWith(existing));
            var plan = await cycle.PlanAsync(CancellationToken.None, maxDuration: TimeSpan.FromSeconds(1));
            var adoption = Assert.Single(plan.Changes, c => c.PlannedTargetId == "dbmid:shared");
            Assert.Equal(("u-shared", ChangeAction.Update), (adoption.SourceId, adoption.Planned)); // matched, and its values written: a write
            world.Clock.UtcNow = world.Clock.UtcNow.AddSeconds(1);
            Assert.Equal(CycleStatus.Partial, (await cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None)).Status);
            Assert.DoesNotContain("u-shared", world.Connection.Store.LoadState().Users.Keys);

            // Since part 1, the other user changed in Entra and now matches the same account. Within one cycle the engine never
            // gives one account to two users; across parts neither: the account is the remaining adoption's, the other is skipped.
            directory.Mode = CycleMode.Incremental;
            second.Set("userPrincipalName", "shared@contoso.com");
            directory.Changed.Add(second.Id);
            using var next = await cycle.PlanAsync(CancellationToken.None);
            var onTheAccount = next.Changes.Where(c => c.PlannedTargetId == "dbmid:shared" && c.Planned != ChangeAction.Skip).ToList();
            Assert.Equal(new[] { "u-shared" }, onTheAccount.Select(c => c.SourceId));
            var skipped = Assert.Single(next.Changes, c => c.SourceId == "u-other");
            Assert.Equal(ChangeAction.Skip, skipped.Planned);
            Assert.Contains("already manages it for another Entra user", skipped.Reason);
        }

        [Fact]
        public async Task A_remaining_change_that_a_killed_part_made_or_whose_account_was_since_taken_over_is_not_made_again()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            var directory = new GivenDirectory();
            directory.Users.AddRange(new[] { world.User("k1"), world.User("k2"), world.User("k3") });
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, directory, new EmptyDropbox());
            var plan = await cycle.PlanAsync(CancellationToken.None, maxDuration: TimeSpan.FromSeconds(1));
            world.Clock.UtcNow = world.Clock.UtcNow.AddSeconds(1);
            await cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None);

            // As a part killed mid-way leaves it: k1's create marked made, k2's account recorded (taken over after a lost answer).
            var store = world.Connection.Store;
            var state = store.LoadState();
            state.PartialCycle.Done.Add("User:u-k1");
            state.Users["u-k2"] = new ManagedObject { SourceId = "u-k2", TargetId = "dbmid:k2", TargetIdentity = "k2@contoso.com", MatchedBy = "userName" };
            store.SaveState(state);

            directory.Mode = CycleMode.Incremental;
            using var next = await cycle.PlanAsync(CancellationToken.None);
            Assert.Equal(new[] { "u-k3" }, next.Changes.Where(c => c.Planned == ChangeAction.Create).Select(c => c.SourceId));
        }
    }
}
