using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Reporting;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>The invitation rules (InvitePlanner) at pinned times, and how the settings' changes are told.</summary>
    public sealed class InvitePlannerTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        private static PendingInvite Invited(string name, double daysAgo, double? remindedDaysAgo = null) => new PendingInvite
        {
            SourceId = "u-" + name, TargetId = "dbmid:" + name, Identity = name + "@contoso.com", InvitedOn = Now.AddDays(-daysAgo),
            LastReminder = remindedDaysAgo.HasValue ? Now.AddDays(-remindedDaysAgo.Value) : (DateTimeOffset?)null,
            Reminders = remindedDaysAgo.HasValue ? 1 : 0,
        };

        private static List<ProvisioningChange> Plan(ProvisioningSettings settings, params PendingInvite[] invites) =>
            InvitePlanner.Plan(invites, new HashSet<string>(), settings, Now);

        [Fact]
        public void With_the_settings_off_nothing_is_planned()
        {
            Assert.Empty(Plan(new ProvisioningSettings(), Invited("a", 400)));
        }

        [Fact]
        public void A_member_invited_N_days_ago_is_reminded_and_a_younger_one_is_not()
        {
            var settings = new ProvisioningSettings { InviteReminderAfterDays = 7 };
            var changes = Plan(settings, Invited("old", 7), Invited("young", 6.9));
            var change = Assert.Single(changes);
            Assert.Equal(ChangeAction.Remind, change.Action);
            Assert.Equal("u-old", change.SourceId);
            Assert.Equal("dbmid:old", change.TargetId);
            Assert.Contains("7 day(s) ago", change.Reason);
            Assert.True(change.WritesToDropbox);
        }

        [Fact]
        public void Reminders_come_at_most_every_M_days_and_by_default_every_N()
        {
            var every3 = new ProvisioningSettings { InviteReminderAfterDays = 7, InviteReminderEveryDays = 3 };
            Assert.Empty(Plan(every3, Invited("a", 20, remindedDaysAgo: 2.9)));
            Assert.Single(Plan(every3, Invited("a", 20, remindedDaysAgo: 3)));
            var byDefault = new ProvisioningSettings { InviteReminderAfterDays = 7 };
            Assert.Empty(Plan(byDefault, Invited("a", 20, remindedDaysAgo: 6)));
            Assert.Contains("last reminder", Assert.Single(Plan(byDefault, Invited("a", 20, remindedDaysAgo: 7))).Reason);
        }

        [Fact]
        public void An_invitation_older_than_K_days_is_withdrawn_instead_of_reminded()
        {
            var settings = new ProvisioningSettings { InviteReminderAfterDays = 7, WithdrawInviteAfterDays = 30 };
            var changes = Plan(settings, Invited("ancient", 30), Invited("old", 29));
            var withdraw = changes.Single(c => c.SourceId == "u-ancient");
            Assert.Equal(ChangeAction.Delete, withdraw.Action);
            Assert.Equal(EscrowEntry.InviteWithdrawn, withdraw.EscrowAs);
            Assert.Contains("members/remove", withdraw.Reason);
            Assert.Equal(ChangeAction.Remind, changes.Single(c => c.SourceId == "u-old").Action);
            // Withdrawal alone (no reminders) works too.
            Assert.Equal(ChangeAction.Delete, Assert.Single(Plan(new ProvisioningSettings { WithdrawInviteAfterDays = 30 }, Invited("ancient", 31), Invited("old", 29))).Action);
        }

        [Fact]
        public void A_member_the_cycle_changes_anyway_is_left_to_that_change()
        {
            var settings = new ProvisioningSettings { InviteReminderAfterDays = 1, WithdrawInviteAfterDays = 5 };
            var changes = InvitePlanner.Plan(new[] { Invited("a", 10), Invited("b", 2) }, new HashSet<string> { "u-a", "u-b" }, settings, Now);
            Assert.Empty(changes);
        }

        [Fact]
        public void A_withdrawal_that_ran_waits_in_escrow_never_due_and_leaves_the_pending_list()
        {
            var state = new ProvisioningState();
            state.PendingInvites["u-a"] = Invited("a", 40);
            var change = Plan(new ProvisioningSettings { WithdrawInviteAfterDays = 30 }, state.PendingInvites["u-a"]).Single();
            var outcome = new ChangeOutcome(change) { Status = ChangeStatus.Success };
            CycleOutcome.Escrow(state, outcome, Now, TimeSpan.FromMinutes(40));
            var escrow = state.Escrows["u-a"];
            Assert.Equal(EscrowEntry.InviteWithdrawn, escrow.Reason);
            Assert.Equal(DateTimeOffset.MaxValue, escrow.NextAttempt);
            Assert.Equal(Now, escrow.FirstFailure);
            Assert.Empty(state.PendingInvites);

            // A held withdrawal (accidental-deletions threshold) is not one.
            var held = new ProvisioningState();
            var again = Plan(new ProvisioningSettings { WithdrawInviteAfterDays = 30 }, Invited("b", 40)).Single();
            CycleOutcome.Escrow(held, new ChangeOutcome(again) { Status = ChangeStatus.Skipped, Action = ChangeAction.StagedDelete }, Now, TimeSpan.FromMinutes(40));
            Assert.Empty(held.Escrows);
        }

        [Fact]
        public void The_age_of_an_invitation_is_in_whole_days()
        {
            Assert.Equal(9, Invited("a", 9.99).AgeDays(Now));
            Assert.Equal(0, Invited("a", -1).AgeDays(Now));
        }

        [Fact]
        public void A_change_of_the_invitation_settings_is_told_with_the_old_and_new_values()
        {
            var before = new ProvisioningSettings();
            var after = before.Clone();
            after.InviteReminderAfterDays = 7;
            after.CheckLicenses = true;
            var text = SettingChanges.Describe(SettingChanges.Between(before, after));
            Assert.Contains("CheckLicenses from False to True", text);
            Assert.Contains("InviteReminderAfterDays from (none) to 7", text);
        }
    }
}
