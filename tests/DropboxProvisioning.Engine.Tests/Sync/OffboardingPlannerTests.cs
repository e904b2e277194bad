using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.Mapping.Scoping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using DropboxProvisioning.Engine.Tests.State;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>The offboarding rules (OffboardingPolicy.Select, OffboardingPlanner) at pinned times, without HTTP.</summary>
    public sealed class OffboardingPlannerTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        private static IAttributeSource User(string department, string backup = null) =>
            new DictionaryAttributeSource(new Dictionary<string, object> { ["department"] = department, ["extensionAttribute1"] = backup, ["userPrincipalName"] = "x@contoso.com" });

        private static OffboardingRule Rule(string name, string department, OffboardingAction action = OffboardingAction.Suspend, int? days = null) => new OffboardingRule
        {
            Name = name, Action = action, RemoveAfterDays = days,
            Clauses = department == null ? new List<ScopingClause>() : new List<ScopingClause> { new ScopingClause("department", ScopingOperator.Equals, department) },
        };

        private static ProvisioningChange Disable(string id) => new ProvisioningChange { Planned = ChangeAction.Disable, SourceId = id, SourceIdentity = id + "@contoso.com", TargetId = "dbmid:" + id, Reason = "sign-in is blocked in Entra ID" };

        [Fact]
        public void The_first_matching_rule_wins_then_the_default_and_without_either_nothing_is_decided()
        {
            var policy = new OffboardingPolicy { Rules = { Rule("Sales", "Sales"), Rule("AlsoSales", "Sales", OffboardingAction.SuspendThenRemove, 3) } };
            Assert.Equal("Sales", policy.Select(User("Sales")).Name);
            Assert.Null(policy.Select(User("Legal")));
            Assert.Null(policy.Select(null));
            policy.Default = Rule(OffboardingPolicy.DefaultRuleName, null);
            Assert.Equal("Default", policy.Select(User("Legal")).Name);
            Assert.Equal("Default", policy.Select(null).Name); // a user Entra no longer returns has no attributes
        }

        [Fact]
        public void A_suspension_takes_its_rule_s_wipe_data_and_a_removing_rule_names_the_due_time_and_the_recipient()
        {
            var remove = Rule("Sales", "Sales", OffboardingAction.SuspendThenRemove, 30);
            remove.WipeData = true;
            remove.TransferFilesTo = FileTransferTarget.Attribute;
            remove.TransferTarget = "extensionAttribute1";
            remove.TransferAdmin = "admin@contoso.com";
            var policy = new OffboardingPolicy { Rules = { remove } };
            var sales = Disable("sales");
            var other = Disable("other");
            var users = new Dictionary<string, IAttributeSource> { ["sales"] = User("Sales", "backup@contoso.com"), ["other"] = User("Legal") };
            OffboardingPlanner.DecideSuspensions(new[] { sales, other }, policy, id => users[id], id => null, Now);
            Assert.Null(other.Offboarding);
            Assert.Equal("sign-in is blocked in Entra ID", other.Reason);
            Assert.True(sales.Offboarding.WipeData);
            Assert.Equal(Now.AddDays(30), sales.Offboarding.RemoveAfter);
            Assert.Equal("backup@contoso.com", sales.Offboarding.Removal.TransferDest);
            Assert.Equal("admin@contoso.com", sales.Offboarding.Removal.TransferAdmin);
            Assert.True(sales.Offboarding.Removal.WipeData);
            Assert.Null(sales.Offboarding.Problem);
            Assert.Contains("offboarding rule 'Sales': members/suspend with wipe_data true, then members/remove on or after 2026-12-31", sales.Reason);
        }

        [Fact]
        public void A_missing_recipient_is_named_and_keep_account_sends_wipe_data_false()
        {
            var toManager = Rule("M", "Sales", OffboardingAction.SuspendThenRemove, 1);
            toManager.TransferFilesTo = FileTransferTarget.Manager;
            toManager.TransferAdmin = "admin@contoso.com";
            var removal = OffboardingPlanner.Removal(toManager, User("Sales"), "u1", id => null, out var problem);
            Assert.Null(removal.TransferDest);
            Assert.Contains("no manager", problem);
            var withManager = OffboardingPlanner.Removal(toManager, User("Sales"), "u1", id => ("boss@contoso.com", "u-boss"), out problem);
            Assert.Null(problem);
            Assert.Equal("u-boss", withManager.TransferDestSourceId);

            var keep = Rule("K", "Sales", OffboardingAction.SuspendThenRemove, 1);
            keep.KeepAccount = true;
            keep.RetainTeamShares = true;
            keep.WipeData = true;
            var kept = OffboardingPlanner.Removal(keep, User("Sales"), "u1", id => null, out problem);
            Assert.False(kept.WipeData);
            Assert.True(kept.KeepAccount);
            Assert.True(kept.RetainTeamShares);
        }

        private static PendingRemoval Pending(string id, double dueInDays, MemberRemoval removal = null) => new PendingRemoval
        {
            SourceId = id, TargetId = "dbmid:" + id, Identity = id + "@contoso.com", SuspendedOn = Now.AddDays(-10), RemoveAfter = Now.AddDays(dueInDays),
            Rule = Rule("R", "Sales", OffboardingAction.SuspendThenRemove, 10), Removal = removal ?? new MemberRemoval { WipeData = false },
        };

        [Fact]
        public void A_removal_is_planned_once_due_not_before_and_not_for_a_user_the_cycle_changes_anyway()
        {
            var due = OffboardingPlanner.DueRemovals(new[] { Pending("due", 0), Pending("later", 0.001), Pending("back", -1) }, new HashSet<string> { "back" }, id => null, Now);
            var change = Assert.Single(due);
            Assert.Equal("due", change.SourceId);
            Assert.Equal(ChangeAction.Delete, change.Action);
            Assert.Equal("dbmid:due", change.TargetId);
            Assert.Contains("members/remove (wipe_data false)", change.Reason);
            Assert.True(DeletionGuard.IsDeprovisioning(change)); // counted by the accidental-deletions threshold
        }

        [Fact]
        public void A_refused_removal_waits_for_its_escrow_s_next_attempt_and_is_planned_again_once_it_has_come()
        {
            var pending = new[] { Pending("refused", -1), Pending("fresh", -1) };
            var escrow = new EscrowEntry { SourceId = "refused" };
            escrow.Failed("transfer_dest_user_not_found", Now.AddHours(-1), TimeSpan.FromMinutes(40)); // first failure: due at once
            escrow.Failed("transfer_dest_user_not_found", Now.AddMinutes(-10), TimeSpan.FromMinutes(40)); // second: 40 minutes later
            DateTimeOffset? RetryAt(string id) => id == "refused" ? escrow.NextAttempt : (DateTimeOffset?)null;

            var now = OffboardingPlanner.DueRemovals(pending, new HashSet<string>(), id => null, Now, RetryAt);
            Assert.Equal(new[] { "fresh" }, now.Select(c => c.SourceId));
            var later = OffboardingPlanner.DueRemovals(pending, new HashSet<string>(), id => null, Now.AddMinutes(31), RetryAt);
            Assert.Equal(new[] { "fresh", "refused" }, later.Select(c => c.SourceId).OrderBy(x => x));
        }

        [Fact]
        public void A_removal_held_by_the_deletion_guard_keeps_its_rule_through_the_saved_state_and_is_released_as_it_was_decided()
        {
            var removal = new MemberRemoval { WipeData = false, TransferDest = "archive@contoso.com", TransferAdmin = "admin@contoso.com", RetainTeamShares = true };
            var planned = OffboardingPlanner.DueRemovals(new[] { Pending("leaver", -1, removal) }, new HashSet<string>(), id => null, Now);
            var holds = DeletionGuard.Decide(planned, 0, "cycle-1", Now);
            Assert.Equal(1, holds.Count);

            using (var place = new TestStore(StoreKind.Local))
            {
                var store = new StateStore(place.Storage(), DropboxApiKind.TeamApi);
                var state = new ProvisioningState();
                state.Users["leaver"] = new ManagedObject { SourceId = "leaver", TargetId = "dbmid:leaver", TargetIdentity = "leaver@contoso.com" };
                state.StagedDeletions.AddRange(holds.Records);
                store.SaveState(state);

                var released = Assert.Single(DeletionGuard.Release(store.LoadState(), new[] { "leaver" }));
                Assert.Equal(ChangeAction.Delete, released.Planned);
                Assert.NotNull(released.Offboarding);
                Assert.Equal("R", released.Offboarding.Rule.Name);
                Assert.Equal("archive@contoso.com", released.Offboarding.Removal.TransferDest);
                Assert.Equal("admin@contoso.com", released.Offboarding.Removal.TransferAdmin);
                Assert.False(released.Offboarding.Removal.WipeData);
                Assert.True(released.Offboarding.Removal.RetainTeamShares);
            }
        }

        [Fact]
        public void A_removal_left_to_the_next_part_of_a_cycle_keeps_its_rule_and_its_recipient()
        {
            var removal = new MemberRemoval { WipeData = false, KeepAccount = true };
            var planned = OffboardingPlanner.DueRemovals(new[] { Pending("leaver", -1, removal) }, new HashSet<string>(), id => null, Now).Single();
            var saved = Newtonsoft.Json.JsonConvert.SerializeObject(RemainingWork.ToRemaining(planned));
            var again = RemainingWork.ToChange(Newtonsoft.Json.JsonConvert.DeserializeObject<RemainingChange>(saved), new PlannerWorld(api: DropboxApiKind.TeamApi).Compiled);
            Assert.Equal(ChangeAction.Delete, again.Planned);
            Assert.Equal("R", again.Offboarding?.Rule.Name);
            Assert.True(again.Offboarding.Removal.KeepAccount);
            Assert.False(again.Offboarding.Removal.WipeData);
        }

        [Fact]
        public void A_manager_recipient_becomes_its_managed_member_or_a_named_problem_when_not_provisioned()
        {
            var removal = new MemberRemoval { WipeData = true, TransferDest = "boss@contoso.com", TransferDestSourceId = "u-boss", TransferAdmin = "admin@contoso.com" };
            var provisioned = OffboardingPlanner.DueRemovals(new[] { Pending("a", -1, removal) }, new HashSet<string>(), id => id == "u-boss" ? "dbmid:boss" : null, Now).Single();
            Assert.Equal("dbmid:boss", provisioned.Offboarding.Removal.TransferDest);
            Assert.Null(provisioned.Offboarding.Problem);
            var missing = OffboardingPlanner.DueRemovals(new[] { Pending("a", -1, removal) }, new HashSet<string>(), id => null, Now).Single();
            Assert.Contains("not a provisioned, active Dropbox member", missing.Offboarding.Problem);
        }
    }
}
