using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>The user planner over in-memory snapshots of Entra ID and Dropbox: what it decides, and why.</summary>
    public sealed class UserPlannerTests
    {
        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public void An_initial_cycle_creates_every_assigned_user_that_Dropbox_lacks(DropboxApiKind api)
        {
            var world = new PlannerWorld(api: api);
            var ada = world.User("ada");
            var bob = world.User("bob");
            var changes = world.Plan();
            Assert.Equal(new[] { ada.Id, bob.Id }, changes.Where(c => c.Action == ChangeAction.Create).Select(c => c.SourceId).OrderBy(i => i));
            var create = PlannerWorld.For(changes, ada);
            Assert.Equal("ada@contoso.com", create.TargetIdentity);
            Assert.Null(create.TargetId);
            Assert.Equal(ChangeStatus.Planned, create.Status);
            Assert.Contains(create.ModifiedProperties, p => p.Name == "name.familyName" && p.NewValue == "Surname" && p.OldValue == null);
        }

        [Fact]
        public void A_user_that_is_not_assigned_is_neither_created_nor_looked_at()
        {
            var world = new PlannerWorld();
            world.User("ada", entitled: false);
            Assert.Empty(world.Plan());
        }

        [Fact]
        public void A_user_without_a_surname_is_skipped_with_the_reason_Dropbox_requires_one()
        {
            var world = new PlannerWorld();
            var ada = world.User("ada", surname: "");
            var skip = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Skip, skip.Action);
            Assert.Equal(ChangeStatus.Skipped, skip.Status);
            Assert.Contains("name.familyName", skip.Reason);
        }

        [Fact]
        public void A_user_whose_sign_in_is_blocked_is_never_created()
        {
            var world = new PlannerWorld();
            world.User("ada", enabled: false);
            Assert.Empty(world.Plan());
        }

        [Fact]
        public void With_the_Create_target_action_off_a_new_user_is_skipped()
        {
            var world = new PlannerWorld();
            world.UserMapping.Actions.Create = false;
            var ada = world.User("ada");
            var skip = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Skip, skip.Action);
            Assert.Equal("the Create target action is off", skip.Reason);
        }

        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public void An_existing_account_in_step_with_an_unmanaged_user_is_adopted_without_a_write(DropboxApiKind api)
        {
            var world = new PlannerWorld(api: api);
            var ada = world.User("ada");
            var account = world.AccountFor(ada);
            var adopt = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Adopt, adopt.Action);
            Assert.True(adopt.IsAdoption);
            Assert.False(adopt.WritesToDropbox);
            Assert.Equal((string)account["id"], adopt.TargetId);
            Assert.Contains("matched by userName", adopt.Description);
        }

        [Fact]
        public void An_existing_account_that_differs_is_adopted_by_an_update_of_what_differs()
        {
            var world = new PlannerWorld();
            var ada = world.User("ada");
            world.AccountFor(ada, change: a => a["name"]["familyName"] = "Maiden");
            var update = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Update, update.Action);
            Assert.True(update.IsAdoption);
            var modified = Assert.Single(update.ModifiedProperties);
            Assert.Equal(("name.familyName", "Maiden", "Surname"), (modified.Name, modified.OldValue, modified.NewValue));
        }

        [Fact]
        public void Matching_by_userName_ignores_case()
        {
            var world = new PlannerWorld();
            var ada = world.User("ada");
            world.AccountFor(ada, change: a => a["userName"] = "ADA@CONTOSO.COM");
            Assert.Equal(ChangeAction.Update, PlannerWorld.For(world.Plan(), ada).Action);
        }

        [Fact]
        public void Matching_attributes_are_tried_in_precedence_order_and_the_first_that_finds_an_account_wins()
        {
            var world = new PlannerWorld();
            world.UserMapping.Attributes.Single(a => a.TargetAttribute == "externalId").MatchingPrecedence = 2;
            var ada = world.User("ada");
            var byUserName = world.Account("ada@contoso.com");
            world.Account("someone@contoso.com", externalId: "ada");
            var change = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal((string)byUserName["id"], change.TargetId);
            Assert.Contains("by userName", change.Reason);
        }

        [Fact]
        public void A_lower_precedence_matching_attribute_finds_the_account_when_the_first_finds_none()
        {
            var world = new PlannerWorld();
            world.UserMapping.Attributes.Single(a => a.TargetAttribute == "externalId").MatchingPrecedence = 2;
            var ada = world.User("ada");
            var byExternalId = world.Account("old-name@contoso.com", externalId: "ada");
            var change = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal((string)byExternalId["id"], change.TargetId);
            Assert.Contains("by externalId", change.Reason);
        }

        [Fact]
        public void An_account_two_users_match_is_given_to_neither_and_both_are_named()
        {
            var world = new PlannerWorld();
            world.UserMapping.Attributes.Single(a => a.TargetAttribute == "externalId").MatchingPrecedence = 2;
            var ada = world.User("ada");
            var bob = world.User("bob");
            bob.Set("mailNickname", "ada"); // bob matches ada's account by externalId, ada by userName
            world.Account("ada@contoso.com", externalId: "ada");
            var changes = world.Plan();
            foreach (var user in new[] { ada, bob })
            {
                var skip = PlannerWorld.For(changes, user);
                Assert.Equal(ChangeAction.Skip, skip.Action);
                Assert.Contains("matches 2 Entra users", skip.Reason);
                Assert.Contains("ada@contoso.com", skip.Reason);
                Assert.Contains("bob@contoso.com", skip.Reason);
            }
        }

        [Fact]
        public void An_account_the_engine_manages_for_another_user_is_not_matched_again()
        {
            var world = new PlannerWorld();
            var ada = world.User("ada");
            var other = world.User("other", entitled: false);
            var account = world.AccountFor(ada);
            world.Manage(other, account);
            var skip = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Skip, skip.Action);
            Assert.Contains("already manages it for another Entra user", skip.Reason);
        }

        [Fact]
        public void An_incremental_cycle_updates_only_the_attribute_that_changed()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada");
            world.Manage(ada, world.AccountFor(ada));
            ada.Set("surname", "Married");
            var update = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Update, update.Action);
            Assert.False(update.IsAdoption);
            var modified = Assert.Single(update.ModifiedProperties);
            Assert.Equal(("name.familyName", "Surname", "Married"), (modified.Name, modified.OldValue, modified.NewValue));
            Assert.Equal("attributes differ", update.Reason);
        }

        [Fact]
        public void A_managed_user_in_step_with_Dropbox_is_counted_unchanged_and_planned_nothing()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada");
            world.Manage(ada, world.AccountFor(ada));
            Assert.Empty(world.Plan());
            Assert.Equal(1, world.Unchanged);
        }

        [Fact]
        public void A_value_Dropbox_declined_is_not_sent_again_until_the_mapping_changes_it()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada");
            var managed = world.Manage(ada, world.AccountFor(ada, change: a => a["displayName"] = "Dropbox's own"));
            managed.Declined["displayName"] = "ada Surname";
            Assert.Empty(world.Plan());
            ada.Set("displayName", "Ada Lovelace");
            Assert.Equal("displayName", Assert.Single(PlannerWorld.For(world.Plan(), ada).ModifiedProperties).Name);
        }

        [Fact]
        public void With_the_Update_target_action_off_a_differing_user_is_skipped()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            world.UserMapping.Actions.Update = false;
            var ada = world.User("ada");
            world.Manage(ada, world.AccountFor(ada));
            ada.Set("surname", "Married");
            Assert.Equal("attributes differ but the Update target action is off", PlannerWorld.For(world.Plan(), ada).Reason);
        }

        [Fact]
        public void A_user_the_scoping_filters_leave_out_is_suspended_with_the_filters_reason()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada");
            var account = world.AccountFor(ada);
            world.Manage(ada, account);
            world.FilteredOut[ada.Id] = "department EQUALS 'Sales' is false";
            var disable = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Disable, disable.Action);
            Assert.Equal("out of scope: department EQUALS 'Sales' is false", disable.Reason);
            Assert.Equal((string)account["id"], disable.TargetId);
            Assert.Equal(("active", "True", "False"), (disable.ModifiedProperties[0].Name, disable.ModifiedProperties[0].OldValue, disable.ModifiedProperties[0].NewValue));
        }

        [Fact]
        public void A_managed_user_no_longer_assigned_is_suspended()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada", entitled: false);
            world.Manage(ada, world.AccountFor(ada));
            Assert.Equal("no longer assigned to Dropbox in Entra ID", PlannerWorld.For(world.Plan(), ada).Reason);
        }

        [Fact]
        public void A_managed_user_whose_sign_in_is_blocked_is_suspended_with_that_reason()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada", enabled: false);
            world.Manage(ada, world.AccountFor(ada));
            var disable = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Disable, disable.Action);
            Assert.Equal("sign-in is blocked in Entra ID", disable.Reason);
        }

        [Fact]
        public void An_account_already_suspended_is_left_as_it_is()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada", entitled: false);
            world.Manage(ada, world.AccountFor(ada, active: false));
            Assert.Empty(world.Plan());
            Assert.Equal(1, world.Unchanged);
        }

        [Fact]
        public void SkipOutOfScopeDeletions_leaves_the_account_of_an_unassigned_user_as_it_is()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            world.Settings.SkipOutOfScopeDeletions = true;
            var ada = world.User("ada", entitled: false);
            world.Manage(ada, world.AccountFor(ada));
            var skip = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Skip, skip.Action);
            Assert.Contains("SkipOutOfScopeDeletions", skip.Reason);
        }

        [Fact]
        public void SkipOutOfScopeDeletions_still_suspends_a_user_whose_sign_in_is_blocked()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            world.Settings.SkipOutOfScopeDeletions = true;
            var ada = world.User("ada", enabled: false);
            world.Manage(ada, world.AccountFor(ada));
            Assert.Equal(ChangeAction.Disable, PlannerWorld.For(world.Plan(), ada).Action);
        }

        [Fact]
        public void A_user_deleted_for_good_in_Entra_is_deleted_in_Dropbox_where_the_Delete_action_is_on()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada", entitled: false);
            world.Manage(ada, world.AccountFor(ada));
            world.Removed[ada.Id] = RemovalKind.HardDeleted;
            var delete = world.Plan().Single(c => c.SourceId == ada.Id && c.Action == ChangeAction.Delete);
            Assert.Equal("deleted in Entra ID", delete.Reason);
            Assert.Equal("(account)", delete.ModifiedProperties.Single().Name);
        }

        [Fact]
        public void A_user_deleted_for_good_is_suspended_instead_when_the_Delete_action_is_off()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            world.UserMapping.Actions.Delete = false;
            var ada = world.User("ada", entitled: false);
            world.Manage(ada, world.AccountFor(ada));
            world.Removed[ada.Id] = RemovalKind.HardDeleted;
            var change = world.Plan().Single(c => c.SourceId == ada.Id && c.Reason.StartsWith("deleted"));
            Assert.Equal(ChangeAction.Disable, change.Action);
            Assert.Contains("the Delete target action is off", change.Reason);
        }

        [Theory]
        [InlineData(RemovalKind.SoftDeleted, "soft-deleted in Entra ID")]
        [InlineData(RemovalKind.Missing, "no longer returned by Entra ID")]
        public void A_user_that_may_come_back_is_suspended_not_deleted(RemovalKind removal, string reason)
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada", entitled: false);
            world.Manage(ada, world.AccountFor(ada));
            world.Removed[ada.Id] = removal;
            var change = world.Plan().Single(c => c.Reason == reason);
            Assert.Equal(ChangeAction.Disable, change.Action);
        }

        [Fact]
        public void A_managed_account_that_vanished_from_Dropbox_is_forgotten_when_its_user_left()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada", entitled: false);
            world.Manage(ada, new JObject { ["id"] = "dbmid:gone", ["userName"] = "ada@contoso.com" });
            var forget = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Other, forget.Action);
            Assert.EndsWith("the engine stops managing it", forget.Reason);
        }

        [Fact]
        public void An_assigned_user_whose_managed_account_vanished_is_created_again()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada");
            world.Manage(ada, new JObject { ["id"] = "dbmid:gone", ["userName"] = "ada@contoso.com" });
            var create = PlannerWorld.For(world.Plan(), ada);
            Assert.Equal(ChangeAction.Create, create.Action);
            Assert.Equal("the managed Dropbox account no longer exists", create.Reason);
        }

        [Fact]
        public void A_user_whose_scoping_could_not_be_evaluated_is_left_as_it_is()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada");
            world.Manage(ada, world.AccountFor(ada));
            world.Plan();
            world.Directory.Unevaluable[ada.Id] = "the regular expression took longer than 100 ms";
            var planner = new UserPlanner(world.Compiled, world.State, world.Settings);
            var skip = Assert.Single(planner.PlanUsers(world.Directory, DropboxSnapshot.Of(world.Compiled, new JObject[0]), out _));
            Assert.Contains("its scoping could not be evaluated", skip.Reason);
        }

        [Fact]
        public void A_mappings_Now_is_the_planners_clock()
        {
            var world = new PlannerWorld();
            world.User("ada");
            var attribute = DropboxProvisioning.Mapping.MappingEditor.Find(world.UserMapping, "externalId");
            attribute.Type = DropboxProvisioning.Mapping.MappingType.Expression;
            attribute.Expression = "Now()";
            attribute.SourceAttribute = null;
            world.Plan();
            var planner = new UserPlanner(world.Compiled, world.State, world.Settings, new FixedClock(new System.DateTimeOffset(2031, 3, 4, 5, 6, 7, System.TimeSpan.Zero)));
            var create = Assert.Single(planner.PlanUsers(world.Directory, DropboxSnapshot.Of(world.Compiled, new JObject[0]), out _));
            Assert.Equal("3/4/2031 5:06:07 AM", (string)create.Values.Single(v => v.Path.Text == "externalId").Value);
        }

        [Fact]
        public void Adoption_mode_plans_only_adoptions_and_they_write_nothing()
        {
            var world = new PlannerWorld();
            var ada = world.User("ada");
            world.User("bob");
            world.AccountFor(ada, change: a => a["name"]["familyName"] = "Maiden");
            var adopt = Assert.Single(world.Plan(adoption: true));
            Assert.Equal(ada.Id, adopt.SourceId);
            Assert.Equal(ChangeAction.Adopt, adopt.Action);
            Assert.Empty(adopt.ModifiedProperties);
            Assert.StartsWith("adoption mode: matched an existing Dropbox member by userName", adopt.Reason);
        }

        [Fact]
        public void Adoption_mode_plans_no_suspension_of_users_that_left()
        {
            var world = new PlannerWorld(CycleMode.Incremental);
            var ada = world.User("ada", entitled: false);
            world.Manage(ada, world.AccountFor(ada));
            Assert.Empty(world.Plan(adoption: true));
        }
    }
}
