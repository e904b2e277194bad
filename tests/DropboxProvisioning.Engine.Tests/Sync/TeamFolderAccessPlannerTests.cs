using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>The team folder access rules (TeamFolderAccessPlanner) over in-memory groups, grants and folders; and the table in the configuration.</summary>
    public sealed class TeamFolderAccessPlannerTests
    {
        private static readonly DateTimeOffset Then = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        private static readonly Dictionary<string, ManagedObject> Groups = new Dictionary<string, ManagedObject>(StringComparer.OrdinalIgnoreCase)
        {
            ["e-sales"] = new ManagedObject { SourceId = "e-sales", TargetId = "g:sales", TargetIdentity = "Sales" },
            ["e-legal"] = new ManagedObject { SourceId = "e-legal", TargetId = "g:legal", TargetIdentity = "Legal" },
        };

        private static readonly List<DropboxTeamFolder> Folders = new List<DropboxTeamFolder>
        {
            new DropboxTeamFolder { Id = "100", Name = "Projects", Status = "active" },
            new DropboxTeamFolder { Id = "200", Name = "Old", Status = "archived" },
        };

        private static TeamFolderAccessRule Row(string group, string folder, TeamFolderAccessLevel level = TeamFolderAccessLevel.Editor, bool create = false) =>
            new TeamFolderAccessRule { Group = group, TeamFolder = folder, AccessLevel = level, Create = create };

        private static TeamFolderGrant Grant(string group, string dropboxId, string folderId, TeamFolderAccessLevel level) =>
            new TeamFolderGrant { GroupId = group, GroupName = group, DropboxGroupId = dropboxId, TeamFolderId = folderId, TeamFolder = "Projects", AccessLevel = level, GrantedOn = Then };

        private static List<TeamFolderAccessChange> Plan(IEnumerable<TeamFolderAccessRule> rows, IEnumerable<TeamFolderGrant> grants = null, IEnumerable<ProvisioningChange> groupChanges = null) =>
            TeamFolderAccessPlanner.Plan(rows.ToList(), Groups, groupChanges ?? new ProvisioningChange[0], (grants ?? new TeamFolderGrant[0]).ToList(), Folders);

        [Fact]
        public void A_row_by_name_or_by_Entra_id_grants_the_provisioned_group_its_level()
        {
            var changes = Plan(new[] { Row("sales", "projects"), Row("e-legal", "Projects", TeamFolderAccessLevel.Viewer) });
            Assert.Equal(2, changes.Count);
            Assert.All(changes, c => Assert.Equal(TeamFolderAccessAction.Grant, c.Action));
            Assert.Contains(changes, c => c.GroupId == "e-sales" && c.DropboxGroupId == "g:sales" && c.TeamFolderId == "100" && c.AccessLevel == TeamFolderAccessLevel.Editor);
            Assert.Contains(changes, c => c.GroupId == "e-legal" && c.AccessLevel == TeamFolderAccessLevel.Viewer && !c.CreatesTeamFolder);
        }

        [Fact]
        public void A_refused_change_is_a_skip_until_its_escrow_is_due_and_is_planned_as_before_once_it_is()
        {
            var escrow = new EscrowEntry { SourceId = "e-sales", Identity = "Sales -> Projects" };
            escrow.Failed("sharing/add_folder_member: access_error/no_permission", Then, System.TimeSpan.FromMinutes(40));
            escrow.Failed("sharing/add_folder_member: access_error/no_permission", Then, System.TimeSpan.FromMinutes(40)); // second refusal: waits one interval
            var escrows = new Dictionary<string, EscrowEntry>(System.StringComparer.OrdinalIgnoreCase) { ["e-sales:Projects"] = escrow };
            var rows = new List<TeamFolderAccessRule> { Row("Sales", "Projects"), Row("Legal", "Projects") };
            TeamFolderAccessChange For(List<TeamFolderAccessChange> changes, string group) => changes.Single(c => c.GroupId == group);

            var early = TeamFolderAccessPlanner.Plan(rows, Groups, new ProvisioningChange[0], new List<TeamFolderGrant>(), Folders, escrows, Then.AddMinutes(39));
            Assert.Equal(TeamFolderAccessAction.Skip, For(early, "e-sales").Action);
            Assert.StartsWith("Escrowed: Dropbox refused it 2 time(s)", For(early, "e-sales").Reason);
            Assert.Contains("no_permission", For(early, "e-sales").Reason);
            Assert.Equal(TeamFolderAccessAction.Grant, For(early, "e-legal").Action); // another group's row is not held

            var due = TeamFolderAccessPlanner.Plan(rows, Groups, new ProvisioningChange[0], new List<TeamFolderGrant>(), Folders, escrows, Then.AddMinutes(40));
            Assert.Equal(TeamFolderAccessAction.Grant, For(due, "e-sales").Action);
        }

        [Fact]
        public void A_group_this_cycle_creates_is_granted_with_its_Dropbox_id_found_when_the_change_runs()
        {
            var creating = new ProvisioningChange { ObjectType = ObjectType.Group, Planned = ChangeAction.Create, SourceId = "e-new", SourceIdentity = "New", TargetIdentity = "New" };
            var change = Assert.Single(Plan(new[] { Row("New", "Projects") }, groupChanges: new[] { creating }));
            Assert.Equal(TeamFolderAccessAction.Grant, change.Action);
            Assert.Equal("e-new", change.GroupId);
            Assert.Null(change.DropboxGroupId);
        }

        [Fact]
        public void A_group_the_engine_does_not_provision_gets_nothing_and_the_skip_says_why()
        {
            var change = Assert.Single(Plan(new[] { Row("Made by hand", "Projects") }));
            Assert.Equal(TeamFolderAccessAction.Skip, change.Action);
            Assert.StartsWith("GroupNotProvisioned", change.Reason);
            Assert.False(change.WritesToDropbox);
        }

        [Fact]
        public void A_missing_team_folder_is_created_only_for_a_row_that_asks_and_an_archived_one_is_left_alone()
        {
            var changes = Plan(new[] { Row("Sales", "Brand new", create: true), Row("Legal", "Nowhere"), Row("Legal", "Old") });
            Assert.Contains(changes, c => c.Action == TeamFolderAccessAction.Grant && c.CreatesTeamFolder && c.TeamFolderId == null && c.TeamFolder == "Brand new");
            Assert.Contains(changes, c => c.Action == TeamFolderAccessAction.Skip && c.Reason.StartsWith("TeamFolderNotFound"));
            Assert.Contains(changes, c => c.Action == TeamFolderAccessAction.Skip && c.Reason.StartsWith("TeamFolderNotActive"));
        }

        [Fact]
        public void A_grant_at_the_rows_level_is_left_alone_and_at_another_level_it_is_changed()
        {
            Assert.Empty(Plan(new[] { Row("Sales", "Projects") }, new[] { Grant("e-sales", "g:sales", "100", TeamFolderAccessLevel.Editor) }));
            var change = Assert.Single(Plan(new[] { Row("Sales", "Projects", TeamFolderAccessLevel.Viewer) }, new[] { Grant("e-sales", "g:sales", "100", TeamFolderAccessLevel.Editor) }));
            Assert.Equal(TeamFolderAccessAction.ChangeAccess, change.Action);
            Assert.Equal(TeamFolderAccessLevel.Editor, change.OldAccessLevel);
            Assert.Equal(TeamFolderAccessLevel.Viewer, change.AccessLevel);
        }

        [Fact]
        public void A_grant_no_row_asks_for_is_removed_and_one_whose_group_or_folder_is_gone_is_only_forgotten()
        {
            var deleting = new ProvisioningChange { ObjectType = ObjectType.Group, Planned = ChangeAction.Delete, SourceId = "e-legal", TargetId = "g:legal", TargetIdentity = "Legal" };
            var changes = Plan(new TeamFolderAccessRule[0], new[]
            {
                Grant("e-sales", "g:sales", "100", TeamFolderAccessLevel.Editor),
                Grant("e-legal", "g:legal", "100", TeamFolderAccessLevel.Viewer),
                Grant("e-sales", "g:sales", "999", TeamFolderAccessLevel.Viewer),
            }, new[] { deleting });
            Assert.Equal(3, changes.Count);
            var revoke = Assert.Single(changes, c => c.Action == TeamFolderAccessAction.Revoke);
            Assert.Equal("e-sales", revoke.GroupId);
            Assert.Equal("100", revoke.TeamFolderId);
            Assert.Equal(2, changes.Count(c => c.Action == TeamFolderAccessAction.Forget));
        }

        [Fact]
        public void Two_provisioned_groups_of_one_name_make_the_row_ambiguous()
        {
            var groups = new Dictionary<string, ManagedObject>(Groups, StringComparer.OrdinalIgnoreCase) { ["e-sales2"] = new ManagedObject { SourceId = "e-sales2", TargetId = "g:sales2", TargetIdentity = "Sales" } };
            var change = Assert.Single(TeamFolderAccessPlanner.Plan(new[] { Row("Sales", "Projects") }, groups, new ProvisioningChange[0], new List<TeamFolderGrant>(), Folders));
            Assert.StartsWith("AmbiguousGroup", change.Reason);
        }

        [Fact]
        public void An_empty_table_leaves_a_saved_configuration_and_its_fingerprint_as_they_were_and_a_table_round_trips()
        {
            var plain = new ProvisioningConfiguration();
            var json = ConfigurationFile.ToJson(plain);
            Assert.DoesNotContain("teamFolderAccess", json);
            var withTable = plain.Clone();
            withTable.TeamFolderAccess.Add(Row("Sales", "Projects", TeamFolderAccessLevel.Viewer, create: true));
            Assert.Equal(ConfigurationFile.Fingerprint(plain), ConfigurationFile.Fingerprint(withTable));
            var back = ConfigurationFile.FromJson(ConfigurationFile.ToJson(withTable), "test.json");
            var row = Assert.Single(back.TeamFolderAccess);
            Assert.Equal(TeamFolderAccessLevel.Viewer, row.AccessLevel);
            Assert.True(row.Create);
            Assert.Contains("\"accessLevel\": \"Viewer\"", ConfigurationFile.ToJson(withTable));
        }

        [Fact]
        public void A_table_is_refused_over_SCIM_and_a_duplicate_row_anywhere()
        {
            var table = new List<TeamFolderAccessRule> { Row("Sales", "Projects") };
            TeamFolderAccessTable.Validate(table, DropboxApiKind.TeamApi);
            Assert.Equal("TeamApiOnlyTeamFolderAccess", Assert.Throws<Errors.DbxException>(() => TeamFolderAccessTable.Validate(table, DropboxApiKind.Scim)).Condition);
            table.Add(Row("sales", "PROJECTS", TeamFolderAccessLevel.Viewer));
            Assert.Equal("InvalidTeamFolderAccess", Assert.Throws<Errors.DbxException>(() => TeamFolderAccessTable.Validate(table, DropboxApiKind.TeamApi)).Condition);
        }
    }
}
