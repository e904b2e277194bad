using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>The group planner over in-memory snapshots: groups in scope, their members as provisioned, and groups that left.</summary>
    public sealed class GroupPlannerTests
    {
        private readonly ProvisioningState _state = new ProvisioningState();
        private readonly ObjectMapping _mapping = DefaultMappings.Groups();

        private DirectorySnapshot Directory(params (string Id, string Name, string[] Members)[] groups)
        {
            var compiled = new CompiledMapping(_mapping);
            var directory = new DirectorySnapshot { Mode = CycleMode.Incremental };
            foreach (var (id, name, members) in groups)
            {
                var group = new SourceObject(SourceObjectKind.Group, id);
                group.Set("displayName", name);
                directory.Groups[id] = group;
                directory.AssignedGroups[id] = new HashSet<string>(members, StringComparer.OrdinalIgnoreCase);
                directory.ScopeGroup(group, compiled, assigned: true);
            }
            return directory;
        }

        private void Provisioned(string sourceId, string dropboxId, bool active = true) =>
            _state.Users[sourceId] = new ManagedObject { SourceId = sourceId, TargetId = dropboxId, TargetIdentity = sourceId + "@contoso.com", Active = active };

        private List<ProvisioningChange> Plan(DirectorySnapshot directory, DropboxGroupSnapshot dropbox = null, ISet<string> pending = null, ISet<string> leaving = null) =>
            new GroupPlanner(new CompiledMapping(_mapping), _state).Plan(directory, dropbox ?? DropboxGroupSnapshot.Of(new JObject[0]),
                pending ?? new HashSet<string>(), leaving ?? new HashSet<string>());

        [Fact]
        public void A_group_in_scope_that_Dropbox_lacks_is_created_with_its_provisioned_members_counted()
        {
            Provisioned("u1", "dbmid:1");
            Provisioned("u2", "dbmid:2");
            var create = Assert.Single(Plan(Directory(("g1", "Sales", new[] { "u1", "u2" }))));
            Assert.Equal(ChangeAction.Create, create.Action);
            Assert.Equal(ObjectType.Group, create.ObjectType);
            Assert.Equal("Sales", create.TargetIdentity);
            Assert.Contains(create.ModifiedProperties, p => p.Name == "members" && p.NewValue == "+2 -0");
            Assert.Null(create.StatusDetails);
        }

        [Fact]
        public void Members_that_are_not_provisioned_are_left_out_and_the_plan_says_how_many()
        {
            Provisioned("u1", "dbmid:1");
            var create = Assert.Single(Plan(Directory(("g1", "Sales", new[] { "u1", "stranger" }))));
            Assert.Contains(create.ModifiedProperties, p => p.Name == "members" && p.NewValue == "+1 -0");
            Assert.Equal("1 member(s) are not provisioned in Dropbox and are left out", create.StatusDetails);
        }

        [Fact]
        public void Members_this_cycle_is_about_to_create_count_as_coming_not_as_left_out()
        {
            var create = Assert.Single(Plan(Directory(("g1", "Sales", new[] { "u-new" })), pending: new HashSet<string> { "u-new" }));
            Assert.Contains(create.ModifiedProperties, p => p.Name == "members" && p.NewValue == "+1 -0");
            Assert.Null(create.StatusDetails);
        }

        [Fact]
        public void A_suspended_member_is_removed_from_the_group_and_added_again_once_reactivated()
        {
            Provisioned("u1", "dbmid:1", active: false);
            _state.Groups["g1"] = new ManagedObject { SourceId = "g1", TargetId = "g:1", TargetIdentity = "Sales", MatchedBy = "Created", Members = new HashSet<string> { "dbmid:1" } };
            var dropbox = DropboxGroupSnapshot.Of(new[] { new JObject { ["id"] = "g:1", ["displayName"] = "Sales", ["externalId"] = "g1", ["members"] = new JArray(new JObject { ["value"] = "dbmid:1" }) } });
            var directory = Directory(("g1", "Sales", new[] { "u1" }));
            var removal = Assert.Single(Plan(directory, dropbox));
            Assert.Contains(removal.ModifiedProperties, p => p.Name == "members" && p.NewValue == "+0 -1");

            _state.Users["u1"].Active = true;
            dropbox = DropboxGroupSnapshot.Of(new[] { new JObject { ["id"] = "g:1", ["displayName"] = "Sales", ["externalId"] = "g1", ["members"] = new JArray() } });
            var readd = Assert.Single(Plan(directory, dropbox));
            Assert.Equal(ChangeAction.Update, readd.Action);
            Assert.Contains(readd.ModifiedProperties, p => p.Name == "members" && p.NewValue == "+1 -0");
        }

        [Fact]
        public void Members_leaving_this_cycle_count_as_going()
        {
            Provisioned("u1", "dbmid:1");
            _state.Groups["g1"] = new ManagedObject { SourceId = "g1", TargetId = "g:1", TargetIdentity = "Sales", MatchedBy = "Created", Members = new HashSet<string> { "dbmid:1" } };
            var dropbox = DropboxGroupSnapshot.Of(new[] { new JObject { ["id"] = "g:1", ["displayName"] = "Sales", ["externalId"] = "g1", ["members"] = new JArray(new JObject { ["value"] = "dbmid:1" }) } });
            var update = Assert.Single(Plan(Directory(("g1", "Sales", new[] { "u1" })), dropbox, leaving: new HashSet<string> { "u1" }));
            Assert.Contains(update.ModifiedProperties, p => p.Name == "members" && p.NewValue == "+0 -1");
        }

        [Fact]
        public void An_unmanaged_Dropbox_group_of_the_same_name_is_adopted()
        {
            var dropbox = DropboxGroupSnapshot.Of(new[] { new JObject { ["id"] = "g:9", ["displayName"] = "Sales", ["externalId"] = "g1", ["members"] = new JArray() } });
            var adopt = Assert.Single(Plan(Directory(("g1", "Sales", new string[0])), dropbox));
            Assert.Equal(ChangeAction.Adopt, adopt.Action);
            Assert.True(adopt.IsAdoption);
            Assert.Equal("g:9", adopt.TargetId);
        }

        [Fact]
        public void A_managed_group_renamed_in_Entra_is_renamed_in_Dropbox()
        {
            _state.Groups["g1"] = new ManagedObject { SourceId = "g1", TargetId = "g:1", TargetIdentity = "Sales", MatchedBy = "Created", Members = new HashSet<string>() };
            var dropbox = DropboxGroupSnapshot.Of(new[] { new JObject { ["id"] = "g:1", ["displayName"] = "Sales", ["externalId"] = "g1", ["members"] = new JArray() } });
            var rename = Assert.Single(Plan(Directory(("g1", "Sales EMEA", new string[0])), dropbox));
            Assert.Equal(ChangeAction.Update, rename.Action);
            Assert.Contains(rename.ModifiedProperties, p => p.Name == "displayName" && p.OldValue == "Sales" && p.NewValue == "Sales EMEA");
        }

        [Fact]
        public void A_managed_group_that_left_scope_is_deleted_where_the_Delete_action_is_on()
        {
            _state.Groups["g1"] = new ManagedObject { SourceId = "g1", TargetId = "g:1", TargetIdentity = "Sales", MatchedBy = "Created", Members = new HashSet<string>() };
            var delete = Assert.Single(Plan(Directory()));
            Assert.Equal(ChangeAction.Delete, delete.Action);
            Assert.Equal("no longer assigned to Dropbox or filtered out", delete.Reason);
        }

        [Fact]
        public void With_the_Delete_action_off_a_group_that_left_scope_is_skipped()
        {
            _mapping.Actions.Delete = false;
            _state.Groups["g1"] = new ManagedObject { SourceId = "g1", TargetId = "g:1", TargetIdentity = "Sales", MatchedBy = "Created", Members = new HashSet<string>() };
            var skip = Assert.Single(Plan(Directory()));
            Assert.Equal(ChangeAction.Skip, skip.Action);
        }
    }
}
