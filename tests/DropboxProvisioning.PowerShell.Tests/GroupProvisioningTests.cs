using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>Groups: created, renamed, deleted, and their members kept in step with the provisioned users.</summary>
    public sealed class GroupProvisioningTests
    {
        private static (PowerShellSession ps, DbxConnection connection, SandboxTenant sandbox) Connect(string api) => Targets.Connect(api, 40, 31);

        /// <summary>Dropbox ids of the provisioned, active members of an Entra group, as Dropbox should hold them.</summary>
        private static HashSet<string> ExpectedMembers(SandboxTenant sandbox, string groupId) =>
            new HashSet<string>(sandbox.Directory.GetGroup(groupId).MemberIds
                .Select(id => sandbox.Directory.GetUser(id))
                .Where(u => u != null)
                .Select(u => sandbox.Dropbox.FindByEmail(u.UserPrincipalName))
                .Where(m => m != null && m.Status != Sandbox.Dropbox.DropboxMemberStatus.Suspended)
                .Select(m => m.TeamMemberId));

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Assigned_groups_are_created_with_their_provisioned_members_and_kept_in_step(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                var assigned = sandbox.Directory.Assignments.Where(a => a.PrincipalType == "Group" && a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId).Select(a => sandbox.Directory.GetGroup(a.PrincipalId)).ToList();
                Assert.NotEmpty(assigned);
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(assigned.Count, first.GroupsCreated);
                foreach (var each in assigned)
                {
                    var dropbox = sandbox.Dropbox.FindGroupByName(each.DisplayName);
                    Assert.NotNull(dropbox);
                    Assert.Equal(each.Id, dropbox.GroupExternalId);
                    Assert.Equal(ExpectedMembers(sandbox, each.Id), new HashSet<string>(dropbox.MemberIds));
                }
                // Unassigned groups, and the nested group inside an assigned one, are not provisioned.
                Assert.Equal(assigned.Count, sandbox.Dropbox.Groups.Count);

                var writes = Targets.Writes(sandbox, api);
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.GroupsCreated + idle.GroupsUpdated + idle.GroupsDeleted);
                Assert.Equal(writes, Targets.Writes(sandbox, api));

                // A new member, assigned directly so she is provisioned, joins the Dropbox group by a PATCH add.
                var group = assigned[0];
                var newcomer = sandbox.Directory.Users.First(u => u.AccountEnabled && !string.IsNullOrEmpty(u.Surname) && !group.MemberIds.Contains(u.Id)
                    && sandbox.Dropbox.FindByEmail(u.UserPrincipalName) != null);
                sandbox.Directory.AddMember(group.Id, newcomer.Id);
                sandbox.Directory.UpdateGroup(group.Id, g => g.DisplayName = "Renamed Dropbox Group");
                sandbox.Journal.Clear();
                var changed = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, changed.GroupsUpdated);
                var renamed = sandbox.Dropbox.FindGroupByName("Renamed Dropbox Group");
                Assert.NotNull(renamed);
                Assert.Contains(sandbox.Dropbox.FindByEmail(newcomer.UserPrincipalName).TeamMemberId, renamed.MemberIds);
                // The rename and one member add: never a full member replace.
                var groupWrites = Targets.WriteEntries(sandbox, api);
                if (api == Targets.Scim)
                {
                    Assert.Equal(2, groupWrites.Count(e => e.Method == "PATCH" && e.Path.Contains("/Groups/")));
                    Assert.DoesNotContain(groupWrites, e => e.Method == "PUT");
                }
                else Assert.Equal(new[] { "/2/team/groups/members/add", "/2/team/groups/update" }, groupWrites.Select(e => e.Path).OrderBy(p => p, System.StringComparer.Ordinal));
                Assert.Equal(2, groupWrites.Count);

                sandbox.Directory.RemoveMember(group.Id, newcomer.Id);
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                Assert.DoesNotContain(sandbox.Dropbox.FindByEmail(newcomer.UserPrincipalName).TeamMemberId, sandbox.Dropbox.FindGroupByName("Renamed Dropbox Group").MemberIds);

                // Unassigned: the group is deleted in Dropbox.
                sandbox.Directory.Unassign(group.Id);
                var deleted = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, deleted.GroupsDeleted);
                Assert.Null(sandbox.Dropbox.FindGroupByName("Renamed Dropbox Group"));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Members_an_admin_already_added_in_Dropbox_do_not_stop_the_others_from_joining(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var group = sandbox.Directory.Assignments.Where(a => a.PrincipalType == "Group" && a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId)
                    .Select(a => sandbox.Directory.GetGroup(a.PrincipalId)).First();
                var dropboxGroup = sandbox.Dropbox.FindGroupByName(group.DisplayName);
                var joining = sandbox.Directory.Users.Where(u => u.AccountEnabled && !group.MemberIds.Contains(u.Id) && sandbox.Dropbox.FindByEmail(u.UserPrincipalName) != null)
                    .Take(2).ToList();
                Assert.Equal(2, joining.Count);
                // An admin adds the first one in the Dropbox console; Entra then adds both.
                sandbox.Dropbox.AddGroupMembers(dropboxGroup.GroupId, new[] { sandbox.Dropbox.FindByEmail(joining[0].UserPrincipalName).TeamMemberId });
                foreach (var user in joining) sandbox.Directory.AddMember(group.Id, user.Id);

                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleStatus.Succeeded, result.Status);
                Assert.Equal(0, result.Failed);
                Assert.Equal(1, result.GroupsUpdated);
                var members = sandbox.Dropbox.FindGroupByName(group.DisplayName).MemberIds;
                foreach (var user in joining) Assert.Contains(sandbox.Dropbox.FindByEmail(user.UserPrincipalName).TeamMemberId, members);
                Assert.Equal(members.Count, members.Distinct().Count());
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_member_deleted_in_the_cycle_that_updates_its_group_fails_neither(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var group = sandbox.Directory.Assignments.Where(a => a.PrincipalType == "Group" && a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId)
                    .Select(a => sandbox.Directory.GetGroup(a.PrincipalId)).First(g => ExpectedMembers(sandbox, g.Id).Count >= 2);
                var dropboxGroup = sandbox.Dropbox.FindGroupByName(group.DisplayName);
                var leaving = sandbox.Directory.GetUser(group.MemberIds.First(id => sandbox.Dropbox.FindByEmail(sandbox.Directory.GetUser(id)?.UserPrincipalName ?? "") != null
                    && dropboxGroup.MemberIds.Contains(sandbox.Dropbox.FindByEmail(sandbox.Directory.GetUser(id).UserPrincipalName).TeamMemberId)));

                // Deleted in Entra: the account is removed from Dropbox, which takes it out of its groups, and then the
                // group's update removes it again (over the Team API, groups/members/remove refuses a member not in the group).
                sandbox.Directory.HardDeleteUser(leaving.Id);
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.True(result.Failed == 0, string.Join("; ", result.Changes.Where(c => c.Status == ChangeStatus.Failure).Select(c => c.TargetIdentity + ": " + c.StatusDetails)));
                Assert.Equal(1, result.Deleted);
                Assert.Null(sandbox.Dropbox.FindByEmail(leaving.UserPrincipalName));
                Assert.Equal(ExpectedMembers(sandbox, group.Id), new HashSet<string>(sandbox.Dropbox.FindGroupByName(group.DisplayName).MemberIds));
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.Failed + idle.GroupsUpdated + idle.Deleted);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_group_is_provisioned_on_demand_with_its_steps(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var group = sandbox.Directory.Assignments.Where(a => a.PrincipalType == "Group" && a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId).Select(a => sandbox.Directory.GetGroup(a.PrincipalId)).First();
                sandbox.Directory.UpdateGroup(group.Id, g => g.DisplayName = "On Demand Group");
                var result = ps.Single<OnDemandResult>("Start-DbxProvisioningOnDemand -GroupId $g -Confirm:$false", new Dictionary<string, object> { ["g"] = group.Id });
                Assert.Equal(new[] { "Import group", "Determine if group is in scope", "Match group between Entra ID and Dropbox", "Perform action" }, result.Steps.Select(s => s.Name));
                Assert.Equal(ChangeStatus.Success, result.Status);
                Assert.Equal(ChangeAction.Update, result.Change.Action);
                Assert.NotNull(sandbox.Dropbox.FindGroupByName("On Demand Group"));

                var unassigned = sandbox.Directory.Groups.First(g => !sandbox.Directory.Assignments.Any(a => a.PrincipalId == g.Id));
                var skipped = ps.Single<OnDemandResult>("Start-DbxProvisioningOnDemand -GroupId $g", new Dictionary<string, object> { ["g"] = unassigned.Id });
                Assert.Equal(ChangeStatus.Skipped, skipped.Steps[1].Status);
                Assert.Null(sandbox.Dropbox.FindGroupByName(unassigned.DisplayName));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Members_that_are_not_provisioned_are_left_out_and_logged(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                var assignment = sandbox.Directory.Assignments.First(a => a.PrincipalType == "Group" && a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId);
                var outsider = sandbox.Directory.Users.First(u => string.IsNullOrEmpty(u.Surname));
                sandbox.Directory.AddMember(assignment.PrincipalId, outsider.Id);
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                var create = Assert.Single(result.Changes, c => c.ObjectType == ObjectType.Group && c.SourceId == assignment.PrincipalId);
                Assert.Contains("not provisioned", create.StatusDetails);
                Assert.Contains(ps.Run("Get-DbxProvisioningLog -ObjectType Group").Select(o => (ProvisioningLogRecord)o.BaseObject), r => r.StatusDetails.Contains("left out"));
                Assert.Equal(ExpectedMembers(sandbox, assignment.PrincipalId), new HashSet<string>(sandbox.Dropbox.FindGroupByName(sandbox.Directory.GetGroup(assignment.PrincipalId).DisplayName).MemberIds));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void An_existing_Dropbox_group_with_the_same_name_is_adopted_and_unrelated_groups_are_untouched(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                var assignment = sandbox.Directory.Assignments.First(a => a.PrincipalType == "Group" && a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId);
                var name = sandbox.Directory.GetGroup(assignment.PrincipalId).DisplayName;
                var existing = sandbox.Dropbox.AddGroup(name);
                var unrelated = sandbox.Dropbox.AddGroup("Made in Dropbox");
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Contains(result.Changes, c => c.ObjectType == ObjectType.Group && c.IsAdoption && c.TargetId == existing.GroupId);
                Assert.Single(sandbox.Dropbox.Groups, g => g.GroupName == name);
                Assert.NotNull(sandbox.Dropbox.GetGroup(unrelated.GroupId));
                Assert.Empty(sandbox.Dropbox.GetGroup(unrelated.GroupId).MemberIds);
            }
        }
    }
}
