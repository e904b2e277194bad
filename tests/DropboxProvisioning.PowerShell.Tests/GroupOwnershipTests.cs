using System.IO;
using System.Linq;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// One rule for every Dropbox group the engine manages: it removes only the members it added and deletes only the
    /// groups it created, whether it created the group or matched a hand-made one by name; TakeOverDropboxGroups lifts it.
    /// </summary>
    public sealed class GroupOwnershipTests
    {
        private static (PowerShellSession ps, DbxConnection connection, SandboxTenant sandbox) Connect(string api) => Targets.Connect(api, 40, 31);

        private static Sandbox.Directory.DirectoryGroup AssignedGroup(SandboxTenant sandbox) =>
            sandbox.Directory.Assignments.Where(a => a.PrincipalType == "Group" && a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId)
                .Select(a => sandbox.Directory.GetGroup(a.PrincipalId)).First(g => g.MemberIds.Count >= 2);

        /// <summary>A Dropbox member no Entra user matches: someone an admin put in a group by hand.</summary>
        private static DropboxMember HandMadeMember(SandboxTenant sandbox, string name) =>
            sandbox.Dropbox.AddMember(name + "@fabrikam.example", "Hand", "Made " + name, DropboxMemberStatus.Active);

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_hand_made_group_matched_by_name_keeps_its_own_members_and_stays_in_Dropbox_after_unassignment(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                var group = AssignedGroup(sandbox);
                var hand = HandMadeMember(sandbox, "kept");
                var dropboxGroup = sandbox.Dropbox.AddGroup(group.DisplayName, null, new[] { hand.TeamMemberId });

                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, first.Failed);
                var matched = sandbox.Dropbox.GetGroup(dropboxGroup.GroupId);
                Assert.Contains(hand.TeamMemberId, matched.MemberIds);
                Assert.True(matched.MemberIds.Count > 1, "the Entra group's members were added");
                var engineAdded = matched.MemberIds.Where(m => m != hand.TeamMemberId).ToList();

                // An initial cycle reads the group's members from Dropbox again: the hand-made member is still kept.
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                Assert.Equal(0, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Failed);
                Assert.Contains(hand.TeamMemberId, sandbox.Dropbox.GetGroup(dropboxGroup.GroupId).MemberIds);

                sandbox.Directory.Unassign(group.Id);
                var after = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, after.Failed);
                Assert.Equal(0, after.GroupsDeleted);
                var left = sandbox.Dropbox.GetGroup(dropboxGroup.GroupId);
                Assert.NotNull(left);
                Assert.Equal(new[] { hand.TeamMemberId }, left.MemberIds.ToArray());
                Assert.All(engineAdded, m => Assert.DoesNotContain(m, left.MemberIds));
                Assert.False(connection.Store.LoadState().Groups.ContainsKey(group.Id));
                var record = ps.Run("Get-DbxProvisioningLog -ObjectType Group").Select(o => (ProvisioningLogRecord)o.BaseObject).First(r => r.SourceId == group.Id);
                Assert.Equal(ChangeAction.Other, record.Action);
                Assert.Contains("did not create", record.StatusDetails);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_member_added_by_hand_to_a_group_the_engine_created_is_kept_by_an_initial_cycle(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                var group = AssignedGroup(sandbox);
                Assert.Equal(0, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Failed);
                var created = sandbox.Dropbox.FindGroupByName(group.DisplayName);
                var hand = HandMadeMember(sandbox, "added");
                sandbox.Dropbox.AddGroupMembers(created.GroupId, new[] { hand.TeamMemberId });

                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                Assert.Equal(0, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Failed);
                Assert.Contains(hand.TeamMemberId, sandbox.Dropbox.GetGroup(created.GroupId).MemberIds);

                // The engine's own group, unassigned, is deleted as before.
                sandbox.Directory.Unassign(group.Id);
                Assert.Equal(1, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").GroupsDeleted);
                Assert.Null(sandbox.Dropbox.FindGroupByName(group.DisplayName));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void With_TakeOverDropboxGroups_a_matched_group_holds_only_the_provisioned_members_and_is_deleted_after_unassignment(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                Assert.False(ps.Single<ProvisioningSettings>("Get-DbxProvisioningSetting").TakeOverDropboxGroups);
                ps.Run("Set-DbxProvisioningSetting -TakeOverDropboxGroups $true");
                Assert.True(ps.Single<ProvisioningSettings>("Get-DbxProvisioningSetting").TakeOverDropboxGroups);
                var group = AssignedGroup(sandbox);
                var hand = HandMadeMember(sandbox, "removed");
                var dropboxGroup = sandbox.Dropbox.AddGroup(group.DisplayName, null, new[] { hand.TeamMemberId });

                Assert.Equal(0, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Failed);
                Assert.DoesNotContain(hand.TeamMemberId, sandbox.Dropbox.GetGroup(dropboxGroup.GroupId).MemberIds);

                sandbox.Directory.Unassign(group.Id);
                Assert.Equal(1, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").GroupsDeleted);
                Assert.Null(sandbox.Dropbox.GetGroup(dropboxGroup.GroupId));
            }
        }

        [Fact]
        public void TakeOverDropboxGroups_in_a_configuration_file_is_read_strictly()
        {
            var (ps, connection, _) = Connect(Targets.Scim);
            using (ps)
            {
                ps.Run("Set-DbxProvisioningSetting -TakeOverDropboxGroups $true");
                var file = connection.Store.ConfigurationFile;
                var text = File.ReadAllText(file);
                Assert.Contains("\"TakeOverDropboxGroups\": true", text);
                File.WriteAllText(file, text.Replace("\"TakeOverDropboxGroups\": true", "\"TakeOverDropboxGroups\": \"maybe\""));
                ps.Invoke("Get-DbxProvisioningSetting");
                var error = Assert.Single(ps.Errors);
                Assert.Matches("^GetDbxProvisioningSettingConfiguration(Invalid|Corrupt),", error.FullyQualifiedErrorId);
                Assert.Contains("TakeOverDropboxGroups", error.Exception.Message);
            }
        }
    }
}
