using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DropboxProvisioning.State;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Cycles against Microsoft Graph as its documentation says it answers: large groups split across delta items,
    /// expired delta links (400 syncStateNotFound) and synchronization resets (410), missing permissions (403), and delta
    /// links in state.json that point elsewhere.
    /// </summary>
    public sealed class GraphAsDocumentedTests
    {
        private static List<DirectoryUser> NewUsers(SandboxTenant sandbox, string prefix, int count) =>
            Enumerable.Range(1, count).Select(i => sandbox.Directory.AddUser(new DirectoryUser
            {
                UserPrincipalName = $"{prefix}{i}@contoso.onmicrosoft.com",
                DisplayName = $"{prefix} {i}",
                GivenName = prefix,
                Surname = "Member" + i,
                MailNickname = $"{prefix}{i}",
                Mail = $"{prefix}{i}@contoso.onmicrosoft.com",
                AccountEnabled = true,
            })).ToList();

        private static DropboxMember Account(SandboxTenant sandbox, DirectoryUser user) => sandbox.Dropbox.FindByEmail(user.UserPrincipalName);

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Every_member_of_a_large_assigned_group_is_provisioned_though_Graph_splits_it_across_items(string api)
        {
            var (ps, _, sandbox) = Targets.Connect(api, 20, 5);
            using (ps)
            {
                var members = NewUsers(sandbox, "large", 23);
                var group = sandbox.Directory.AddGroup(new DirectoryGroup { DisplayName = "Large Group", MailNickname = "large", MemberIds = new HashSet<string>(members.Select(m => m.Id)) });
                sandbox.Directory.Assign(group.Id, SandboxCredentials.UserAppRoleId);
                Assert.True(sandbox.Options.GraphMembersPerDeltaItem < members.Count, "the sandbox splits this group across items");

                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                Assert.All(members, m => Assert.Equal(DropboxMemberStatus.Invited, Account(sandbox, m)?.Status));
                Assert.Equal(members.Count, sandbox.Dropbox.FindGroupByName("Large Group").MemberIds.Count);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Users_moved_from_a_direct_assignment_into_an_assigned_group_keep_their_accounts(string api)
        {
            var (ps, _, sandbox) = Targets.Connect(api, 20, 6);
            using (ps)
            {
                var anchor = NewUsers(sandbox, "anchor", 1);
                var group = sandbox.Directory.AddGroup(new DirectoryGroup { DisplayName = "Movers", MailNickname = "movers", MemberIds = new HashSet<string> { anchor[0].Id } });
                sandbox.Directory.Assign(group.Id, SandboxCredentials.UserAppRoleId);
                var movers = NewUsers(sandbox, "mover", 17);
                foreach (var user in movers) sandbox.Directory.Assign(user.Id, SandboxCredentials.UserAppRoleId);
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                Assert.All(movers, m => Assert.NotNull(Account(sandbox, m)));

                // One incremental round: the group's members@delta (17 additions) comes in several items.
                foreach (var user in movers) sandbox.Directory.AddMember(group.Id, user.Id);
                foreach (var user in movers) sandbox.Directory.Unassign(user.Id);
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Incremental, result.Mode);
                Assert.Equal(0, result.Suspended + result.Deleted);
                Assert.All(movers, m => Assert.NotEqual(DropboxMemberStatus.Suspended, Account(sandbox, m).Status));
                Assert.All(movers, m => Assert.Contains(Account(sandbox, m).TeamMemberId, sandbox.Dropbox.FindGroupByName("Movers").MemberIds));
            }
        }

        [Theory]
        [InlineData("expired")]
        [InlineData("reset")]
        public void An_expired_or_reset_delta_link_makes_the_next_cycle_an_initial_one(string how)
        {
            var (ps, _, sandbox) = Targets.Connect(Targets.Scim, 20, 8);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                Assert.Equal(CycleMode.Incremental, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Mode);
                var newcomer = NewUsers(sandbox, "late", 1)[0];
                sandbox.Directory.Assign(newcomer.Id, SandboxCredentials.UserAppRoleId);
                if (how == "expired") sandbox.Directory.ExpireDeltaTokens(); // 400 syncStateNotFound
                else sandbox.Directory.ResetDeltaSync();                     // 410 Gone with a Location

                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleStatus.Succeeded, result.Status);
                Assert.Equal(CycleMode.Initial, result.Mode);
                Assert.Contains(ps.Warnings, w => w.Contains("no longer knows the stored delta link"));
                Assert.NotNull(Account(sandbox, newcomer));
                Assert.Equal(CycleMode.Incremental, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Mode);
            }
        }

        [Theory]
        [InlineData("http://attacker.example/v1.0/users/delta?$deltatoken={token}", "attacker.example")]
        [InlineData("https://graph.microsoft.com.attacker.example/v1.0/users/delta?$deltatoken={token}", "graph.microsoft.com.attacker.example")]
        [InlineData("http://{host}/v1.0/users/delta?$deltatoken={token}", null)]
        public void A_delta_link_in_state_json_that_leaves_the_Graph_host_is_refused_and_gets_no_token(string forged, string foreignHost)
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.Scim, 10, 9);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var path = Path.Combine(connection.StatePath, "state.json");
                var state = JObject.Parse(File.ReadAllText(path));
                var stored = new Uri((string)state["UsersDeltaLink"]);
                Assert.Equal("https", stored.Scheme);
                var token = stored.Query.Substring(stored.Query.IndexOf("$deltatoken=", StringComparison.Ordinal) + "$deltatoken=".Length);
                state["UsersDeltaLink"] = forged.Replace("{token}", token).Replace("{host}", stored.Authority);
                File.WriteAllText(path, state.ToString());
                sandbox.Journal.Clear();

                ps.Invoke("Invoke-DbxProvisioningCycle");
                var error = Assert.Single(ps.Errors);
                Assert.StartsWith("InvokeDbxProvisioningCycleGraphForeignDeltaLink,", error.FullyQualifiedErrorId);
                Assert.Equal(System.Management.Automation.ErrorCategory.SecurityError, error.CategoryInfo.Category);
                Assert.Contains("Restart-DbxProvisioning -Scope Watermark", error.Exception.Message);
                // Nothing went to the forged link: no users/delta request at all, and none to another host.
                Assert.DoesNotContain(sandbox.Journal.Entries(), e => e.Path.EndsWith("/users/delta", StringComparison.Ordinal));
                if (foreignHost != null) Assert.DoesNotContain(sandbox.Journal.Entries(), e => e.Host == foreignHost);
                Assert.Equal(0, Targets.Writes(sandbox, Targets.Scim));
            }
        }

        [Fact]
        public void A_missing_Graph_permission_is_named_in_the_error()
        {
            var (ps, _, sandbox) = Targets.Connect(Targets.Scim, 10, 10);
            using (ps)
            {
                sandbox.Directory.RevokeGraphPermission("Group.Read.All");
                ps.Invoke("Invoke-DbxProvisioningCycle");
                var error = Assert.Single(ps.Errors);
                Assert.StartsWith("InvokeDbxProvisioningCycleGraphForbidden,", error.FullyQualifiedErrorId);
                Assert.Equal(System.Management.Automation.ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
                Assert.Contains("Authorization_RequestDenied", error.Exception.Message);
                Assert.Contains("User.Read.All, Group.Read.All and Application.Read.All", error.Exception.Message);
                Assert.Equal(0, Targets.Writes(sandbox, Targets.Scim));

                sandbox.Directory.GrantGraphPermission("Group.Read.All");
                sandbox.Directory.RevokeAccessTokens();
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
            }
        }
    }
}
