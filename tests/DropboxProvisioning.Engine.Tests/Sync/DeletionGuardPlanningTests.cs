using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>The deletion guard as the planner's last step: the plan carries its holds and their records; nothing planned is edited.</summary>
    public sealed class DeletionGuardPlanningTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        private static PlannerWorld Leaving(int count, CycleMode mode = CycleMode.Incremental)
        {
            var world = new PlannerWorld(mode);
            for (var i = 0; i < count; i++)
            {
                var user = world.User("leaver" + i, entitled: false);
                world.Manage(user, world.AccountFor(user));
            }
            world.User("newcomer");
            return world;
        }

        [Fact]
        public void Above_the_threshold_the_planner_holds_every_suspension_with_its_record_and_leaves_the_changes_as_planned()
        {
            var changes = Leaving(3).Plan();
            var holds = DeletionGuard.Decide(changes, threshold: 2, "cycle-1", Now);

            Assert.Equal(3, holds.Count);
            Assert.All(changes.Where(c => c.Planned == ChangeAction.Disable), c => Assert.True(holds.Holds(c)));
            Assert.False(holds.Holds(changes.Single(c => c.Planned == ChangeAction.Create)));
            Assert.Equal(holds.Changes.Select(c => c.SourceId), holds.Records.Select(r => r.SourceId));
            Assert.All(holds.Records, r => Assert.Equal(("Disable", Now, "cycle-1"), (r.Action, r.Staged, r.CycleId)));
            // Deciding is not carrying out: the planned changes have no outcome yet.
            Assert.All(changes, c => Assert.Equal(c.Planned, c.Action));
        }

        [Fact]
        public void At_the_threshold_the_planner_holds_nothing_and_recording_that_clears_what_an_earlier_cycle_held()
        {
            var world = Leaving(2);
            world.State.StagedDeletions.Add(new StagedDeletion { SourceId = "from-an-earlier-cycle" });
            var holds = DeletionGuard.Decide(world.Plan(), threshold: 2, "cycle-2", Now);
            Assert.Equal(0, holds.Count);
            Assert.Empty(holds.Records);
            Assert.Empty(holds.Record(world.State));
            Assert.Empty(world.State.StagedDeletions);
        }

        [Fact]
        public void An_initial_cycle_that_finds_managed_users_gone_holds_their_suspensions_above_the_threshold_too()
        {
            var changes = Leaving(3, CycleMode.Initial).Plan();
            Assert.Equal(3, changes.Count(c => c.Planned == ChangeAction.Disable));
            Assert.Equal(3, DeletionGuard.Decide(changes, threshold: 2, "initial", Now).Count);
            Assert.Equal(0, DeletionGuard.Decide(changes, threshold: 3, "initial", Now).Count);
        }

        [Fact]
        public void Approved_holds_are_released_as_changes_to_carry_out_and_the_rest_stay_held()
        {
            var world = Leaving(3);
            var holds = DeletionGuard.Decide(world.Plan(), threshold: 2, "cycle-1", Now);
            holds.Record(world.State);
            var approved = holds.Changes.Take(2).Select(c => c.SourceId).ToList();

            var released = DeletionGuard.Release(world.State, approved);

            Assert.Equal(approved, released.Select(c => c.SourceId));
            Assert.All(released, c => Assert.Equal(ChangeAction.Disable, c.Planned));
            Assert.All(released, c => Assert.StartsWith("approved by an admin: ", c.Reason));
            Assert.Equal(holds.Changes[2].SourceId, Assert.Single(world.State.StagedDeletions).SourceId);
        }

        [Fact]
        public void An_approved_hold_whose_user_is_no_longer_managed_is_dropped_without_a_change()
        {
            var world = Leaving(3);
            DeletionGuard.Decide(world.Plan(), threshold: 2, "cycle-1", Now).Record(world.State);
            var gone = world.State.StagedDeletions[0].SourceId;
            world.State.Users.Remove(gone);

            Assert.Empty(DeletionGuard.Release(world.State, new[] { gone }));
            Assert.DoesNotContain(world.State.StagedDeletions, d => d.SourceId == gone);
            Assert.Equal(2, world.State.StagedDeletions.Count);
        }
    }
}
