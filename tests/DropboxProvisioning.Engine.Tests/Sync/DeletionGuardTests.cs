using System;
using System.Linq;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>Accidental-deletions prevention over planned changes: what it holds, what it records, and that the plan stays as planned.</summary>
    public sealed class DeletionGuardTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        private static PlannerWorld LeavingUsers(int count)
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            for (var i = 0; i < count; i++)
            {
                var user = world.User("leaver" + i, entitled: false);
                world.Manage(user, world.AccountFor(user));
            }
            world.User("newcomer");
            return world;
        }

        [Fact]
        public void Above_the_threshold_every_suspension_is_held_and_creates_are_not()
        {
            var changes = LeavingUsers(3).Plan();
            var held = DeletionGuard.ToHold(changes, threshold: 2);
            Assert.Equal(3, held.Count);
            Assert.All(held, c => Assert.Equal(ChangeAction.Disable, c.Action));
            Assert.DoesNotContain(held, c => c.Action == ChangeAction.Create);
        }

        [Fact]
        public void At_the_threshold_nothing_is_held()
        {
            Assert.Empty(DeletionGuard.ToHold(LeavingUsers(2).Plan(), threshold: 2));
        }

        [Fact]
        public void A_hold_is_an_outcome_beside_the_planned_suspension_which_stays_as_planned()
        {
            var world = LeavingUsers(3);
            var held = DeletionGuard.ToHold(world.Plan(), threshold: 2);
            var outcomes = DeletionGuard.Hold(world.State, held, 2, "cycle-1", Now);
            var change = held[0];
            Assert.Equal(ChangeAction.Disable, change.Planned);
            Assert.Equal(ChangeAction.StagedDelete, change.Action);
            Assert.Equal(ChangeStatus.Skipped, change.Status);
            Assert.Same(change, outcomes[0].Change);
            Assert.Contains("more than the threshold of 2", change.StatusDetails);
            Assert.StartsWith("Hold the suspension or deletion", change.Description);
        }

        [Fact]
        public void Held_deprovisioning_is_recorded_in_the_state_for_approval()
        {
            var world = LeavingUsers(3);
            world.State.StagedDeletions.Add(new StagedDeletion { SourceId = "from-an-earlier-cycle" });
            var held = DeletionGuard.ToHold(world.Plan(), threshold: 2);
            DeletionGuard.Hold(world.State, held, 2, "cycle-1", Now);
            Assert.Equal(held.Select(c => c.SourceId).OrderBy(s => s), world.State.StagedDeletions.Select(d => d.SourceId).OrderBy(s => s));
            Assert.All(world.State.StagedDeletions, d => { Assert.Equal("Disable", d.Action); Assert.Equal(Now, d.Staged); Assert.Equal("cycle-1", d.CycleId); });
        }

        [Fact]
        public void Holding_nothing_clears_what_an_earlier_cycle_held_so_that_its_cause_is_decided_afresh()
        {
            var world = LeavingUsers(1);
            world.State.StagedDeletions.Add(new StagedDeletion { SourceId = "from-an-earlier-cycle" });
            DeletionGuard.Hold(world.State, DeletionGuard.ToHold(world.Plan(), threshold: 2), 2, "cycle-2", Now);
            Assert.Empty(world.State.StagedDeletions);
        }

        [Fact]
        public void A_change_gets_one_outcome_only()
        {
            var world = LeavingUsers(3);
            var held = DeletionGuard.ToHold(world.Plan(), threshold: 2);
            DeletionGuard.Hold(world.State, held, 2, "cycle-1", Now);
            Assert.Throws<InvalidOperationException>(() => held[0].Record(new ChangeOutcome(held[0])));
        }
    }
}
