using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>A whole cycle through its stages with the snapshots and the clock handed in: the gate, the plan, the run, the outcome.</summary>
    public sealed class CycleStagesTests
    {
        /// <summary>Entra ID as the test says: the users given, all assigned, read as an initial cycle would.</summary>
        private sealed class GivenDirectory : IDirectoryReader
        {
            private readonly SourceObject[] _users;
            public GivenDirectory(params SourceObject[] users) { _users = users; }
            public int Reads { get; private set; }

            public Task<DirectorySnapshot> ReadAsync(ProvisioningSettings settings, CompiledMapping mapping, CompiledMapping groupMapping, ProvisioningState state, CancellationToken cancellationToken)
            {
                Reads++;
                var snapshot = new DirectorySnapshot { Mode = CycleMode.Initial, UsersDeltaLink = "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=u1", GroupsDeltaLink = "https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=g1" };
                foreach (var user in _users) snapshot.Entitled.Add(user.Id);
                foreach (var user in _users) snapshot.Add(user, mapping);
                foreach (var managed in state.Users.Keys.Where(id => _users.All(u => u.Id != id))) snapshot.Removed[managed] = RemovalKind.Missing;
                return Task.FromResult(snapshot);
            }

            public Task<SingleUserRead> ReadUserAsync(ProvisioningSettings settings, CompiledMapping mapping, string userId, CancellationToken cancellationToken)
            {
                Reads++;
                var user = _users.FirstOrDefault(u => u.Id == userId) ?? throw new DbxException("GraphNotFound", DbxErrorCategory.ObjectNotFound, "no such user", target: userId);
                user.Set(GraphAttributeNames.IsSoftDeleted, !(user.Get("accountEnabled") as bool? ?? true));
                return Task.FromResult(new SingleUserRead { User = user });
            }

            public Task<SingleGroupRead> ReadGroupAsync(ProvisioningSettings settings, CompiledMapping groupMapping, string groupId, CancellationToken cancellationToken)
            {
                Reads++;
                throw new DbxException("GraphNotFound", DbxErrorCategory.ObjectNotFound, "no such group", target: groupId);
            }
        }

        /// <summary>Dropbox as the test says: no account, no group.</summary>
        private sealed class EmptyDropbox : IDropboxReader
        {
            public Task<DropboxSnapshot> ReadUsersAsync(CompiledMapping mapping, ProvisioningState state, DirectorySnapshot directory, CancellationToken cancellationToken) =>
                Task.FromResult(DropboxSnapshot.Of(mapping, new JObject[0]));
            public Task<DropboxGroupSnapshot> ReadGroupsAsync(ProvisioningState state, DirectorySnapshot directory, IEnumerable<string> wantedNames, CancellationToken cancellationToken) =>
                Task.FromResult(DropboxGroupSnapshot.Of(new JObject[0]));
            public Task<DropboxSnapshot> ReadUserAsync(CompiledMapping mapping, ManagedObject managed, SourceObject user, CancellationToken cancellationToken) =>
                Task.FromResult(DropboxSnapshot.Of(mapping, new JObject[0]));
            public Task<DropboxGroupSnapshot> ReadGroupAsync(ManagedObject managed, string name, CancellationToken cancellationToken) =>
                Task.FromResult(DropboxGroupSnapshot.Of(new JObject[0]));
        }

        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public async Task A_cycle_over_handed_in_snapshots_creates_the_users_records_them_and_moves_the_watermarks(DropboxApiKind api)
        {
            using var world = await RunnerWorld.CreateAsync(api);
            var directory = new GivenDirectory(world.User("stage1"), world.User("stage2"));
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, directory, new EmptyDropbox());
            var plan = await cycle.PlanAsync(CancellationToken.None);
            Assert.Equal(2, plan.Changes.Count(c => c.Planned == ChangeAction.Create));
            var result = await cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None);

            Assert.Equal((CycleStatus.Succeeded, 2), (result.Status, result.Created));
            Assert.Equal(world.Clock.UtcNow, result.EndTime);
            var state = world.Connection.Store.LoadState();
            Assert.Equal(new[] { "u-stage1", "u-stage2" }, state.Users.Keys.OrderBy(k => k));
            Assert.Equal("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=u1", state.UsersDeltaLink);
            Assert.Equal(world.Clock.UtcNow, state.Users["u-stage1"].LastExported);
            Assert.Contains(world.Tenant.Dropbox.Members, m => m.Email == "stage2@contoso.com");
        }

        [Fact]
        public async Task A_quarantined_job_is_refused_until_its_next_attempt_by_the_cycles_own_clock()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            var state = world.Connection.Store.LoadState();
            state.Quarantine = new QuarantineInfo { Reason = QuarantinePolicy.EscrowProportion, Error = "too many failures", NextAttempt = world.Clock.UtcNow.AddHours(6) };
            world.Connection.Store.SaveState(state);
            var directory = new GivenDirectory(world.User("q1"));
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, directory, new EmptyDropbox());

            var refused = await Assert.ThrowsAsync<DbxException>(() => cycle.PlanAsync(CancellationToken.None));
            Assert.Equal("Quarantined", refused.Condition);
            Assert.Equal(0, directory.Reads);

            world.Clock.UtcNow = world.Clock.UtcNow.AddHours(6);
            using (var plan = await cycle.PlanAsync(CancellationToken.None)) Assert.Single(plan.Changes);
        }

        [Fact]
        public async Task With_provisioning_Off_neither_a_cycle_nor_an_on_demand_run_reads_anything()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            var state = world.Connection.Store.LoadState();
            state.Status = ProvisioningToggle.Off;
            world.Connection.Store.SaveState(state);
            var directory = new GivenDirectory(world.User("off"));
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, directory, new EmptyDropbox());
            var cycleRefused = await Assert.ThrowsAsync<DbxException>(() => cycle.PlanAsync(CancellationToken.None));
            var onDemandRefused = await Assert.ThrowsAsync<DbxException>(() => cycle.PlanOnDemandAsync("u-off", CancellationToken.None));
            Assert.Equal(("ProvisioningOff", "ProvisioningOff"), (cycleRefused.Condition, onDemandRefused.Condition));
            Assert.Equal(cycleRefused.Message, onDemandRefused.Message);
            Assert.Equal(0, directory.Reads);
        }

        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public async Task An_on_demand_run_reads_its_user_through_the_handed_in_directory_reader_and_creates_the_account(DropboxApiKind api)
        {
            using var world = await RunnerWorld.CreateAsync(api);
            var directory = new GivenDirectory(world.User("ondemand1"));
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, directory, new EmptyDropbox());
            var (result, plan) = await cycle.PlanOnDemandAsync("u-ondemand1", CancellationToken.None);
            Assert.Equal(1, directory.Reads);
            Assert.Equal(ChangeAction.Create, result.Change.Planned);
            Assert.Equal(world.Clock.UtcNow, plan.StartTime);
            result = await cycle.ExecuteOnDemandAsync(result, plan, approved: true, CancellationToken.None);

            Assert.Equal(ChangeStatus.Success, result.Change.Status);
            Assert.Contains(world.Tenant.Dropbox.Members, m => m.Email == "ondemand1@contoso.com");
            Assert.Equal(world.Clock.UtcNow, world.Connection.Store.LoadState().Users["u-ondemand1"].LastExported);
        }

        [Fact]
        public async Task An_on_demand_run_for_a_user_the_handed_in_directory_does_not_hold_says_UserNotFound()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, new GivenDirectory(world.User("someone")), new EmptyDropbox());
            var refused = await Assert.ThrowsAsync<DbxException>(() => cycle.PlanOnDemandAsync("u-nobody", CancellationToken.None));
            Assert.Equal(("UserNotFound", DbxErrorCategory.ObjectNotFound), (refused.Condition, refused.Category));
            var group = await Assert.ThrowsAsync<DbxException>(() => cycle.PlanOnDemandGroupAsync("g-nothing", CancellationToken.None));
            Assert.Equal("GroupNotFound", group.Condition);
        }

        [Fact]
        public async Task The_plan_carries_the_deletion_guards_holds_before_anything_runs_and_a_plan_narrowed_at_Confirm_is_guarded_afresh()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            var users = new[] { world.User("n1"), world.User("n2"), world.User("n3") };
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, new GivenDirectory(users), new EmptyDropbox());
            var plan = await cycle.PlanAsync(CancellationToken.None);
            await cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None);
            var config = world.Connection.Store.LoadConfiguration();
            config.Settings.DeletionThreshold = 2;
            world.Connection.Store.SaveConfiguration(config);

            var leaving = new ProvisioningCycle(world.Connection, null, world.Clock, new GivenDirectory(), new TargetReader(world.Target, NullCycleObserver.Instance));
            plan = await leaving.PlanAsync(CancellationToken.None);
            Assert.Equal(3, plan.Holds.Count);
            Assert.All(plan.Holds.Records, r => Assert.Equal(world.Clock.UtcNow, r.Staged));
            Assert.All(plan.Changes, c => Assert.Equal(ChangeAction.Disable, c.Action));
            Assert.Empty(world.Connection.Store.LoadState().StagedDeletions); // decided, not yet recorded

            // One suspension declined at -Confirm: two are let through, at the threshold, so none is held.
            var approved = plan.Changes.Take(2).ToList();
            var result = await leaving.ExecuteAsync(plan, approved, CancellationToken.None);
            Assert.Equal(2, result.Suspended + result.Deleted); // invited members cannot be suspended: Dropbox removes them
            Assert.DoesNotContain(result.Changes, c => c.Action == ChangeAction.StagedDelete);
            Assert.Empty(world.Connection.Store.LoadState().StagedDeletions);
        }

        [Fact]
        public async Task Deprovisioning_above_the_threshold_is_held_and_the_job_quarantined_with_TooManyDeletes()
        {
            using var world = await RunnerWorld.CreateAsync(DropboxApiKind.Scim);
            var users = new[] { world.User("h1"), world.User("h2"), world.User("h3") };
            var cycle = new ProvisioningCycle(world.Connection, null, world.Clock, new GivenDirectory(users), new EmptyDropbox());
            var plan = await cycle.PlanAsync(CancellationToken.None);
            await cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None);

            var config = world.Connection.Store.LoadConfiguration();
            config.Settings.DeletionThreshold = 2;
            world.Connection.Store.SaveConfiguration(config);
            var leaving = new ProvisioningCycle(world.Connection, null, world.Clock, new GivenDirectory(), new TargetReader(world.Target, NullCycleObserver.Instance));
            plan = await leaving.PlanAsync(CancellationToken.None);
            Assert.Equal(3, plan.Changes.Count(c => c.Planned == ChangeAction.Disable));
            var result = await leaving.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None);

            Assert.Equal(3, result.Changes.Count(c => c.Action == ChangeAction.StagedDelete && c.Planned == ChangeAction.Disable));
            Assert.Equal((0, 3), (result.Suspended, result.Skipped));
            Assert.Equal(QuarantinePolicy.TooManyDeletes, result.Quarantine);
            var state = world.Connection.Store.LoadState();
            Assert.Equal(3, state.StagedDeletions.Count);
            Assert.Equal(3, world.Tenant.Dropbox.Members.Count(m => m.Email.StartsWith("h") && m.Status == Sandbox.Dropbox.DropboxMemberStatus.Invited));

            // Approved, they go; invited members cannot be suspended, so Dropbox removes them and the counts say deleted.
            var approved = await leaving.ApproveStagedAsync(state.StagedDeletions.Select(d => d.SourceId).ToList(), CancellationToken.None);
            Assert.Equal((0, 3), (approved.Suspended, approved.Deleted));
            Assert.DoesNotContain(world.Tenant.Dropbox.Members, m => m.Email.StartsWith("h"));
            Assert.Null(world.Connection.Store.LoadState().Quarantine);
        }
    }
}
