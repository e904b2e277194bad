using System;
using System.IO;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>The license check's rules (SeatLimit), its escrow (LicenseLimit) and the Team API settings' rules.</summary>
    public sealed class SeatLimitTests
    {
        private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        private static PlannerWorld Newcomers(params string[] names)
        {
            var world = new PlannerWorld(CycleMode.Initial, DropboxApiKind.TeamApi);
            foreach (var name in names) world.User(name);
            return world;
        }

        [Fact]
        public void Seats_count_the_higher_of_used_and_provisioned_and_never_go_below_zero()
        {
            Assert.Equal(2, new DropboxSeats(10, 8, 0).Free);     // an answer without num_used_licenses (Stone's default 0)
            Assert.Equal(1, new DropboxSeats(10, 8, 9).Free);
            Assert.Equal(0, new DropboxSeats(5, 7, 7).Free);      // over the limit already
            Assert.Equal("9 of 10 license(s) used, 1 free", new DropboxSeats(10, 8, 9).ToString());
        }

        [Fact]
        public void When_all_creates_fit_nothing_is_held()
        {
            var world = Newcomers("a", "b", "c");
            var changes = world.Plan();
            Assert.Equal(0, SeatLimit.Apply(changes, new DropboxSeats(10, 7, 7), world.State, Start));
            Assert.All(changes, c => Assert.Equal(ChangeAction.Create, c.Action));
        }

        [Fact]
        public void The_creates_that_do_not_fit_become_skips_waiting_as_LicenseLimit_by_id_and_the_plan_keeps_its_order()
        {
            var world = Newcomers("d", "b", "a", "c");
            var changes = world.Plan();
            var order = changes.Select(c => c.SourceId).ToList();
            Assert.Equal(2, SeatLimit.Apply(changes, new DropboxSeats(10, 8, 8), world.State, Start));
            Assert.Equal(order, changes.Select(c => c.SourceId).ToList());
            Assert.Equal(new[] { "u-a", "u-b" }, changes.Where(c => c.Action == ChangeAction.Create).Select(c => c.SourceId).OrderBy(s => s));
            var held = changes.Where(c => c.Action == ChangeAction.Skip).ToList();
            Assert.Equal(new[] { "u-c", "u-d" }, held.Select(c => c.SourceId).OrderBy(s => s));
            Assert.All(held, c =>
            {
                Assert.Equal(ChangeStatus.Skipped, c.Status);
                Assert.StartsWith("LicenseLimit: the Dropbox team has 10 license(s), 8 in use and 2 free, and this cycle would create 4 account(s)", c.Reason);
                Assert.Empty(c.ModifiedProperties);
            });
        }

        [Fact]
        public void Users_already_waiting_go_first_the_longest_waiting_first()
        {
            var world = Newcomers("a", "b", "c", "z");
            world.State.Escrows["u-z"] = new EscrowEntry { SourceId = "u-z", Identity = "z", Reason = EscrowEntry.LicenseLimit, Attempts = 2, FirstFailure = Start.AddDays(-2) };
            world.State.Escrows["u-c"] = new EscrowEntry { SourceId = "u-c", Identity = "c", Reason = EscrowEntry.LicenseLimit, Attempts = 1, FirstFailure = Start.AddDays(-1) };
            // A failure escrow (no reason) is no wait for a license.
            world.State.Escrows["u-b"] = new EscrowEntry { SourceId = "u-b", Identity = "b", Attempts = 1, FirstFailure = Start.AddDays(-5) };
            var changes = world.Plan();
            SeatLimit.Apply(changes, new DropboxSeats(5, 2, 2), world.State, Start);
            Assert.Equal(new[] { "u-a", "u-c", "u-z" }, changes.Where(c => c.Action == ChangeAction.Create).Select(c => c.SourceId).OrderBy(s => s));
            Assert.Equal("u-b", changes.Single(c => c.Action == ChangeAction.Skip).SourceId);
        }

        [Fact]
        public void A_held_create_waits_in_escrow_due_next_cycle_without_backoff_and_a_later_failure_starts_the_backoff_afresh()
        {
            var world = Newcomers("a", "b");
            var changes = world.Plan();
            SeatLimit.Apply(changes, new DropboxSeats(1, 1, 1), world.State, Start);
            var state = world.State;
            foreach (var change in changes)
            {
                var outcome = new ChangeOutcome(change) { Status = ChangeStatus.Skipped };
                CycleOutcome.Escrow(state, outcome, Start.AddSeconds(3), TimeSpan.FromMinutes(40));
            }
            Assert.Equal(2, state.Escrows.Count);
            var escrow = state.Escrows["u-a"];
            Assert.Equal(EscrowEntry.LicenseLimit, escrow.Reason);
            Assert.Equal(Start, escrow.FirstFailure);
            Assert.Equal(Start.AddSeconds(3), escrow.NextAttempt);
            Assert.Contains("waiting (LicenseLimit)", escrow.ToString());

            // Waiting again in a later cycle keeps when it began to wait.
            var later = Newcomers("a").Plan();
            SeatLimit.Apply(later, new DropboxSeats(1, 1, 1), state, Start.AddHours(1));
            CycleOutcome.Escrow(state, new ChangeOutcome(later[0]) { Status = ChangeStatus.Skipped }, Start.AddHours(1), TimeSpan.FromMinutes(40));
            Assert.Equal(Start, state.Escrows["u-a"].FirstFailure);
            Assert.Equal(2, state.Escrows["u-a"].Attempts);

            // Then Dropbox refuses it (another reason): a failure, with the backoff of a first failure.
            state.Escrows["u-a"].Failed("Dropbox refused", Start.AddHours(2), TimeSpan.FromMinutes(40));
            Assert.Null(state.Escrows["u-a"].Reason);
            Assert.Equal(1, state.Escrows["u-a"].Attempts);
            Assert.Equal(Start.AddHours(2), state.Escrows["u-a"].NextAttempt);
        }

        [Fact]
        public void The_escrow_reason_is_saved_read_back_and_an_unknown_one_is_refused()
        {
            var directory = Path.Combine(Path.GetTempPath(), "seat-" + Guid.NewGuid().ToString("N"));
            try
            {
                var store = new StateStore(directory);
                var state = store.LoadState();
                state.Escrows["u-a"] = new EscrowEntry { SourceId = "u-a", Identity = "a", Reason = EscrowEntry.LicenseLimit, Attempts = 1, FirstFailure = Start, NextAttempt = Start, LastError = "LicenseLimit: ..." };
                state.Escrows["u-b"] = new EscrowEntry { SourceId = "u-b", Identity = "b", Attempts = 1, FirstFailure = Start, NextAttempt = Start, LastError = "refused" };
                store.SaveState(state);
                var text = File.ReadAllText(store.StateFile);
                Assert.Equal(1, text.Split(new[] { "\"Reason\"" }, StringSplitOptions.None).Length - 1); // a failure's entry has none
                var loaded = store.LoadState();
                Assert.Equal(EscrowEntry.LicenseLimit, loaded.Escrows["u-a"].Reason);
                Assert.Null(loaded.Escrows["u-b"].Reason);

                File.WriteAllText(store.StateFile, text.Replace("\"LicenseLimit\"", "\"LicenceLimit\""));
                var e = Assert.Throws<DbxException>(() => store.LoadState());
                Assert.Equal("StateInvalid", e.Condition);
                Assert.Contains("Reason", e.Message);
            }
            finally
            {
                if (System.IO.Directory.Exists(directory)) System.IO.Directory.Delete(directory, true);
            }
        }

        [Theory]
        [InlineData(0, null, null, "InvalidInviteDays")]
        [InlineData(3651, null, null, "InvalidInviteDays")]
        [InlineData(null, 3, null, "InvalidInviteReminder")]
        [InlineData(7, null, 7, "InvalidInviteWithdrawal")]
        [InlineData(7, 2, 0, "InvalidInviteDays")]
        public void Invitation_settings_out_of_their_rules_are_refused(int? after, int? every, int? withdraw, string condition)
        {
            var settings = new ProvisioningSettings { InviteReminderAfterDays = after, InviteReminderEveryDays = every, WithdrawInviteAfterDays = withdraw };
            var e = Assert.Throws<DbxException>(() => TeamApiSettings.Validate(settings, DropboxApiKind.TeamApi));
            Assert.Equal(condition, e.Condition);
            Assert.NotNull(RecommendedActions.For(e.Condition));
        }

        [Fact]
        public void Team_API_settings_are_refused_over_SCIM_accepted_over_the_Team_API_and_in_a_file_for_either()
        {
            var settings = new ProvisioningSettings { InviteReminderAfterDays = 7, InviteReminderEveryDays = 3, WithdrawInviteAfterDays = 30, CheckLicenses = true };
            TeamApiSettings.Validate(settings, DropboxApiKind.TeamApi);
            TeamApiSettings.Validate(settings, null);
            var e = Assert.Throws<DbxException>(() => TeamApiSettings.Validate(settings, DropboxApiKind.Scim));
            Assert.Equal("TeamApiOnlySetting", e.Condition);
            Assert.Contains("CheckLicenses", e.Message);
            TeamApiSettings.Validate(new ProvisioningSettings(), DropboxApiKind.Scim);
        }

        [Fact]
        public void The_new_settings_left_at_their_defaults_do_not_change_an_existing_job_s_fingerprint()
        {
            var json = ConfigurationFile.ToJson(new ProvisioningConfiguration());
            Assert.DoesNotContain("checkLicenses", json);
            Assert.DoesNotContain("invite", json, StringComparison.OrdinalIgnoreCase);
            var on = new ProvisioningConfiguration();
            on.Settings.CheckLicenses = true;
            Assert.NotEqual(ConfigurationFile.Fingerprint(new ProvisioningConfiguration()), ConfigurationFile.Fingerprint(on));
        }
    }
}
