using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Issue 6, attribute mapping to the Team API: target attributes per API (persistentId, role, group managementType
    /// over the Team API only; SCIM-only attributes refused over the Team API), the connection's API deciding what is
    /// valid at save time and at cycle time, and the Team API's defaults.
    /// </summary>
    public sealed class TeamApiMappingTests
    {
        private static (PowerShellSession ps, DbxConnection connection, SandboxTenant sandbox) Connect(string api, int users = 30, int seed = 13)
        {
            var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>($"Connect-DbxTenant -Sandbox -SandboxUserCount {users} -SandboxSeed {seed} -Api {api}");
            return (ps, connection, (SandboxTenant)connection.Sandbox);
        }

        private static string ConfigurationText(DbxConnection connection) =>
            File.Exists(connection.Store.ConfigurationFile) ? File.ReadAllText(connection.Store.ConfigurationFile) : "";

        private static int TeamApiWrites(SandboxTenant sandbox) =>
            sandbox.Journal.Entries().Count(e => e.Service == "dropbox-api" && e.Path.StartsWith("/2/team/", StringComparison.Ordinal)
                && !new[] { "/list", "/get_info", "job_status" }.Any(r => e.Path.Contains(r)));

        private static ErrorRecord SingleError(PowerShellSession ps, string errorId, ErrorCategory category)
        {
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            return error;
        }

        [Fact]
        public void A_role_and_a_persistent_id_mapped_over_the_Team_API_reach_the_members()
        {
            var (ps, connection, sandbox) = Connect("TeamApi");
            using (ps)
            {
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.True(first.Created > 5);
                var provisioned = connection.Store.LoadState().Users.Values.Select(m => (Entra: m.SourceId, Dropbox: m.TargetId)).ToList();
                Assert.All(provisioned, p => Assert.Equal("member_only", sandbox.Dropbox.GetMember(p.Dropbox).Role));

                var role = ps.Single<MappingEntry>("Add-DbxAttributeMapping -TargetAttribute role -ConstantValue support_admin");
                Assert.Equal(MappingType.Constant, role.Type);
                ps.Run("Add-DbxAttributeMapping -TargetAttribute persistentId -SourceAttribute objectId | Out-Null");
                Assert.Contains(ps.Run("Get-DbxAttributeMapping -ObjectType User").Select(o => (MappingEntry)o.BaseObject), e => e.TargetAttribute == "persistentId" && e.SourceAttribute == "objectId");

                sandbox.Journal.Clear();
                var mapped = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Initial, mapped.Mode); // a change of mappings makes the next cycle an initial one
                Assert.Equal(0, mapped.Failed);
                Assert.Equal(provisioned.Count, mapped.Updated);
                Assert.All(mapped.Changes.Where(c => c.Action == ChangeAction.Update), c =>
                {
                    Assert.Contains(c.ModifiedProperties, p => p.Name == "role" && p.OldValue == "member_only" && p.NewValue == "support_admin");
                    Assert.Contains(c.ModifiedProperties, p => p.Name == "persistentId" && p.NewValue == c.SourceId);
                });
                foreach (var (entra, dropbox) in provisioned)
                {
                    var member = sandbox.Dropbox.GetMember(dropbox);
                    Assert.Equal("support_admin", member.Role);
                    Assert.Equal(entra, member.PersistentId);
                }
                Assert.Contains(sandbox.Journal.Entries(), e => e.Path == "/2/team/members/set_admin_permissions");
                Assert.Contains(sandbox.Journal.Entries(), e => e.Path == "/2/team/members/set_profile_v2");

                // A new user is created with both.
                var newcomer = sandbox.Directory.Users.First(u => u.AccountEnabled && !string.IsNullOrEmpty(u.Surname)
                    && !sandbox.Directory.Assignments.Any(a => a.PrincipalId == u.Id) && sandbox.Dropbox.FindByEmail(u.UserPrincipalName) == null);
                sandbox.Directory.Assign(newcomer.Id, SandboxCredentials.UserAppRoleId);
                var created = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, created.Created);
                var added = sandbox.Dropbox.FindByEmail(newcomer.UserPrincipalName);
                Assert.Equal("support_admin", added.Role);
                Assert.Equal(newcomer.Id, added.PersistentId);

                var writes = TeamApiWrites(sandbox);
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.Created + idle.Updated + idle.Suspended + idle.Deleted + idle.Failed);
                Assert.Equal(writes, TeamApiWrites(sandbox));

                // Back to plain members.
                ps.Run("Set-DbxAttributeMapping -TargetAttribute role -ConstantValue member_only");
                var demoted = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, demoted.Failed);
                Assert.All(connection.Store.LoadState().Users.Values, m => Assert.Equal("member_only", sandbox.Dropbox.GetMember(m.TargetId).Role));
            }
        }

        [Fact]
        public void A_role_Dropbox_refuses_after_the_member_is_created_fails_that_member_and_the_next_cycle_sets_it()
        {
            var (ps, connection, sandbox) = Connect("TeamApi");
            using (ps)
            {
                ps.Run("Add-DbxAttributeMapping -TargetAttribute role -ConstantValue support_admin | Out-Null");
                // The members Dropbox already has hold the role, so the only role calls are for new members.
                foreach (var existing in sandbox.Dropbox.Members.ToList())
                    if (existing.Role != "team_admin") sandbox.Dropbox.UpdateMember(existing.TeamMemberId, m => m.Role = "support_admin");
                // The first role call after the members are added fails once (HTTP 500, which is not retried).
                sandbox.Faults = new Sandbox.Faults.FaultPlan();
                sandbox.Faults.Add(new Sandbox.Faults.FaultRule("dropbox-api", Sandbox.Faults.FaultKind.InternalServerError) { PathContains = "set_admin_permissions", MaxStarts = 1 });
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                var failed = Assert.Single(first.Changes, c => c.Status == ChangeStatus.Failure);
                Assert.Equal(ChangeAction.Create, failed.Action);
                Assert.Contains("set_admin_permissions", failed.StatusDetails);
                // The account exists and is managed, as a plain member for now; nobody else failed.
                var state = connection.Store.LoadState();
                var managed = state.Users[failed.SourceId];
                Assert.Equal("member_only", sandbox.Dropbox.GetMember(managed.TargetId).Role);
                Assert.Equal("member_only", managed.Exported["role"]);
                Assert.True(state.Escrows.ContainsKey(failed.SourceId));
                Assert.All(state.Users.Values.Where(m => m.SourceId != failed.SourceId), m => Assert.Equal("support_admin", sandbox.Dropbox.GetMember(m.TargetId).Role));

                sandbox.Faults = null;
                var next = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, next.Failed);
                Assert.Equal(0, next.Created);
                var retried = Assert.Single(next.Changes, c => c.Action == ChangeAction.Update);
                Assert.Equal(failed.SourceId, retried.SourceId);
                Assert.Equal("support_admin", sandbox.Dropbox.GetMember(managed.TargetId).Role);
                Assert.Empty(connection.Store.LoadState().Escrows);
                Assert.Equal(sandbox.Dropbox.Members.Count, sandbox.Dropbox.Members.Select(m => m.Email.ToLowerInvariant()).Distinct().Count());
            }
        }

        [Fact]
        public void A_role_the_Team_API_does_not_have_is_refused_when_it_is_saved()
        {
            var (ps, connection, sandbox) = Connect("TeamApi");
            using (ps)
            {
                var before = ConfigurationText(connection);
                ps.Invoke("Add-DbxAttributeMapping -TargetAttribute role -ConstantValue billing_admin");
                var error = SingleError(ps, "AddDbxAttributeMappingInvalidTargetValue", ErrorCategory.InvalidArgument);
                Assert.Contains("team_admin", error.Exception.Message);
                Assert.Equal(before, ConfigurationText(connection));
            }
        }

        [Fact]
        public void A_group_management_type_mapped_over_the_Team_API_makes_and_changes_the_groups()
        {
            var (ps, connection, sandbox) = Connect("TeamApi", 40, 7);
            using (ps)
            {
                ps.Run("Add-DbxAttributeMapping -ObjectType Group -TargetAttribute managementType -ConstantValue user_managed | Out-Null");
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.True(first.GroupsCreated > 0, "groups created " + first.GroupsCreated);
                var managed = connection.Store.LoadState().Groups.Values.Select(g => g.TargetId).ToList();
                Assert.Equal(first.GroupsCreated, managed.Count);
                Assert.All(managed, id => Assert.Equal("user_managed", sandbox.Dropbox.Groups.Single(g => g.GroupId == id).ManagementType));
                var create = sandbox.Journal.Entries().First(e => e.Path == "/2/team/groups/create");

                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.GroupsCreated + idle.GroupsUpdated + idle.GroupsDeleted);

                ps.Run("Set-DbxAttributeMapping -ObjectType Group -TargetAttribute managementType -ConstantValue company_managed");
                sandbox.Journal.Clear();
                var changed = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(managed.Count, changed.GroupsUpdated);
                Assert.Contains(changed.Changes, c => c.ObjectType == ObjectType.Group && c.ModifiedProperties.Any(p => p.Name == "managementType" && p.OldValue == "user_managed" && p.NewValue == "company_managed"));
                Assert.All(managed, id => Assert.Equal("company_managed", sandbox.Dropbox.Groups.Single(g => g.GroupId == id).ManagementType));
                Assert.Contains(sandbox.Journal.Entries(), e => e.Path == "/2/team/groups/update");

                ps.Invoke("Set-DbxAttributeMapping -ObjectType Group -TargetAttribute managementType -ConstantValue system_managed");
                Assert.Contains("system_managed", SingleError(ps, "SetDbxAttributeMappingInvalidTargetValue", ErrorCategory.InvalidArgument).Exception.Message);
            }
        }

        [Theory]
        [InlineData("User", "persistentId", "-SourceAttribute objectId")]
        [InlineData("User", "role", "-ConstantValue team_admin")]
        [InlineData("Group", "managementType", "-ConstantValue user_managed")]
        public void A_SCIM_connection_refuses_the_Team_API_only_attributes(string type, string target, string source)
        {
            var (ps, connection, sandbox) = Connect("Scim");
            using (ps)
            {
                var before = ConfigurationText(connection);
                ps.Invoke($"Add-DbxAttributeMapping -ObjectType {type} -TargetAttribute {target} {source}");
                var error = SingleError(ps, "AddDbxAttributeMappingTeamApiOnlyAttribute", ErrorCategory.InvalidArgument);
                Assert.Contains("Team API only", error.Exception.Message);
                Assert.Contains("Connect-DbxTenant -Api TeamApi", error.Exception.Message);
                Assert.Equal(before, ConfigurationText(connection));
            }
        }

        [Fact]
        public void A_Team_API_connection_refuses_a_SCIM_only_attribute_at_save_time_and_the_cycle_refuses_one_saved_over_SCIM()
        {
            var (ps, scim, sandbox) = Connect("Scim");
            using (ps)
            {
                ps.Run("Add-DbxAttributeMapping -TargetAttribute title -SourceAttribute jobTitle | Out-Null");
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var teamApi = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -Api TeamApi -SandboxConnection $scim", new Dictionary<string, object> { ["scim"] = scim });
                Assert.Equal(scim.StatePath, teamApi.StatePath);

                ps.Invoke("Add-DbxAttributeMapping -TargetAttribute userType -SourceAttribute jobTitle");
                SingleError(ps, "AddDbxAttributeMappingScimOnlyAttribute", ErrorCategory.InvalidArgument);

                sandbox.Journal.Clear();
                ps.Invoke("Invoke-DbxProvisioningCycle");
                var refused = SingleError(ps, "InvokeDbxProvisioningCycleScimOnlyAttribute", ErrorCategory.InvalidArgument);
                Assert.Contains("'title'", refused.Exception.Message);
                Assert.Contains("Remove-DbxAttributeMapping", refused.Exception.Message);
                Assert.Equal(0, TeamApiWrites(sandbox));
                Assert.DoesNotContain(sandbox.Journal.Entries(), e => e.Service == "scim");

                ps.Invoke("Test-DbxAttributeMapping -SourceAttributes @{ userPrincipalName = 'a@contoso.com'; jobTitle = 'x' }");
                SingleError(ps, "TestDbxAttributeMappingScimOnlyAttribute", ErrorCategory.InvalidArgument);

                // The way out works over the Team API connection, and the cycle then finds nothing to change.
                ps.Run("Remove-DbxAttributeMapping -TargetAttribute title -Confirm:$false");
                var cycle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, cycle.Created + cycle.Updated + cycle.Suspended + cycle.Deleted + cycle.Failed);
            }
        }

        [Fact]
        public void Reset_and_the_defaults_follow_the_connection_s_API_and_the_preview_says_displayName_is_not_sent()
        {
            var (ps, connection, sandbox) = Connect("TeamApi");
            using (ps)
            {
                // A new job on the Team API starts with the Team API's defaults.
                var scimDefaults = DefaultMappings.Users().Attributes.Select(a => a.TargetAttribute).ToList();
                Assert.Equal(scimDefaults.Where(a => a != "displayName"), ps.Run("Get-DbxAttributeMapping -ObjectType User").Select(o => ((MappingEntry)o.BaseObject).TargetAttribute));
                ps.Run("Add-DbxAttributeMapping -TargetAttribute persistentId -SourceAttribute objectId | Out-Null");
                var reset = ps.Run("Reset-DbxAttributeMapping -ObjectType User -PassThru -Confirm:$false").Select(o => (MappingEntry)o.BaseObject).ToList();
                Assert.Equal(scimDefaults.Where(a => a != "displayName"), reset.Select(e => e.TargetAttribute));
                Assert.Equal(reset.Select(e => e.TargetAttribute), ps.Run("Get-DbxAttributeMapping -ObjectType User").Select(o => ((MappingEntry)o.BaseObject).TargetAttribute));
                Assert.DoesNotContain(ps.Run("Get-DbxAttributeMapping -Default -ObjectType User").Select(o => ((MappingEntry)o.BaseObject).TargetAttribute), a => a == "displayName");

                // A SCIM job's displayName mapping still holds over the Team API; it is shown as not sent.
                ps.Run("Add-DbxAttributeMapping -TargetAttribute displayName -SourceAttribute displayName | Out-Null");
                var preview = ps.Single<MappingPreview>("Test-DbxAttributeMapping -SourceAttributes @{ userPrincipalName = 'adele@contoso.com'; displayName = 'Adele V.'; givenName = 'Adele'; surname = 'Vance' }");
                var row = Assert.Single(preview.Attributes, a => a.TargetAttribute == "displayName");
                Assert.False(row.Flows);
                Assert.Contains("not sent", row.Note);

                var (scimPs, scim, _) = Connect("Scim");
                using (scimPs)
                {
                    var scimReset = scimPs.Run("Reset-DbxAttributeMapping -PassThru -Confirm:$false").Select(o => (MappingEntry)o.BaseObject).ToList();
                    Assert.Equal(scimDefaults, scimReset.Where(e => e.ObjectType == ObjectType.User).Select(e => e.TargetAttribute));
                }
            }
        }

        [Fact]
        public void Import_checks_the_file_against_the_connection_s_API()
        {
            var (ps, teamApi, sandbox) = Connect("TeamApi");
            using (ps)
            {
                var path = Path.Combine(Path.GetTempPath(), "teamapi-job-" + Guid.NewGuid().ToString("N") + ".json");
                try
                {
                    ps.Run("Add-DbxAttributeMapping -TargetAttribute role -ConstantValue team_admin | Out-Null");
                    ps.Run("Export-DbxProvisioningConfiguration -Path $p", new Dictionary<string, object> { ["p"] = path });
                    ps.Run("Import-DbxProvisioningConfiguration -Path $p -Confirm:$false", new Dictionary<string, object> { ["p"] = path });

                    var (scimPs, scim, _) = Connect("Scim");
                    using (scimPs)
                    {
                        var before = ConfigurationText(scim);
                        scimPs.Invoke("Import-DbxProvisioningConfiguration -Path $p -Confirm:$false", new Dictionary<string, object> { ["p"] = path });
                        var error = SingleError(scimPs, "ImportDbxProvisioningConfigurationTeamApiOnlyAttribute", ErrorCategory.InvalidArgument);
                        Assert.Contains("was not applied", error.Exception.Message);
                        Assert.Equal(before, ConfigurationText(scim));
                    }
                }
                finally
                {
                    if (File.Exists(path)) File.Delete(path);
                }
            }
        }
    }
}
