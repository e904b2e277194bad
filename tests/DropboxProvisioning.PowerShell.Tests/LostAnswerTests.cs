using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.Faults;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// A create Dropbox carried out but whose answer was lost (the connection dropped in the middle of it): the account
    /// is found again by the values the create sent, taken under management, then planned as usual, whatever happened
    /// to the user in Entra ID since. Over both targets.
    /// </summary>
    public sealed class LostAnswerTests
    {
        private static DirectoryUser NewAssignedUser(SandboxTenant sandbox, string name)
        {
            var user = sandbox.Directory.AddUser(new DirectoryUser
            {
                UserPrincipalName = $"{name}@contoso.onmicrosoft.com", DisplayName = $"Lost {name}", GivenName = "Lost", Surname = name,
                MailNickname = name, Mail = $"{name}@contoso.onmicrosoft.com", AccountEnabled = true,
            });
            sandbox.Directory.Assign(user.Id, SandboxCredentials.UserAppRoleId);
            return user;
        }

        /// <summary>Dropbox's members (not removed) whose address or external id is one of the user's, past or present.</summary>
        private static List<DropboxMember> AccountsOf(SandboxTenant sandbox, params string[] keys) =>
            sandbox.Dropbox.Members.Where(m => m.Status != DropboxMemberStatus.Removed
                && keys.Any(k => string.Equals(m.Email, k, StringComparison.OrdinalIgnoreCase) || string.Equals(m.ExternalId, k, StringComparison.OrdinalIgnoreCase))).ToList();

        /// <summary>The first cycle creates the user, and the create's answer is lost on the way back: Dropbox has the account, the engine does not know it.</summary>
        private static DirectoryUser LoseTheCreate(PowerShellSession ps, DbxConnection connection, SandboxTenant sandbox, string api)
        {
            ps.Run("Invoke-DbxProvisioningCycle | Out-Null"); // everyone else, without faults
            var user = NewAssignedUser(sandbox, "lostanswer");
            sandbox.Faults = new FaultPlan();
            sandbox.Faults.Add(new FaultRule(api == Targets.Scim ? "scim" : "dropbox-api", FaultKind.LostResponseDropped)
            {
                Methods = FaultMethods.Writes, PathContains = api == Targets.Scim ? "/Users" : "members/add_v2", MaxStarts = 1,
            });
            var lost = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            sandbox.Faults = null;
            Assert.Equal(1, lost.Failed);
            Assert.Single(AccountsOf(sandbox, user.UserPrincipalName));
            return user;
        }

        private static ManagedObject Managed(DbxConnection connection, DirectoryUser user)
        {
            new StateStore(connection.StatePath).LoadState().Users.TryGetValue(user.Id, out var managed);
            return managed;
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_lost_create_then_a_new_userPrincipalName_and_mailNickname_leaves_one_account_renamed(string api)
        {
            var (ps, connection, sandbox) = Targets.Connect(api, 12, 31);
            using (ps)
            {
                var user = LoseTheCreate(ps, connection, sandbox, api);
                var before = AccountsOf(sandbox, user.UserPrincipalName).Single().TeamMemberId;
                sandbox.Directory.UpdateUser(user.Id, u => { u.UserPrincipalName = "renamed@contoso.onmicrosoft.com"; u.MailNickname = "renamed"; u.Mail = "renamed@contoso.onmicrosoft.com"; });
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");

                Assert.Equal(0, result.Failed);
                Assert.Equal(0, result.Created);
                var accounts = AccountsOf(sandbox, "lostanswer@contoso.onmicrosoft.com", "lostanswer", "renamed@contoso.onmicrosoft.com", "renamed");
                Assert.Single(accounts);
                Assert.Equal(before, accounts[0].TeamMemberId);
                Assert.Equal("renamed@contoso.onmicrosoft.com", accounts[0].Email, ignoreCase: true);
                Assert.Equal("renamed", accounts[0].ExternalId);
                Assert.NotNull(Managed(connection, user));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_lost_create_then_a_new_userPrincipalName_is_updated_not_refused_every_cycle(string api)
        {
            var (ps, connection, sandbox) = Targets.Connect(api, 12, 32);
            using (ps)
            {
                var user = LoseTheCreate(ps, connection, sandbox, api);
                sandbox.Directory.UpdateUser(user.Id, u => { u.UserPrincipalName = "moved@contoso.onmicrosoft.com"; u.Mail = "moved@contoso.onmicrosoft.com"; });
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                var second = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Force");

                Assert.Equal(0, first.Failed);
                Assert.Equal(0, second.Failed);
                var account = AccountsOf(sandbox, "lostanswer@contoso.onmicrosoft.com", "moved@contoso.onmicrosoft.com", "lostanswer").Single();
                Assert.Equal("moved@contoso.onmicrosoft.com", account.Email, ignoreCase: true);
                Assert.Equal(account.TeamMemberId, sandbox.Dropbox.FindByEmail("moved@contoso.onmicrosoft.com").TeamMemberId);
                Assert.NotNull(Managed(connection, user));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_lost_create_then_an_unassignment_suspends_the_account(string api)
        {
            var (ps, connection, sandbox) = Targets.Connect(api, 12, 33);
            using (ps)
            {
                var user = LoseTheCreate(ps, connection, sandbox, api);
                Targets.AcceptAll(sandbox); // a joined member is suspended over both targets (an invited one is removed instead)
                sandbox.Directory.Unassign(user.Id);
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                // Even a full re-read leaves it suspended and managed.
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false | Out-Null");
                ps.Run("Invoke-DbxProvisioningCycle -Force | Out-Null");

                Assert.Equal(0, result.Failed);
                Assert.Equal(1, result.Suspended);
                var account = AccountsOf(sandbox, user.UserPrincipalName).Single();
                Assert.Equal(DropboxMemberStatus.Suspended, account.Status);
                Assert.False(Managed(connection, user).Active);
            }
        }
    
        /// <summary>
        /// Creates, renames (userPrincipalName, mail and mailNickname) and unassignments between cycles while Dropbox loses
        /// answers to writes; once the faults stop: each person has one account, and every account the engine made is managed.
        /// </summary>
        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_fault_storm_with_renames_and_unassignments_leaves_no_duplicate_and_no_orphan(string api)
        {
            var (ps, connection, sandbox) = Targets.Connect(api, 16, 34);
            using (ps)
            {
                var before = new HashSet<string>(sandbox.Dropbox.Members.Select(m => m.TeamMemberId));
                var service = api == Targets.Scim ? "scim" : "dropbox-api";
                var random = new Random(34);
                var people = new List<DirectoryUser>();
                var keys = new Dictionary<string, HashSet<string>>();
                var assigned = new Dictionary<string, bool>();
                sandbox.Faults = new FaultPlan(34);
                sandbox.Faults.Add(service, FaultKind.LostResponseDropped, 0.3, methods: FaultMethods.Writes);
                sandbox.Faults.Add(service, FaultKind.LostResponseBadGateway, 0.2, methods: FaultMethods.Writes);
                sandbox.Faults.Add(service, FaultKind.InternalServerError, 0.05);
                for (var round = 0; round < 4; round++)
                {
                    for (var i = 0; i < 4; i++)
                    {
                        var user = NewAssignedUser(sandbox, $"storm{round}x{i}");
                        people.Add(user);
                        keys[user.Id] = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { user.UserPrincipalName, user.MailNickname };
                        assigned[user.Id] = true;
                    }
                    ps.Invoke("Invoke-DbxProvisioningCycle -Force | Out-Null");
                    foreach (var user in people.Where(_ => random.Next(3) == 0).ToList())
                    {
                        if (random.Next(2) == 0)
                        {
                            var name = sandbox.Directory.GetUser(user.Id).MailNickname + "r" + round;
                            sandbox.Directory.UpdateUser(user.Id, u => { u.UserPrincipalName = name + "@contoso.onmicrosoft.com"; u.Mail = u.UserPrincipalName; u.MailNickname = name; });
                            keys[user.Id].Add(name + "@contoso.onmicrosoft.com");
                            keys[user.Id].Add(name);
                        }
                        else if (assigned[user.Id]) { sandbox.Directory.Unassign(user.Id); assigned[user.Id] = false; }
                        else { sandbox.Directory.Assign(user.Id, SandboxCredentials.UserAppRoleId); assigned[user.Id] = true; }
                    }
                }
                var lost = sandbox.Faults.Counters[FaultKind.LostResponseDropped] + sandbox.Faults.Counters[FaultKind.LostResponseBadGateway];
                sandbox.Faults = null;
                for (var i = 0; i < 4; i++)
                {
                    var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Force");
                    if (result.Changes.All(c => c.Action == ChangeAction.Skip)) break;
                }

                var state = new StateStore(connection.StatePath).LoadState();
                var managed = new HashSet<string>(state.Users.Values.Select(m => m.TargetId).Where(id => id != null));
                var made = sandbox.Dropbox.Members.Where(m => m.Status != DropboxMemberStatus.Removed && !before.Contains(m.TeamMemberId)).ToList();
                var duplicates = people.Sum(p => Math.Max(0, made.Count(m => keys[p.Id].Contains(m.Email) || (m.ExternalId != null && keys[p.Id].Contains(m.ExternalId))) - 1));
                var orphans = made.Count(m => !managed.Contains(m.TeamMemberId));
                Assert.True(lost > 0, "no answer was lost");
                Assert.Equal(0, duplicates);
                Assert.Equal(0, orphans);
                foreach (var person in people)
                {
                    var accounts = made.Where(m => keys[person.Id].Contains(m.Email)).ToList();
                    if (assigned[person.Id])
                    {
                        // One account (whether the last rename has reached it depends on escrow backoff for a lost PATCH answer, not on this finding).
                        Assert.NotEqual(DropboxMemberStatus.Suspended, Assert.Single(accounts).Status);
                    }
                    else Assert.All(accounts, a => Assert.Equal(DropboxMemberStatus.Suspended, a.Status)); // an invited member is removed instead
                }
            }
        }

        /// <summary>A group create whose answer is lost, then the group renamed in Entra ID: the group Dropbox made is found by its external id, renamed, never made twice.</summary>
        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_lost_group_create_then_a_rename_leaves_one_group_renamed_and_managed(string api)
        {
            var (ps, connection, sandbox) = Targets.Connect(api, 40, 31);
            using (ps)
            {
                var assigned = sandbox.Directory.Assignments.Where(a => a.PrincipalType == "Group" && a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId)
                    .Select(a => sandbox.Directory.GetGroup(a.PrincipalId)).ToList();
                sandbox.Faults = new FaultPlan();
                sandbox.Faults.Add(new FaultRule(api == Targets.Scim ? "scim" : "dropbox-api", FaultKind.LostResponseDropped)
                {
                    Methods = FaultMethods.Writes, PathContains = api == Targets.Scim ? "/Groups" : "groups/create", MaxStarts = 1,
                });
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                sandbox.Faults = null;
                Assert.Equal(1, first.Failed);
                Assert.Equal(assigned.Count, sandbox.Dropbox.Groups.Count); // Dropbox made it
                var lost = assigned.Single(g => !new StateStore(connection.StatePath).LoadState().Groups.ContainsKey(g.Id));

                sandbox.Directory.UpdateGroup(lost.Id, g => g.DisplayName = "Renamed after a lost answer");
                var second = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");

                Assert.Equal(0, second.Failed);
                Assert.Equal(0, second.GroupsCreated);
                Assert.Equal(assigned.Count, sandbox.Dropbox.Groups.Count);
                var group = sandbox.Dropbox.FindGroupByExternalId(lost.Id);
                Assert.Equal("Renamed after a lost answer", group.GroupName);
                var expected = new HashSet<string>(lost.MemberIds.Select(id => sandbox.Directory.GetUser(id)).Where(u => u != null)
                    .Select(u => sandbox.Dropbox.FindByEmail(u.UserPrincipalName)).Where(m => m != null && m.Status != DropboxMemberStatus.Suspended).Select(m => m.TeamMemberId));
                Assert.Equal(expected, new HashSet<string>(group.MemberIds));
                Assert.Equal(group.GroupId, new StateStore(connection.StatePath).LoadState().Groups[lost.Id].TargetId);
            }
        }
}
}
