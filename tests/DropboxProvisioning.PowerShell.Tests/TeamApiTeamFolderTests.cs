using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Team folder access (Set-/Get-/Remove-DbxTeamFolderAccess): provisioned groups get access to team folders at the
    /// table's level through the Team API emulator (sharing/* as the authorizing admin), the level changes and the access
    /// is removed with the table, hand-made access is never touched, refusals are logged and tried again, -WhatIf writes
    /// nothing; over SCIM the table is refused.
    /// </summary>
    public sealed class TeamApiTeamFolderTests
    {
        private static int Calls(SandboxTenant sandbox, string prefix) => sandbox.Journal.Entries().Count(e => e.Path.StartsWith("/2/" + prefix, System.StringComparison.Ordinal));

        [Fact]
        public void Provisioned_groups_get_team_folder_access_at_the_tables_level_which_follows_the_table_and_leaves_hand_made_access_alone()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 30, 61);
            using (ps)
            {
                var assigned = sandbox.Directory.Assignments.Where(a => a.PrincipalType == "Group" && a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId)
                    .Select(a => sandbox.Directory.GetGroup(a.PrincipalId)).Distinct().ToList();
                Assert.NotEmpty(assigned);
                // One group named by its name, one by its Entra id (the same group when only one is assigned).
                var (byName, byId) = (assigned[0], assigned[assigned.Count - 1]);
                var projects = sandbox.Dropbox.TeamFolders.Create("Projects");
                var handMade = sandbox.Dropbox.AddGroup("Made by hand");
                sandbox.Dropbox.TeamFolders.Edit(projects, f => f.Members[handMade.GroupId] = "editor");

                ps.Run($"Set-DbxTeamFolderAccess -Group '{byName.DisplayName}' -TeamFolder Projects -AccessLevel Editor");
                ps.Run($"Set-DbxTeamFolderAccess -Group {byId.Id} -TeamFolder 'New Folder' -AccessLevel Viewer -Create");
                ps.Run("Set-DbxTeamFolderAccess -Group 'No such group' -TeamFolder Projects");
                Assert.Equal(3, ps.Run("Get-DbxTeamFolderAccess").Count);

                // -WhatIf: the grants (for groups this cycle creates) are shown; nothing is created or shared.
                sandbox.Journal.Clear();
                var look = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => o.BaseObject).OfType<TeamFolderAccessChange>().ToList();
                Assert.Equal(2, look.Count(c => c.Action == TeamFolderAccessAction.Grant));
                Assert.Contains(look, c => c.Action == TeamFolderAccessAction.Grant && c.CreatesTeamFolder && c.TeamFolder == "New Folder" && c.AccessLevel == TeamFolderAccessLevel.Viewer);
                Assert.Contains(look, c => c.Action == TeamFolderAccessAction.Skip && c.Reason.StartsWith("GroupNotProvisioned"));
                Assert.Equal(0, Calls(sandbox, "sharing/") + Calls(sandbox, "team/team_folder/create"));
                Assert.Null(sandbox.Dropbox.TeamFolders.FindByName("New Folder"));

                // No admin behind the token yet (token/get_authenticated_admin: mapping_not_found): the grants fail, are logged and not recorded.
                var refused = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(assigned.Count, refused.GroupsCreated);
                Assert.Equal(2, refused.TeamFolderAccess.Count(c => c.Status == ChangeStatus.Failure));
                Assert.Empty(connection.Store.LoadState().TeamFolderGrants);
                var failures = connection.Store.Logs.Read().Where(r => r.ObjectType == "TeamFolderAccess" && r.Status == ChangeStatus.Failure).ToList();
                Assert.Equal(2, failures.Count);
                Assert.All(failures, r => Assert.Contains("mapping_not_found", r.StatusDetails));
                Assert.NotNull(sandbox.Dropbox.TeamFolders.FindByName("New Folder")); // created before the grant was refused

                // With an admin: the next cycle tries again and both groups get their access, as the authorizing admin.
                var admin = sandbox.Dropbox.AddMember("it-admin@contoso.example", "Ida", "Admin", DropboxMemberStatus.Active);
                sandbox.Dropbox.UpdateMember(admin.TeamMemberId, m => m.Role = "team_admin");
                var granted = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(2, granted.TeamFolderAccessGranted);
                Assert.Equal(0, granted.Failed);
                var nameGroup = sandbox.Dropbox.FindGroupByName(byName.DisplayName).GroupId;
                var idGroup = sandbox.Dropbox.FindGroupByName(byId.DisplayName).GroupId;
                var newFolder = sandbox.Dropbox.TeamFolders.FindByName("New Folder");
                Assert.Equal("editor", sandbox.Dropbox.TeamFolders.AccessOf(projects.TeamFolderId, nameGroup));
                Assert.Equal("viewer", sandbox.Dropbox.TeamFolders.AccessOf(newFolder.TeamFolderId, idGroup));
                Assert.Single(sandbox.Dropbox.TeamFolders.All, f => f.Name == "New Folder");
                var grants = connection.Store.Logs.Read().Where(r => r.ObjectType == "TeamFolderAccess" && r.Action == ChangeAction.Create && r.Status == ChangeStatus.Success).ToList();
                Assert.Equal(2, grants.Count);
                // The same records through the cmdlet, by their object type.
                var viaCmdlet = ps.Run("Get-DbxProvisioningLog -ObjectType TeamFolderAccess -Action Create -Status Success").Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
                Assert.Equal(grants.Select(r => r.SourceId).OrderBy(x => x), viaCmdlet.Select(r => r.SourceId).OrderBy(x => x));
                Assert.All(ps.Run("Get-DbxProvisioningLog -ObjectType User").Select(o => (ProvisioningLogRecord)o.BaseObject), r => Assert.Equal("User", r.ObjectType));
                Assert.Contains(grants, r => r.SourceId == byId.Id && r.TargetIdentity == "New Folder" && r.ModifiedProperties.Any(p => p.Name == "accessLevel" && p.NewValue == "viewer"));
                Assert.All(ps.Run("Get-DbxTeamFolderAccess -TeamFolder Projects").Select(o => (TeamFolderAccessEntry)o.BaseObject).Where(e => e.Group == byName.DisplayName),
                    e => Assert.Equal("Granted", e.State));

                // In step: no sharing call at all.
                sandbox.Journal.Clear();
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.TeamFolderAccessGranted + idle.TeamFolderAccessChanged + idle.TeamFolderAccessRevoked + idle.Failed);
                Assert.Equal(0, Calls(sandbox, "sharing/"));

                // A new level: update_folder_member; the table is not part of the fingerprint, so the cycle stays incremental.
                ps.Run($"Set-DbxTeamFolderAccess -Group '{byName.DisplayName}' -TeamFolder Projects -AccessLevel Viewer");
                var changed = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Incremental, changed.Mode);
                Assert.Equal(1, changed.TeamFolderAccessChanged);
                Assert.Equal("viewer", sandbox.Dropbox.TeamFolders.AccessOf(projects.TeamFolderId, nameGroup));

                // The row removed: the engine removes its own grant, and only that.
                ps.Run($"Remove-DbxTeamFolderAccess -Group '{byName.DisplayName}' -TeamFolder Projects");
                Assert.Contains(ps.Run("Get-DbxTeamFolderAccess").Select(o => (TeamFolderAccessEntry)o.BaseObject), e => e.State == "Removing" && e.TeamFolder == "Projects");
                var removed = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, removed.TeamFolderAccessRevoked);
                Assert.Null(sandbox.Dropbox.TeamFolders.AccessOf(projects.TeamFolderId, nameGroup));
                Assert.Equal("editor", sandbox.Dropbox.TeamFolders.AccessOf(projects.TeamFolderId, handMade.GroupId));
                Assert.Equal("viewer", sandbox.Dropbox.TeamFolders.AccessOf(newFolder.TeamFolderId, idGroup));
                Assert.Single(connection.Store.LoadState().TeamFolderGrants);
                Assert.Contains(connection.Store.Logs.Read(), r => r.ObjectType == "TeamFolderAccess" && r.Action == ChangeAction.Delete && r.Status == ChangeStatus.Success && r.SourceId == byName.Id);
            }
        }

        [Fact]
        public void A_refused_grant_waits_in_escrow_with_backoff_and_is_sent_again_when_due_or_when_escrows_are_restarted()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 30, 61);
            using (ps)
            {
                var group = sandbox.Directory.Assignments.Where(a => a.PrincipalType == "Group" && a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId)
                    .Select(a => sandbox.Directory.GetGroup(a.PrincipalId)).First();
                sandbox.Dropbox.TeamFolders.Create("Projects");
                ps.Run($"Set-DbxTeamFolderAccess -Group '{group.DisplayName}' -TeamFolder Projects -AccessLevel Editor");

                // No admin behind the token (mapping_not_found): the first refusal is tried again at the next cycle (no wait
                // after one failure), the second waits a cycle interval: the cycle after it sends nothing and says why.
                Assert.Equal(1, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").TeamFolderAccess.Count(c => c.Status == ChangeStatus.Failure));
                Assert.Equal(1, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").TeamFolderAccess.Count(c => c.Status == ChangeStatus.Failure));
                var escrow = Assert.Single(connection.Store.LoadState().TeamFolderEscrows).Value;
                Assert.Equal(2, escrow.Attempts);
                Assert.Contains("mapping_not_found", escrow.LastError);
                sandbox.Journal.Clear();
                var waiting = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, waiting.Failed);
                Assert.Equal(0, Calls(sandbox, "sharing/"));
                var skip = Assert.Single(waiting.TeamFolderAccess);
                Assert.Equal(TeamFolderAccessAction.Skip, skip.Action);
                Assert.StartsWith("Escrowed: Dropbox refused it 2 time(s)", skip.Reason);
                Assert.Contains(connection.Store.Logs.Read(), r => r.ObjectType == "TeamFolderAccess" && r.CycleId == waiting.CycleId && r.StatusDetails.Contains("Escrowed"));

                // The admin joins; Restart-DbxProvisioning -Scope Escrows sends it at once, and the grant clears the escrow.
                var admin = sandbox.Dropbox.AddMember("it-admin@contoso.example", "Ida", "Admin", DropboxMemberStatus.Active);
                sandbox.Dropbox.UpdateMember(admin.TeamMemberId, m => m.Role = "team_admin");
                ps.Run("Restart-DbxProvisioning -Scope Escrows -Confirm:$false");
                var granted = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, granted.TeamFolderAccessGranted);
                Assert.Empty(connection.Store.LoadState().TeamFolderEscrows);
                Assert.Single(connection.Store.LoadState().TeamFolderGrants);
            }
        }

        [Fact]
        public void The_table_is_refused_over_SCIM_and_a_bad_row_is_refused_with_the_saved_configuration_unchanged()
        {
            var (ps, connection, _) = Targets.Connect(Targets.Scim, 5, 3);
            using (ps)
            {
                var before = ConfigurationFile.ToJson(connection.Store.LoadConfiguration());
                ps.Invoke("Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales");
                var error = Assert.Single(ps.Errors);
                Assert.Contains("TeamApiOnlyTeamFolderAccess", error.FullyQualifiedErrorId);
                Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
                ps.Invoke("Set-DbxTeamFolderAccess -Group Sales -TeamFolder 'Sales/2026'");
                Assert.Contains("InvalidTeamFolderAccess", Assert.Single(ps.Errors).FullyQualifiedErrorId);
                ps.Invoke("Remove-DbxTeamFolderAccess -Group Sales -TeamFolder Sales");
                Assert.Contains("TeamFolderAccessNotFound", Assert.Single(ps.Errors).FullyQualifiedErrorId);
                Assert.Equal(before, ConfigurationFile.ToJson(connection.Store.LoadConfiguration()));
            }
        }
    }
}
