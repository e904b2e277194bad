using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Members who accepted their invitations (the usual case in a real team): updated, suspended, reactivated and deleted
    /// over both targets, with the sandbox's members joining per cycle or on demand.
    /// </summary>
    public sealed class JoinedMemberTests
    {
        private static List<DirectoryUser> NewAssignedUsers(SandboxTenant sandbox, int count) =>
            Enumerable.Range(1, count).Select(i =>
            {
                var user = sandbox.Directory.AddUser(new DirectoryUser
                {
                    UserPrincipalName = $"joiner{i}@contoso.onmicrosoft.com", DisplayName = $"Joiner {i}", GivenName = "Joiner", Surname = "Number" + i,
                    MailNickname = $"joiner{i}", Mail = $"joiner{i}@contoso.onmicrosoft.com", AccountEnabled = true,
                });
                sandbox.Directory.Assign(user.Id, SandboxCredentials.UserAppRoleId);
                return user;
            }).ToList();

        private static DropboxMember Account(SandboxTenant sandbox, DirectoryUser user) => sandbox.Dropbox.FindByEmail(user.UserPrincipalName);

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Joined_members_are_updated_suspended_reactivated_and_deleted(string api)
        {
            var (ps, connection, sandbox) = Targets.Connect(api, 20, 15);
            using (ps)
            {
                var users = NewAssignedUsers(sandbox, 4);
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                Assert.All(users, u => Assert.Equal(DropboxMemberStatus.Invited, Account(sandbox, u).Status));

                // They join, on demand from the connection's sandbox as a script would: $connection.Sandbox.Dropbox.AcceptInvitationOf(...)
                foreach (var user in users)
                    ps.Run("$c.Sandbox.Dropbox.AcceptInvitationOf($upn) | Out-Null", new Dictionary<string, object> { ["c"] = connection, ["upn"] = user.UserPrincipalName });
                Assert.All(users, u => Assert.Equal(DropboxMemberStatus.Active, Account(sandbox, u).Status));

                // Update: a new surname reaches the joined account; it stays joined.
                sandbox.Directory.UpdateUser(users[0].Id, u => u.Surname = "Renamed");
                var updated = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, updated.Updated);
                Assert.Equal("Renamed", Account(sandbox, users[0]).Surname);
                Assert.Equal(DropboxMemberStatus.Active, Account(sandbox, users[0]).Status);

                // Suspend: a joined member is suspended, not removed.
                sandbox.Directory.Unassign(users[1].Id);
                var suspended = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, suspended.Suspended);
                Assert.Equal(0, suspended.Deleted);
                Assert.Equal(DropboxMemberStatus.Suspended, Account(sandbox, users[1]).Status);

                // Reactivate: assigned again, the same account comes back.
                var teamMemberId = Account(sandbox, users[1]).TeamMemberId;
                sandbox.Directory.Assign(users[1].Id, SandboxCredentials.UserAppRoleId);
                var reactivated = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, reactivated.Created + reactivated.Failed);
                Assert.Equal(DropboxMemberStatus.Active, Account(sandbox, users[1]).Status);
                Assert.Equal(teamMemberId, Account(sandbox, users[1]).TeamMemberId);

                // Delete: deleted for good in Entra, the joined account leaves the team.
                sandbox.Directory.HardDeleteUser(users[2].Id);
                var deleted = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, deleted.Deleted);
                Assert.Null(Account(sandbox, users[2]));
                Assert.Equal(0, deleted.Failed);
                Assert.Equal(DropboxMemberStatus.Active, Account(sandbox, users[3]).Status);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Members_who_joined_between_cycles_are_suspended_not_removed(string api)
        {
            var (ps, connection, sandbox) = Targets.Connect(api, 20, 16);
            using (ps)
            {
                var users = NewAssignedUsers(sandbox, 6);
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                // Set from the script's side, as an admin rehearsing would: every invited member joins when the next cycle starts.
                ps.Run("$c.Sandbox.Options.InvitationsAcceptedPerCycle = 1", new Dictionary<string, object> { ["c"] = connection });
                foreach (var user in users.Take(3)) sandbox.Directory.Unassign(user.Id);
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(3, result.Suspended);
                Assert.Equal(0, result.Deleted);
                Assert.All(users.Take(3), u => Assert.Equal(DropboxMemberStatus.Suspended, Account(sandbox, u).Status));
                Assert.All(users.Skip(3), u => Assert.Equal(DropboxMemberStatus.Active, Account(sandbox, u).Status));
            }
        }
    }
}
