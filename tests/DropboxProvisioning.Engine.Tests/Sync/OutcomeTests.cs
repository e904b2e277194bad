using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>The outcome stage: escrow and its backoff, which escrows are due, and counts taken from outcomes.</summary>
    public sealed class OutcomeTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        private static readonly TimeSpan Interval = TimeSpan.FromMinutes(40);

        private static ChangeOutcome Outcome(ChangeAction planned, ChangeStatus status, ChangeAction? taken = null, ObjectType type = ObjectType.User, bool adoption = false)
        {
            var change = new ProvisioningChange { Planned = planned, ObjectType = type, SourceId = "u-" + Guid.NewGuid().ToString("N"), SourceIdentity = "someone@contoso.com", IsAdoption = adoption };
            return new ChangeOutcome(change) { Status = status, Action = taken ?? planned, Details = status == ChangeStatus.Failure ? "Dropbox answered 500" : null };
        }

        [Fact]
        public void A_first_failure_is_retried_by_the_next_cycle_and_a_second_waits_one_interval()
        {
            var state = new ProvisioningState();
            var failure = Outcome(ChangeAction.Update, ChangeStatus.Failure);
            CycleOutcome.Escrow(state, failure, Now, Interval);
            var escrow = state.Escrows[failure.Change.SourceId];
            Assert.Equal((1, Now, Now), (escrow.Attempts, escrow.FirstFailure, escrow.NextAttempt));
            CycleOutcome.Escrow(state, failure, Now.AddMinutes(40), Interval);
            Assert.Equal((2, Now, Now.AddMinutes(80)), (escrow.Attempts, escrow.FirstFailure, escrow.NextAttempt));
            Assert.Equal("Dropbox answered 500", escrow.LastError);
        }

        [Fact]
        public void Escrow_backoff_never_waits_more_than_a_day()
        {
            var state = new ProvisioningState();
            var failure = Outcome(ChangeAction.Create, ChangeStatus.Failure);
            for (var i = 0; i < 15; i++) CycleOutcome.Escrow(state, failure, Now, Interval);
            Assert.Equal(Now.AddDays(1), state.Escrows[failure.Change.SourceId].NextAttempt);
        }

        [Theory]
        [InlineData(ChangeStatus.Success)]
        [InlineData(ChangeStatus.Warning)]
        public void A_change_that_went_through_clears_its_escrow(ChangeStatus status)
        {
            var state = new ProvisioningState();
            var failure = Outcome(ChangeAction.Update, ChangeStatus.Failure);
            CycleOutcome.Escrow(state, failure, Now, Interval);
            var success = new ChangeOutcome(failure.Change) { Status = status };
            CycleOutcome.Escrow(state, success, Now, Interval);
            Assert.Empty(state.Escrows);
        }

        [Fact]
        public void An_incremental_cycle_looks_again_at_a_user_whose_escrow_is_due_and_not_at_one_whose_escrow_is_not()
        {
            var state = new ProvisioningState();
            state.Escrows["u-due"] = new EscrowEntry { SourceId = "u-due", NextAttempt = Now };
            state.Escrows["u-later"] = new EscrowEntry { SourceId = "u-later", NextAttempt = Now.AddMinutes(1) };
            var affected = GraphDirectoryReader.Affected(new DirectorySnapshot { Mode = CycleMode.Incremental }, state, Now);
            Assert.Contains("u-due", affected);
            Assert.DoesNotContain("u-later", affected);
        }

        [Fact]
        public void An_incremental_cycle_looks_again_at_users_whose_entitlement_changed_or_whose_deletion_was_held()
        {
            var state = new ProvisioningState();
            state.EntitledUsers.Add("u-left");
            state.StagedDeletions.Add(new StagedDeletion { SourceId = "u-held" });
            var snapshot = new DirectorySnapshot { Mode = CycleMode.Incremental };
            snapshot.Entitled.Add("u-new");
            Assert.Equal(new[] { "u-held", "u-left", "u-new" }, GraphDirectoryReader.Affected(snapshot, state, Now).OrderBy(i => i));
        }

        [Fact]
        public void Counts_come_from_what_was_done_not_from_what_was_planned()
        {
            var outcomes = new List<ChangeOutcome>
            {
                Outcome(ChangeAction.Create, ChangeStatus.Success),
                new ChangeOutcome(Outcome(ChangeAction.Create, ChangeStatus.Planned).Change) { Status = ChangeStatus.Warning, TookOver = true },
                Outcome(ChangeAction.Disable, ChangeStatus.Success, taken: ChangeAction.Delete),
                Outcome(ChangeAction.Disable, ChangeStatus.Skipped, taken: ChangeAction.StagedDelete),
                Outcome(ChangeAction.Update, ChangeStatus.Success, adoption: true),
                Outcome(ChangeAction.Update, ChangeStatus.Failure),
                Outcome(ChangeAction.Create, ChangeStatus.Planned), // stopped before it ran: not counted
                Outcome(ChangeAction.Create, ChangeStatus.Success, type: ObjectType.Group),
            };
            var result = new CycleResult();
            new CycleOutcome(null, NullCycleObserver.Instance).Count(result, outcomes);
            Assert.Equal((1, 1, 0, 1, 2, 1, 1, 1),
                (result.Created, result.Updated, result.Suspended, result.Deleted, result.Adopted, result.Skipped, result.Failed, result.GroupsCreated));
        }

        [Theory]
        [InlineData(false, false, 0, CycleStatus.Succeeded)]
        [InlineData(false, false, 2, CycleStatus.CompletedWithFailures)]
        [InlineData(false, true, 2, CycleStatus.Cancelled)]
        [InlineData(true, true, 0, CycleStatus.Failed)]
        public void A_cycles_status_follows_its_credentials_its_end_and_its_failures(bool credentialsRefused, bool cancelled, int failed, CycleStatus expected)
        {
            Assert.Equal(expected, CycleOutcome.StatusOf(new CycleResult { Failed = failed }, credentialsRefused, cancelled));
        }
    }
}
