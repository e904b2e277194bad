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
    /// <summary>Issue #2's end to end story, through real pipelines against the in-process sandbox.</summary>
    public sealed class FoundationCycleTests
    {
        private static (PowerShellSession ps, DbxConnection connection, SandboxTenant sandbox) Connect(string api) => Targets.Connect(api, 40, 7);

        [Fact]
        public void Default_mappings_are_shown_with_userName_as_the_matching_attribute()
        {
            using var ps = new PowerShellSession();
            var users = ps.Run("Get-DbxAttributeMapping -ObjectType User").Select(o => (Mapping.MappingEntry)o.BaseObject).ToList();
            Assert.Equal(7, users.Count);
            var matching = Assert.Single(users, m => m.IsMatching);
            Assert.Equal("userName", matching.TargetAttribute);
            Assert.Equal("userPrincipalName", matching.SourceAttribute);
            Assert.Contains(users, m => m.TargetAttribute == "name.familyName" && m.SourceAttribute == "surname");
            var groups = ps.Run("Get-DbxAttributeMapping -ObjectType Group").Select(o => (Mapping.MappingEntry)o.BaseObject).ToList();
            Assert.Equal(new[] { "displayName", "externalId", "members" }, groups.Select(g => g.TargetAttribute));
            Assert.Equal("displayName", Assert.Single(groups, g => g.IsMatching).TargetAttribute);
            Assert.Single(ps.Run("Get-DbxAttributeMapping -TargetAttribute 'name.*' -ObjectType User | Where-Object SourceAttribute -eq 'givenName'"));
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void First_cycle_creates_the_assigned_users_and_a_second_cycle_writes_nothing(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                var unmanagedBefore = sandbox.Dropbox.Members.Where(m => m.Email.EndsWith("partner.example")).Select(m => m.Clone()).ToList();
                Assert.NotEmpty(unmanagedBefore);
                var preexisting = sandbox.Dropbox.Members.Single(m => ExpectedUserNames(sandbox).Contains(m.Email));
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleStatus.Succeeded, first.Status);
                Assert.True(first.Created > 10, "created " + first.Created);
                Assert.Equal(0, first.Failed);

                // Every entitled, enabled user with a surname is now in Dropbox, exactly once.
                var expected = ExpectedUserNames(sandbox);
                var members = sandbox.Dropbox.Members;
                foreach (var upn in expected)
                    Assert.Single(members, m => string.Equals(m.Email, upn, System.StringComparison.OrdinalIgnoreCase));
                Assert.Equal(members.Count, members.Select(m => m.Email.ToLowerInvariant()).Distinct().Count());

                // Accounts the engine never created or matched are exactly as they were.
                foreach (var before in unmanagedBefore)
                {
                    var after = sandbox.Dropbox.GetMember(before.TeamMemberId);
                    Assert.Equal(before.Status, after.Status);
                    Assert.Equal(before.GivenName, after.GivenName);
                    Assert.Equal(before.LastModified, after.LastModified);
                }

                // The account that already existed for an assigned user is adopted, not duplicated.
                Assert.Equal(1, first.Adopted);
                Assert.Equal(preexisting.TeamMemberId, sandbox.Dropbox.FindByEmail(preexisting.Email).TeamMemberId);
                Assert.Contains(first.Changes, c => c.IsAdoption && c.TargetId == preexisting.TeamMemberId);

                // A user without a surname is skipped with the reason, not sent.
                Assert.True(first.Skipped >= 1);
                Assert.Contains(first.Changes, c => c.Action == ChangeAction.Skip && c.Reason.Contains("name.familyName"));

                // SCIM creates one user a POST; the Team API 20 users a members/add_v2 call.
                var creates = sandbox.Journal.Entries().Count(e => Targets.IsUserCreate(e, api));
                Assert.Equal(api == Targets.TeamApi ? (first.Created + 19) / 20 : first.Created, creates);

                var writes = Targets.Writes(sandbox, api);
                var second = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, second.Created + second.Updated + second.Suspended + second.Deleted + second.Failed);
                Assert.Equal(writes, Targets.Writes(sandbox, api));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_directory_change_becomes_exactly_that_update(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var user = sandbox.Directory.Users.First(u => ExpectedUserNames(sandbox).Contains(u.UserPrincipalName));
                // SCIM sets displayName; the Team API cannot (Dropbox makes it of the given name and surname), so there the change is the surname.
                var (attribute, value) = api == Targets.Scim ? ("displayName", "Renamed Person") : ("name.familyName", "Renamedsurname");
                sandbox.Directory.UpdateUser(user.Id, u => { if (api == Targets.Scim) u.DisplayName = value; else u.Surname = value; });
                var writes = Targets.Writes(sandbox, api);

                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, result.Updated);
                Assert.Equal(0, result.Created + result.Suspended + result.Deleted);
                Assert.Equal(writes + 1, Targets.Writes(sandbox, api));
                var change = Assert.Single(result.Changes, c => c.Action == ChangeAction.Update);
                var property = Assert.Single(change.ModifiedProperties);
                Assert.Equal(attribute, property.Name);
                Assert.Equal(value, property.NewValue);
                var member = sandbox.Dropbox.FindByEmail(user.UserPrincipalName);
                Assert.Equal(value, api == Targets.Scim ? member.DisplayName : member.Surname);
                if (api == Targets.TeamApi)
                    // Dropbox made the display name of the new surname; displayName is not a Team API attribute, so it is neither sent nor compared.
                    Assert.Equal(member.GivenName + " " + value, member.DisplayName);
                Assert.Equal(ChangeStatus.Success, change.Status);
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.Created + idle.Updated + idle.Suspended + idle.Deleted + idle.Failed);

                if (api == Targets.TeamApi)
                {
                    // A displayName change alone: the Team API has no call for it, so there is nothing to plan and nothing is written.
                    sandbox.Directory.UpdateUser(user.Id, u => u.DisplayName = "Renamed Person");
                    writes = Targets.Writes(sandbox, api);
                    var unchanged = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                    Assert.Equal(writes, Targets.Writes(sandbox, api));
                    Assert.Equal(member.DisplayName, sandbox.Dropbox.FindByEmail(user.UserPrincipalName).DisplayName);
                    Assert.DoesNotContain(unchanged.Changes, c => c.Action == ChangeAction.Update);
                    var after = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                    Assert.Equal(0, after.Created + after.Updated + after.Suspended + after.Deleted + after.Failed);
                }
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Unassigned_users_are_suspended_or_deleted_when_still_invited(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var direct = sandbox.Directory.Assignments.Where(a => a.PrincipalType == "User" && a.AppRoleId == SandboxCredentials.UserAppRoleId)
                    .Select(a => sandbox.Directory.GetUser(a.PrincipalId))
                    .Where(u => u.AccountEnabled && !string.IsNullOrEmpty(u.Surname) && !InAssignedGroup(sandbox, u.Id))
                    .Take(2).ToList();
                Assert.Equal(2, direct.Count);
                var joined = sandbox.Dropbox.FindByEmail(direct[0].UserPrincipalName);
                sandbox.Dropbox.AcceptInvitation(joined.TeamMemberId);
                var invited = sandbox.Dropbox.FindByEmail(direct[1].UserPrincipalName);
                Assert.Equal(DropboxMemberStatus.Invited, invited.Status);

                sandbox.Directory.Unassign(direct[0].Id);
                sandbox.Directory.Unassign(direct[1].Id);
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");

                Assert.Equal(1, result.Suspended);
                Assert.Equal(1, result.Deleted);
                Assert.Equal(DropboxMemberStatus.Suspended, sandbox.Dropbox.GetMember(joined.TeamMemberId).Status);
                Assert.Null(sandbox.Dropbox.FindByEmail(direct[1].UserPrincipalName));
                var deleted = Assert.Single(result.Changes, c => c.Action == ChangeAction.Delete);
                Assert.Contains("invited", deleted.StatusDetails);
                // The Team API cannot suspend a member who never joined (suspend_inactive_user): the invitation is withdrawn.
                if (api == Targets.TeamApi) Assert.Contains("suspend_inactive_user", deleted.StatusDetails);

                // Assigned again: the suspended account comes back (active=true), nothing is duplicated.
                sandbox.Directory.Assign(direct[0].Id, SandboxCredentials.UserAppRoleId);
                var back = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, back.Updated);
                Assert.Equal(DropboxMemberStatus.Active, sandbox.Dropbox.GetMember(joined.TeamMemberId).Status);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Blocked_sign_in_suspends_the_account(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var user = sandbox.Directory.Users.First(u => ExpectedUserNames(sandbox).Contains(u.UserPrincipalName));
                var member = sandbox.Dropbox.FindByEmail(user.UserPrincipalName);
                sandbox.Dropbox.AcceptInvitation(member.TeamMemberId);
                sandbox.Directory.UpdateUser(user.Id, u => u.AccountEnabled = false);
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, result.Suspended);
                Assert.Contains("blocked", Assert.Single(result.Changes, c => c.Action == ChangeAction.Disable).Reason);
                Assert.Equal(DropboxMemberStatus.Suspended, sandbox.Dropbox.GetMember(member.TeamMemberId).Status);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void WhatIf_returns_the_planned_changes_and_writes_nothing(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                var before = Targets.Writes(sandbox, api);
                var planned = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => o.BaseObject).ToList();
                Assert.NotEmpty(planned);
                Assert.All(planned, p => Assert.IsType<ProvisioningChange>(p));
                Assert.Contains(planned.Cast<ProvisioningChange>(), c => c.Action == ChangeAction.Create && c.Status == ChangeStatus.Planned);
                Assert.Equal(before, Targets.Writes(sandbox, api));
                Assert.Equal(State.CycleStatus.Succeeded, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Status);
                Assert.Equal(State.ProvisioningStatusCode.Active, ps.Single<State.ProvisioningStatusReport>("Get-DbxProvisioningStatus").Code);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Off_pauses_the_job_and_On_picks_up_where_it_left_off(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                Assert.Equal(State.ProvisioningStatusCode.NotRun, ps.Single<State.ProvisioningStatusReport>("Get-DbxProvisioningStatus").Code);
                ps.Run("Set-DbxProvisioningStatus -Status Off");
                Assert.Equal(State.ProvisioningStatusCode.Paused, ps.Single<State.ProvisioningStatusReport>("Get-DbxProvisioningStatus").Code);
                var writes = Targets.Writes(sandbox, api);
                ps.Invoke("Invoke-DbxProvisioningCycle");
                var error = Assert.Single(ps.Errors);
                Assert.Equal("InvokeDbxProvisioningCycleProvisioningOff,DropboxProvisioning.Commands.Sync.InvokeDbxProvisioningCycleCommand", error.FullyQualifiedErrorId);
                Assert.Equal(System.Management.Automation.ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
                Assert.Contains("Set-DbxProvisioningStatus -Status On", error.Exception.Message);
                Assert.Equal(writes, Targets.Writes(sandbox, api));

                var report = ps.Single<State.ProvisioningStatusReport>("Set-DbxProvisioningStatus On -PassThru");
                Assert.Equal(State.ProvisioningToggle.On, report.Status);
                Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 0);
            }
        }

        private static HashSet<string> ExpectedUserNames(SandboxTenant sandbox) => Targets.ExpectedUserNames(sandbox);

        private static bool InAssignedGroup(SandboxTenant sandbox, string userId) =>
            sandbox.Directory.Assignments.Any(a => a.PrincipalType == "Group" && sandbox.Directory.GetGroup(a.PrincipalId).MemberIds.Contains(userId));
    }
}
