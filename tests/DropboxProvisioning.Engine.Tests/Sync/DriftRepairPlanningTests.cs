using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>
    /// Drift repair in the planners (setting FullReconciliationInterval): over the Dropbox side read live, what was changed
    /// by hand on managed accounts and groups is put back and marked as drift, with the old and new values; what changed in
    /// Entra ID is not drift; unmanaged accounts are left alone; and when to reconcile in full (FullReconciliationSchedule).
    /// </summary>
    public sealed class DriftRepairPlanningTests
    {
        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public void A_profile_field_edited_in_Dropbox_by_hand_is_put_back_as_drift_with_Dropbox_s_value_and_the_mapping_s(DropboxApiKind api)
        {
            var world = new PlannerWorld(api: api) { RepairDrift = true };
            var ada = world.User("ada", surname: "Lovelace");
            var account = world.AccountFor(ada);
            world.Manage(ada, account);
            account["name"]["familyName"] = "Byron"; // an admin's edit in the Dropbox console
            var update = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Update, update.Action);
            Assert.True(update.Drift);
            Assert.StartsWith("drift: changed in Dropbox by hand (name.familyName: the engine wrote 'Lovelace', Dropbox held 'Byron')", update.Reason);
            var property = Assert.Single(update.ModifiedProperties);
            Assert.Equal(("name.familyName", "Byron", "Lovelace"), (property.Name, property.OldValue, property.NewValue));
            Assert.StartsWith("Repair drift in Dropbox user 'ada@contoso.com'", update.Description);
            var record = update.ToLogRecord("c1", Noon);
            Assert.True(record.Drift);
            Assert.StartsWith("drift: ", record.StatusDetails);
        }

        [Fact]
        public void The_same_edit_without_drift_repair_is_an_ordinary_update_as_before()
        {
            var world = new PlannerWorld();
            var ada = world.User("ada", surname: "Lovelace");
            var account = world.AccountFor(ada);
            world.Manage(ada, account);
            account["name"]["familyName"] = "Byron";
            var update = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Update, update.Action);
            Assert.False(update.Drift);
            Assert.Equal("attributes differ", update.Reason);
            Assert.False(update.ToLogRecord("c1", Noon).Drift);
        }

        [Fact]
        public void A_change_made_in_Entra_ID_is_no_drift_even_in_a_full_reconciliation()
        {
            var world = new PlannerWorld { RepairDrift = true };
            var ada = world.User("ada", surname: "Lovelace");
            world.Manage(ada, world.AccountFor(ada));
            ada.Set("surname", "King"); // changed in Entra ID: Dropbox still holds what the engine wrote
            var update = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Update, update.Action);
            Assert.False(update.Drift);
            Assert.Equal("attributes differ", update.Reason);
        }

        [Fact]
        public void An_attribute_the_mapping_does_not_map_is_never_put_back()
        {
            var world = new PlannerWorld { RepairDrift = true };
            var ada = world.User("ada");
            var account = world.AccountFor(ada);
            world.Manage(ada, account);
            account["title"] = "Set by hand"; // not a mapped attribute
            Assert.DoesNotContain(world.Plan(), c => c.SourceId == ada.Id);
            Assert.Equal(1, world.Unchanged);
        }

        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public void A_managed_member_suspended_by_hand_is_unsuspended_as_drift(DropboxApiKind api)
        {
            var world = new PlannerWorld(api: api) { RepairDrift = true };
            var ada = world.User("ada");
            var account = world.AccountFor(ada);
            world.Manage(ada, account);
            account["active"] = false;
            var update = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Update, update.Action);
            Assert.True(update.Drift);
            Assert.Contains("suspended by hand", update.Reason);
            Assert.Contains(update.ModifiedProperties, p => p.Name == "active" && p.OldValue == "False" && p.NewValue == "True");
        }

        [Fact]
        public void A_member_the_engine_suspended_and_someone_unsuspended_by_hand_is_suspended_again_as_drift()
        {
            var world = new PlannerWorld { RepairDrift = true };
            var ada = world.User("ada");
            var account = world.AccountFor(ada, active: false);
            world.Manage(ada, account);
            world.FilteredOut[ada.Id] = "department is not Sales";
            account["active"] = true; // unsuspended in the Dropbox console
            var disable = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Disable, disable.Action);
            Assert.True(disable.Drift);
            Assert.Equal("drift: unsuspended in Dropbox by hand; suspended again, since it is out of scope: department is not Sales", disable.Reason);
        }

        [Fact]
        public void A_member_who_leaves_scope_now_is_suspended_as_before_not_as_drift()
        {
            var world = new PlannerWorld { RepairDrift = true };
            var ada = world.User("ada");
            world.Manage(ada, world.AccountFor(ada));
            world.FilteredOut[ada.Id] = "department is not Sales";
            var disable = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Disable, disable.Action);
            Assert.False(disable.Drift);
        }

        [Fact]
        public void An_account_the_engine_did_not_create_or_adopt_is_left_alone()
        {
            var world = new PlannerWorld { RepairDrift = true };
            world.Account("someone.else@contoso.com");
            var stranger = world.User("carol", entitled: false);
            world.AccountFor(stranger, active: false);
            Assert.Empty(world.Plan());
        }

        // Groups: the planner over a managed group read live.

        private readonly ProvisioningState _state = new ProvisioningState();

        private void Provisioned(string sourceId, string dropboxId) =>
            _state.Users[sourceId] = new ManagedObject { SourceId = sourceId, TargetId = dropboxId, TargetIdentity = sourceId + "@contoso.com" };

        private List<ProvisioningChange> PlanGroup(string[] entraMembers, string[] lastWritten, string[] inDropbox, bool repair = true, bool takeOver = false)
        {
            var mapping = new CompiledMapping(DefaultMappings.Groups());
            var directory = new DirectorySnapshot { Mode = CycleMode.Initial };
            var source = new SourceObject(SourceObjectKind.Group, "g1");
            source.Set("displayName", "Sales");
            directory.Groups["g1"] = source;
            directory.AssignedGroups["g1"] = new HashSet<string>(entraMembers, StringComparer.OrdinalIgnoreCase);
            directory.ScopeGroup(source, mapping, assigned: true);
            var managed = new ManagedObject
            {
                SourceId = "g1", TargetId = "g:1", TargetIdentity = "Sales", MatchedBy = "Created",
                Members = new HashSet<string>(lastWritten, StringComparer.Ordinal), AddedMembers = new HashSet<string>(lastWritten, StringComparer.Ordinal),
            };
            managed.Exported["displayName"] = "Sales";
            managed.Exported["externalId"] = "g1";
            _state.Groups["g1"] = managed;
            var live = new JObject { ["id"] = "g:1", ["displayName"] = "Sales", ["externalId"] = "g1", ["members"] = new JArray(inDropbox.Select(m => new JObject { ["value"] = m })) };
            return new GroupPlanner(mapping, _state, takeOver) { RepairDrift = repair }.Plan(directory, DropboxGroupSnapshot.Of(new[] { live }), new HashSet<string>(), new HashSet<string>());
        }

        [Fact]
        public void A_managed_member_added_by_hand_to_a_managed_group_is_removed_as_drift_and_an_unmanaged_account_added_by_hand_stays()
        {
            Provisioned("u1", "dbmid:1");
            Provisioned("u2", "dbmid:2");
            var update = Assert.Single(PlanGroup(new[] { "u1" }, new[] { "dbmid:1" }, new[] { "dbmid:1", "dbmid:2", "dbmid:stranger" }));
            Assert.Equal(ChangeAction.Update, update.Action);
            Assert.True(update.Drift);
            Assert.Contains(update.ModifiedProperties, p => p.Name == "member:u2@contoso.com" && p.OldValue == "member" && p.NewValue == "not a member");
            Assert.DoesNotContain(update.ModifiedProperties, p => p.Name.Contains("stranger"));
            Assert.Contains(update.ModifiedProperties, p => p.Name == "members" && p.OldValue == "3" && p.NewValue == "+0 -1");
            Assert.Equal(new[] { "dbmid:2" }, update.DriftRemovals);
            Assert.StartsWith("drift: the group's members were changed in Dropbox by hand: 1 member(s) added by hand (u2@contoso.com) are removed", update.Reason);
        }

        [Fact]
        public void A_member_removed_by_hand_from_a_managed_group_is_added_back_as_drift()
        {
            Provisioned("u1", "dbmid:1");
            Provisioned("u2", "dbmid:2");
            var update = Assert.Single(PlanGroup(new[] { "u1", "u2" }, new[] { "dbmid:1", "dbmid:2" }, new[] { "dbmid:1" }));
            Assert.True(update.Drift);
            Assert.Contains(update.ModifiedProperties, p => p.Name == "member:u2@contoso.com" && p.OldValue == "not a member" && p.NewValue == "member");
            Assert.Contains(update.ModifiedProperties, p => p.Name == "members" && p.NewValue == "+1 -0");
            Assert.Contains("1 member(s) removed by hand (u2@contoso.com) are added back", update.Reason);
        }

        [Fact]
        public void Without_drift_repair_a_member_added_by_hand_stays_in_the_group_as_before()
        {
            Provisioned("u1", "dbmid:1");
            Provisioned("u2", "dbmid:2");
            Assert.Empty(PlanGroup(new[] { "u1" }, new[] { "dbmid:1" }, new[] { "dbmid:1", "dbmid:2" }, repair: false));
        }

        [Fact]
        public void A_group_in_step_with_what_the_engine_wrote_has_no_drift_and_no_change()
        {
            Provisioned("u1", "dbmid:1");
            Assert.Empty(PlanGroup(new[] { "u1" }, new[] { "dbmid:1" }, new[] { "dbmid:1" }));
        }

        [Fact]
        public void The_runner_removes_the_drift_removals_the_planner_found_and_only_where_Entra_does_not_want_them()
        {
            var managed = new ManagedObject { MatchedBy = "Created", Members = new HashSet<string> { "a" }, AddedMembers = new HashSet<string> { "a" } };
            var removable = GroupOwnership.Removable(managed, new List<string> { "a", "hand", "other" }, false, new HashSet<string> { "hand", "wanted" });
            Assert.Equal(new[] { "a", "hand" }, removable);
        }

        // When: FullReconciliationSchedule, pure functions over a pinned time.

        private static readonly DateTimeOffset Noon = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

        [Fact]
        public void With_the_setting_off_a_full_reconciliation_is_never_due_and_no_next_one_is_shown()
        {
            var settings = new ProvisioningSettings();
            var state = new ProvisioningState { LastFullReconciliation = Noon.AddDays(-400) };
            Assert.False(FullReconciliationSchedule.IsDue(settings, state, Noon));
            Assert.Null(FullReconciliationSchedule.NextDue(settings, state.LastFullReconciliation));
            Assert.False(FullReconciliationSchedule.Repairs(settings, readInFull: true, adoption: false));
        }

        [Fact]
        public void With_the_setting_on_the_first_cycle_is_due_then_the_next_one_an_interval_after_the_last_began()
        {
            var settings = new ProvisioningSettings { FullReconciliationInterval = TimeSpan.FromDays(1) };
            var state = new ProvisioningState();
            Assert.True(FullReconciliationSchedule.IsDue(settings, state, Noon));
            state.LastFullReconciliation = Noon;
            Assert.Equal(Noon.AddDays(1), FullReconciliationSchedule.NextDue(settings, state.LastFullReconciliation));
            Assert.False(FullReconciliationSchedule.IsDue(settings, state, Noon.AddHours(23).AddMinutes(59)));
            Assert.True(FullReconciliationSchedule.IsDue(settings, state, Noon.AddDays(1)));
        }

        [Fact]
        public void A_cycle_stopped_at_its_deadline_finishes_its_parts_before_a_full_reconciliation_and_adoption_never_repairs()
        {
            var settings = new ProvisioningSettings { FullReconciliationInterval = TimeSpan.FromHours(1) };
            var state = new ProvisioningState { PartialCycle = new PartialCycle() };
            Assert.False(FullReconciliationSchedule.IsDue(settings, state, Noon));
            Assert.False(FullReconciliationSchedule.Repairs(settings, readInFull: true, adoption: true));
            Assert.False(FullReconciliationSchedule.Repairs(settings, readInFull: false, adoption: false));
            Assert.True(FullReconciliationSchedule.Repairs(settings, readInFull: true, adoption: false));
        }

        [Theory]
        [InlineData(0, 0, 30)]
        [InlineData(366, 0, 0)]
        public void An_interval_outside_one_minute_to_365_days_is_refused_and_the_configuration_is_unchanged(int days, int hours, int seconds)
        {
            var current = new ProvisioningConfiguration();
            var error = Assert.Throws<Errors.DbxException>(() => ConfigurationEditor.Edit(current, DropboxApiKind.Scim,
                c => c.Settings.FullReconciliationInterval = new TimeSpan(days, hours, 0, seconds)));
            Assert.Equal("InvalidFullReconciliationInterval", error.Condition);
            Assert.Null(current.Settings.FullReconciliationInterval);
            var fine = ConfigurationEditor.Edit(current, DropboxApiKind.Scim, c => c.Settings.FullReconciliationInterval = TimeSpan.FromDays(1));
            Assert.Equal(ConfigurationFile.Fingerprint(current), ConfigurationFile.Fingerprint(fine));
        }
    }
}
