using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// After an arbitrary sequence of directory changes and cycles (a fixed seed), Dropbox holds exactly what
    /// the default mappings say it should: checked after every cycle, incremental and initial alike.
    /// </summary>
    public sealed class ConvergenceTests
    {
        private readonly ITestOutputHelper _output;
        public ConvergenceTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData(7, 30, Targets.Scim)]
        [InlineData(2024, 30, Targets.Scim)]
        [InlineData(7, 30, Targets.TeamApi)]
        public void Dropbox_converges_to_the_mapping_after_random_changes(int seed, int rounds, string api)
        {
            var (ps, _, sandbox) = Targets.Connect(api, 40, seed);
            using var session = ps;
            ps.Run("Set-DbxProvisioningSetting -DeletionThreshold 1000");
            var unmanaged = sandbox.Dropbox.Members.Where(m => m.Email.EndsWith("partner.example", StringComparison.Ordinal)).Select(m => m.Clone()).ToList();
            var random = new Random(seed);
            var ever = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

            for (var round = 0; round < rounds; round++)
            {
                var operations = random.Next(1, 5);
                for (var i = 0; i < operations; i++) _output.WriteLine($"round {round}: {Mutate(sandbox, random)}");
                if (random.Next(8) == 0) { ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false"); _output.WriteLine("restart watermark"); }

                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Force");
                Assert.True(result.Failed == 0, $"round {round}: " + string.Join("; ", result.Changes.Where(c => c.Status == ChangeStatus.Failure).Select(c => $"{c.Action} {c.TargetIdentity}: {c.StatusDetails}")));
                foreach (var upn in ExpectedInScope(sandbox).Keys) ever.Add(upn);
                AssertConverged(sandbox, api, unmanaged, ever, $"seed {seed}, round {round} ({result.Mode})");

                // A cycle right after changes nothing.
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Force");
                Assert.Equal(0, idle.Created + idle.Updated + idle.Suspended + idle.Deleted + idle.GroupsCreated + idle.GroupsUpdated + idle.GroupsDeleted);
            }
        }

        private static string Mutate(SandboxTenant sandbox, Random random)
        {
            var directory = sandbox.Directory;
            var users = directory.Users.ToList();
            var user = users[random.Next(users.Count)];
            switch (random.Next(11))
            {
                case 0: directory.UpdateUser(user.Id, u => u.DisplayName = "Name " + random.Next(1000)); return "rename " + user.UserPrincipalName;
                case 1: directory.UpdateUser(user.Id, u => u.GivenName = "Given" + random.Next(1000)); return "given name " + user.UserPrincipalName;
                case 2: directory.UpdateUser(user.Id, u => u.AccountEnabled = !u.AccountEnabled); return "toggle sign-in " + user.UserPrincipalName;
                case 3: directory.Unassign(user.Id); return "unassign " + user.UserPrincipalName;
                case 4:
                    if (directory.Assignments.Any(a => a.PrincipalId == user.Id && a.AppRoleId == SandboxCredentials.UserAppRoleId)) return "already assigned " + user.UserPrincipalName;
                    directory.Assign(user.Id, SandboxCredentials.UserAppRoleId); return "assign " + user.UserPrincipalName;
                case 5:
                    var deleted = directory.DeletedUsers.ToList();
                    if (deleted.Count > 0 && random.Next(2) == 0) { directory.RestoreUser(deleted[0].Id); return "restore " + deleted[0].UserPrincipalName; }
                    directory.SoftDeleteUser(user.Id); return "soft delete " + user.UserPrincipalName;
                case 6: directory.HardDeleteUser(user.Id); return "hard delete " + user.UserPrincipalName;
                case 7:
                {
                    var group = AssignedGroups(sandbox).OrderBy(g => g.Id).FirstOrDefault();
                    if (group == null) return "no group";
                    if (group.MemberIds.Contains(user.Id)) { directory.RemoveMember(group.Id, user.Id); return $"remove {user.UserPrincipalName} from {group.DisplayName}"; }
                    directory.AddMember(group.Id, user.Id); return $"add {user.UserPrincipalName} to {group.DisplayName}";
                }
                case 8:
                {
                    var group = AssignedGroups(sandbox).OrderBy(g => g.Id).FirstOrDefault();
                    if (group == null) return "no group";
                    directory.UpdateGroup(group.Id, g => g.DisplayName = "Group " + random.Next(1000)); return "rename group " + group.Id;
                }
                case 9:
                    var invited = sandbox.Dropbox.Members.Where(m => m.Status == DropboxMemberStatus.Invited).ToList();
                    if (invited.Count == 0) return "nobody invited";
                    var joining = invited[random.Next(invited.Count)];
                    sandbox.Dropbox.AcceptInvitation(joining.TeamMemberId); return "joins Dropbox " + joining.Email;
                default: directory.UpdateUser(user.Id, u => u.Surname = random.Next(3) == 0 ? null : "Surname" + random.Next(100)); return "surname " + user.UserPrincipalName;
            }
        }

        private static IEnumerable<DirectoryGroup> AssignedGroups(SandboxTenant sandbox) =>
            sandbox.Directory.Assignments.Where(a => a.PrincipalType == "Group" && a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId)
                .Select(a => sandbox.Directory.GetGroup(a.PrincipalId)).Where(g => g != null).Distinct();

        /// <summary>
        /// The users the mapping puts in Dropbox, by userPrincipalName: entitled and enabled, and with a surname
        /// (Dropbox needs one to create an account; an account that exists keeps its surname when Entra's is cleared).
        /// </summary>
        private static Dictionary<string, DirectoryUser> ExpectedInScope(SandboxTenant sandbox)
        {
            var directory = sandbox.Directory;
            var entitled = new HashSet<string>();
            foreach (var a in directory.Assignments.Where(a => a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId))
            {
                if (a.PrincipalType == "User") entitled.Add(a.PrincipalId);
                else foreach (var m in directory.GetGroup(a.PrincipalId)?.MemberIds ?? new HashSet<string>()) entitled.Add(m);
            }
            return directory.Users.Where(u => entitled.Contains(u.Id) && u.AccountEnabled && (!string.IsNullOrEmpty(u.Surname) || sandbox.Dropbox.FindByEmail(u.UserPrincipalName) != null))
                .ToDictionary(u => u.UserPrincipalName, StringComparer.OrdinalIgnoreCase);
        }

        private static void AssertConverged(SandboxTenant sandbox, string api, List<DropboxMember> unmanaged, HashSet<string> ever, string where)
        {
            var expected = ExpectedInScope(sandbox);
            var members = sandbox.Dropbox.Members.ToList();
            Assert.True(members.Select(m => m.Email.ToLowerInvariant()).Distinct().Count() == members.Count, "duplicate accounts at " + where);
            foreach (var pair in expected)
            {
                var member = members.SingleOrDefault(m => string.Equals(m.Email, pair.Key, StringComparison.OrdinalIgnoreCase));
                Assert.True(member != null, $"{pair.Key} missing at {where}");
                Assert.True(member.Status == DropboxMemberStatus.Invited || member.Status == DropboxMemberStatus.Active, $"{pair.Key} is {member.Status} at {where}");
                // SCIM sets the mapping's display name; over the Team API it is Dropbox's own, of the given name and surname.
                Assert.Equal(api == Targets.Scim ? pair.Value.DisplayName : ((member.GivenName ?? "") + " " + (member.Surname ?? "")).Trim(), member.DisplayName);
                Assert.Equal(pair.Value.GivenName, member.GivenName);
                if (!string.IsNullOrEmpty(pair.Value.Surname)) Assert.Equal(pair.Value.Surname, member.Surname);
                Assert.Equal(pair.Value.MailNickname, member.ExternalId);
            }
            foreach (var member in members.Where(m => !expected.ContainsKey(m.Email)))
            {
                var before = unmanaged.FirstOrDefault(u => u.TeamMemberId == member.TeamMemberId);
                if (before != null)
                {
                    Assert.Equal(before.Status, member.Status);
                    Assert.Equal(before.LastModified, member.LastModified);
                    continue;
                }
                // Every other account was provisioned once; out of scope now, it must be suspended.
                Assert.True(ever.Contains(member.Email) || member.Email.EndsWith("partner.example", StringComparison.Ordinal) || IsPreexisting(member), $"{member.Email} should not exist at {where}");
                Assert.True(member.Status == DropboxMemberStatus.Suspended, $"{member.Email} should be suspended at {where} but is {member.Status}");
            }
            foreach (var group in AssignedGroups(sandbox))
            {
                var dropbox = sandbox.Dropbox.Groups.SingleOrDefault(g => g.GroupExternalId == group.Id);
                Assert.True(dropbox != null, $"group {group.DisplayName} missing at {where}");
                Assert.Equal(group.DisplayName, dropbox.GroupName);
                var expectedMembers = new HashSet<string>(group.MemberIds.Select(id => sandbox.Directory.GetUser(id)).Where(u => u != null && expected.ContainsKey(u.UserPrincipalName))
                    .Select(u => members.Single(m => string.Equals(m.Email, u.UserPrincipalName, StringComparison.OrdinalIgnoreCase)).TeamMemberId));
                Assert.True(expectedMembers.SetEquals(dropbox.MemberIds), $"members of {group.DisplayName} differ at {where}: expected {string.Join(",", expectedMembers)}; Dropbox {string.Join(",", dropbox.MemberIds)}");
            }
        }

        private static bool IsPreexisting(DropboxMember member) => member.InvitedOn == null && member.JoinedOn != null && member.Created < DateTimeOffset.UtcNow.AddHours(-1);
    }
}
