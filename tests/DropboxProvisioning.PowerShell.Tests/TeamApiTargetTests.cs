using System;
using System.Collections.Generic;
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
    /// The foundation and engine cycle stories run against both provisioning targets (SCIM 2.0 and the Team API v2),
    /// and a job switched from SCIM to the Team API finds nothing to change.
    /// </summary>
    public sealed class TeamApiTargetTests
    {
        private static (PowerShellSession ps, DbxConnection connection, SandboxTenant sandbox) Connect(string api, int users = 40, int seed = 7)
        {
            var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>($"Connect-DbxTenant -Sandbox -SandboxUserCount {users} -SandboxSeed {seed} -Api {api}");
            return (ps, connection, (SandboxTenant)connection.Sandbox);
        }

        private static readonly string[] ReadRoutes = { "/list", "/get_info", "job_status" };

        /// <summary>Writes Dropbox received over the target's API.</summary>
        private static int Writes(SandboxTenant sandbox, string api) => api == "Scim"
            ? sandbox.Journal.Count("scim", writesOnly: true)
            : sandbox.Journal.Entries().Count(e => e.Service == "dropbox-api" && e.Path.StartsWith("/2/team/", StringComparison.Ordinal) && !ReadRoutes.Any(r => e.Path.Contains(r)));

        private static HashSet<string> ExpectedUserNames(SandboxTenant sandbox) => Targets.ExpectedUserNames(sandbox);

        private static List<Sandbox.Directory.DirectoryUser> DirectUsers(SandboxTenant sandbox) =>
            sandbox.Directory.Assignments.Where(a => a.PrincipalType == "User" && a.AppRoleId == SandboxCredentials.UserAppRoleId)
                .Select(a => sandbox.Directory.GetUser(a.PrincipalId))
                .Where(u => u != null && u.AccountEnabled && !string.IsNullOrEmpty(u.Surname)
                    && !sandbox.Directory.Assignments.Any(g => g.PrincipalType == "Group" && sandbox.Directory.GetGroup(g.PrincipalId).MemberIds.Contains(u.Id)))
                .ToList();

        [Theory]
        [InlineData("Scim")]
        [InlineData("TeamApi")]
        public void First_cycle_creates_the_assigned_users_and_a_second_cycle_writes_nothing(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                Assert.Equal(api, connection.Api.ToString());
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleStatus.Succeeded, first.Status);
                Assert.True(first.Created > 10, "created " + first.Created);
                Assert.Equal(0, first.Failed);
                Assert.Equal(1, first.Adopted);
                var members = sandbox.Dropbox.Members;
                foreach (var upn in ExpectedUserNames(sandbox))
                    Assert.Single(members, m => string.Equals(m.Email, upn, StringComparison.OrdinalIgnoreCase));
                if (api == "TeamApi")
                {
                    // Creates went 20 to a members/add_v2 call.
                    var adds = sandbox.Journal.Entries().Count(e => e.Path == "/2/team/members/add_v2");
                    Assert.Equal((first.Created + 19) / 20, adds);
                }

                var writes = Writes(sandbox, api);
                var second = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, second.Created + second.Updated + second.Suspended + second.Deleted + second.Failed);
                Assert.Equal(writes, Writes(sandbox, api));
            }
        }

        [Theory]
        [InlineData("Scim")]
        [InlineData("TeamApi")]
        public void A_directory_change_becomes_exactly_that_update(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var user = DirectUsers(sandbox).First();
                sandbox.Directory.UpdateUser(user.Id, u => u.Surname = "Renamedsurname");
                var writes = Writes(sandbox, api);
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, result.Updated);
                Assert.Equal(0, result.Created + result.Suspended + result.Deleted + result.Failed);
                var change = Assert.Single(result.Changes, c => c.Action == ChangeAction.Update);
                Assert.Contains(change.ModifiedProperties, p => p.Name == "name.familyName" && p.NewValue == "Renamedsurname");
                Assert.Equal("Renamedsurname", sandbox.Dropbox.FindByEmail(user.UserPrincipalName).Surname);
                Assert.True(Writes(sandbox, api) > writes);
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.Created + idle.Updated + idle.Suspended + idle.Deleted + idle.Failed);
            }
        }

        [Theory]
        [InlineData("Scim")]
        [InlineData("TeamApi")]
        public void Unassigned_users_are_suspended_or_removed_when_still_invited(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var direct = DirectUsers(sandbox).Take(2).ToList();
                Assert.Equal(2, direct.Count);
                var joined = sandbox.Dropbox.FindByEmail(direct[0].UserPrincipalName);
                sandbox.Dropbox.AcceptInvitation(joined.TeamMemberId);
                Assert.Equal(DropboxMemberStatus.Invited, sandbox.Dropbox.FindByEmail(direct[1].UserPrincipalName).Status);

                sandbox.Directory.Unassign(direct[0].Id);
                sandbox.Directory.Unassign(direct[1].Id);
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, result.Suspended);
                Assert.Equal(1, result.Deleted);
                Assert.Equal(DropboxMemberStatus.Suspended, sandbox.Dropbox.GetMember(joined.TeamMemberId).Status);
                Assert.Null(sandbox.Dropbox.FindByEmail(direct[1].UserPrincipalName));
                var deleted = Assert.Single(result.Changes, c => c.Action == ChangeAction.Delete);
                Assert.Contains("invited", deleted.StatusDetails);
                if (api == "TeamApi") Assert.Contains("suspend_inactive_user", deleted.StatusDetails);

                sandbox.Directory.Assign(direct[0].Id, SandboxCredentials.UserAppRoleId);
                var back = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, back.Updated);
                Assert.Equal(DropboxMemberStatus.Active, sandbox.Dropbox.GetMember(joined.TeamMemberId).Status);
            }
        }

        [Theory]
        [InlineData("Scim")]
        [InlineData("TeamApi")]
        public void Incremental_cycles_read_only_what_changed(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 60, 21);
            using (ps)
            {
                Assert.Equal(CycleMode.Initial, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Mode);
                var user = DirectUsers(sandbox).First();
                sandbox.Directory.UpdateUser(user.Id, u => u.Surname = "Changedsurname");
                sandbox.Journal.Clear();
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Incremental, result.Mode);
                Assert.Equal(1, result.Updated);
                // Dropbox is not listed in an incremental cycle.
                Assert.DoesNotContain(sandbox.Journal.Entries(), e => e.Path.Contains("/members/list") || (e.Service == "scim" && e.Method == "GET" && e.Path.EndsWith("/Users")));
                Assert.Equal("Changedsurname", sandbox.Dropbox.FindByEmail(user.UserPrincipalName).Surname);
                sandbox.Journal.Clear();
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.Created + idle.Updated + idle.Suspended + idle.Deleted);
                Assert.Equal(0, Writes(sandbox, api));
            }
        }

        [Theory]
        [InlineData("Scim")]
        [InlineData("TeamApi")]
        public void A_mass_unassignment_is_held_by_the_deletion_guard_and_released_by_approval(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 60, 21);
            using (ps)
            {
                ps.Run("Set-DbxProvisioningSetting -DeletionThreshold 5");
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                foreach (var member in sandbox.Dropbox.Members.Where(m => m.Status == DropboxMemberStatus.Invited)) sandbox.Dropbox.AcceptInvitation(member.TeamMemberId);
                var victims = DirectUsers(sandbox).Take(10).ToList();
                foreach (var user in victims) sandbox.Directory.Unassign(user.Id);
                var writes = Writes(sandbox, api);
                var held = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, held.Suspended);
                Assert.Equal(writes, Writes(sandbox, api));
                Assert.Equal(10, held.Changes.Count(c => c.Action == ChangeAction.StagedDelete));
                Assert.Equal(QuarantinePolicy.TooManyDeletes, held.Quarantine);
                var approved = ps.Single<CycleResult>("Approve-DbxProvisioningDeletion -Confirm:$false");
                Assert.Equal(10, approved.Suspended);
                Assert.All(victims, v => Assert.Equal(DropboxMemberStatus.Suspended, sandbox.Dropbox.FindByEmail(v.UserPrincipalName).Status));
            }
        }

        [Fact]
        public void A_job_provisioned_over_SCIM_and_switched_to_the_Team_API_finds_nothing_to_change()
        {
            var (ps, scimConnection, sandbox) = Connect("Scim", 60, 21);
            using (ps)
            {
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.True(first.Created > 10);
                Assert.Contains(first.Changes, c => c.ObjectType == Mapping.ObjectType.Group && c.Action == ChangeAction.Create);
                var teamApi = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -Api TeamApi -SandboxConnection $scim", new Dictionary<string, object> { ["scim"] = scimConnection });
                Assert.Equal(Dropbox.DropboxApiKind.TeamApi, teamApi.Api);
                Assert.Same(sandbox, teamApi.Sandbox);
                Assert.Equal(scimConnection.StatePath, teamApi.StatePath);

                // A full (initial) cycle over the Team API: every account and group is read again and compared.
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                sandbox.Journal.Clear();
                var crossed = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Initial, crossed.Mode);
                Assert.Equal(0, crossed.Created + crossed.Updated + crossed.Suspended + crossed.Deleted + crossed.Failed + crossed.Adopted);
                Assert.Contains(sandbox.Journal.Entries(), e => e.Path == "/2/team/members/list_v2");
                Assert.Equal(0, Writes(sandbox, "TeamApi"));
                Assert.DoesNotContain(sandbox.Journal.Entries(), e => e.Service == "scim");
            }
        }
    }
}
