using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>
    /// The group runner over both targets, after the group planner: the log and the counts say what was sent to
    /// Dropbox, not what the plan foresaw (members reactivated or taken over in the same cycle change the numbers).
    /// </summary>
    public sealed class GroupRunnerTests
    {
        private static DirectorySnapshot Directory(string id, string name, params string[] members)
        {
            var directory = new DirectorySnapshot { Mode = CycleMode.Initial };
            var group = new SourceObject(SourceObjectKind.Group, id);
            group.Set("displayName", name);
            directory.Groups[id] = group;
            directory.AssignedGroups[id] = new HashSet<string>(members, StringComparer.OrdinalIgnoreCase);
            directory.ScopeGroup(group, new CompiledMapping(DefaultMappings.Groups()), assigned: true);
            return directory;
        }

        private static async Task<List<ProvisioningChange>> PlanAsync(RunnerWorld world, DirectorySnapshot directory, ISet<string> pending = null)
        {
            var planner = new GroupPlanner(new CompiledMapping(DefaultMappings.Groups(), world.Connection.Api), world.State);
            var dropbox = await DropboxGroupSnapshot.ReadAsync(world.Target, world.State, directory, planner.NamesToMatch(directory), NullCycleObserver.Instance, CancellationToken.None);
            return planner.Plan(directory, dropbox, pending ?? new HashSet<string>(), new HashSet<string>());
        }

        private static ProvisioningLogRecord LogOf(RunnerWorld world, ProvisioningChange change) =>
            world.Connection.Store.Logs.Read().Single(r => r.ChangeId == change.ChangeId);

        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public async Task A_group_created_with_a_member_reactivated_in_the_same_cycle_is_logged_with_every_member_it_was_created_with(DropboxApiKind api)
        {
            using var world = await RunnerWorld.CreateAsync(api);
            var ada = world.User("ada");
            var bo = world.User("bo");
            await world.RunAsync(world.Create(ada), world.Create(bo));
            world.State.Users[bo.Id].Active = false; // suspended when the plan was made, reactivated by this cycle's user changes
            var create = Assert.Single(await PlanAsync(world, Directory("g-team", "Runners", ada.Id, bo.Id)));
            Assert.Contains(create.ModifiedProperties, p => p.Name == "members" && p.NewValue == "+1 -0");
            world.State.Users[bo.Id].Active = true;

            var outcome = Assert.Single((await world.RunAsync(create)).Outcomes);

            Assert.Equal((ChangeAction.Create, ChangeStatus.Success), (outcome.Action, outcome.Status));
            var members = Assert.Single(LogOf(world, create).ModifiedProperties, p => p.Name == "members");
            Assert.Equal(("0", "+2 -0"), (members.OldValue, members.NewValue));
            Assert.Equal(2, world.State.Groups["g-team"].Members.Count);
        }

        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public async Task A_group_whose_foreseen_members_turn_out_to_be_in_it_already_sends_nothing_and_is_neither_logged_nor_counted_as_updated(DropboxApiKind api)
        {
            using var world = await RunnerWorld.CreateAsync(api);
            var ada = world.User("ada");
            var bo = world.User("bo");
            await world.RunAsync(world.Create(ada), world.Create(bo));
            await world.RunAsync(Assert.Single(await PlanAsync(world, Directory("g-team", "Runners", ada.Id, bo.Id))));
            // A re-initial cycle that lost Bo's record: the plan creates Bo again and counts Bo as a member to come;
            // the create finds Bo's account (a takeover) and Bo is in the group already.
            var bosRecord = world.State.Users[bo.Id];
            world.State.Users.Remove(bo.Id);
            var update = Assert.Single(await PlanAsync(world, Directory("g-team", "Runners", ada.Id, bo.Id), pending: new HashSet<string> { bo.Id }));
            Assert.Equal(ChangeAction.Update, update.Action);
            Assert.Contains(update.ModifiedProperties, p => p.Name == "members" && p.NewValue.StartsWith("+1"));
            world.State.Users[bo.Id] = bosRecord;

            var outcome = Assert.Single((await world.RunAsync(update)).Outcomes);

            Assert.Equal(ChangeStatus.Success, outcome.Status);
            Assert.NotEqual(ChangeAction.Update, outcome.Action);
            var record = LogOf(world, update);
            Assert.NotEqual(ChangeAction.Update, record.Action);
            Assert.DoesNotContain(record.ModifiedProperties, p => p.Name == "members");
            var result = new CycleResult();
            new CycleOutcome(world.Connection.Directory, NullCycleObserver.Instance).Count(result, new[] { outcome });
            Assert.Equal(0, result.GroupsUpdated);
            Assert.Equal(2, world.State.Groups["g-team"].Members.Count);
        }
    }
}
