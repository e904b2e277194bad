using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Member space limits (Team API target attribute spaceLimitGb, a custom quota in GB): set on create and kept in step
    /// with member_space_limits/set_custom_quota, read with get_custom_quota only while mapped, values under Dropbox's
    /// minimum (team.stone UserQuota: 2) refused when saved and when previewed; refused over SCIM.
    /// </summary>
    public sealed class TeamApiSpaceLimitTests
    {
        private static int Calls(Sandbox.SandboxTenant sandbox, string route) => sandbox.Journal.Entries().Count(e => e.Path == "/2/team/member_space_limits/" + route);

        [Fact]
        public void A_mapped_space_limit_is_set_on_create_changed_with_the_mapping_and_left_alone_when_in_step()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 30, 61);
            using (ps)
            {
                // Not mapped: no space-limit call at all.
                var plain = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.True(plain.Created > 5);
                Assert.Equal(0, Calls(sandbox, "get_custom_quota") + Calls(sandbox, "set_custom_quota"));
                var managed = connection.Store.LoadState().Users.Values.Select(u => u.TargetId).ToList();

                ps.Run("Add-DbxAttributeMapping -TargetAttribute spaceLimitGb -ConstantValue 20");
                sandbox.Journal.Clear();
                var look = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => o.BaseObject).OfType<ProvisioningChange>().Where(c => c.Action == ChangeAction.Update).ToList();
                Assert.Equal(managed.Count, look.Count);
                Assert.All(look, c => Assert.Contains(c.ModifiedProperties, p => p.Name == "spaceLimitGb" && p.NewValue == "20"));
                Assert.Equal(0, Calls(sandbox, "set_custom_quota"));
                Assert.True(Calls(sandbox, "get_custom_quota") > 0);

                var set = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(managed.Count, set.Updated);
                Assert.Equal(0, set.Failed);
                Assert.All(managed, id => Assert.Equal(20, sandbox.Dropbox.CustomQuotas[id]));
                var logged = ps.Run("Get-DbxProvisioningLog -Action Update").Select(o => (ProvisioningLogRecord)o.BaseObject).First();
                Assert.Contains(logged.ModifiedProperties, p => p.Name == "spaceLimitGb" && p.NewValue == "20");

                // In step: nothing sent.
                sandbox.Journal.Clear();
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.Updated + idle.Failed);
                Assert.Equal(0, Calls(sandbox, "set_custom_quota"));

                // Changed in the mapping (an initial cycle reads every limit again): each member gets the new one, one call each.
                ps.Run("Set-DbxAttributeMapping -TargetAttribute spaceLimitGb -ConstantValue 30");
                sandbox.Journal.Clear();
                var changed = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(managed.Count, changed.Updated);
                Assert.All(managed, id => Assert.Equal(30, sandbox.Dropbox.CustomQuotas[id]));
                Assert.Contains(changed.Changes, c => c.ModifiedProperties.Any(p => p.Name == "spaceLimitGb" && p.OldValue == "20" && p.NewValue == "30"));
                // The limits were read in pages of up to 1,000 members, not one call per member.
                Assert.Equal(1, Calls(sandbox, "get_custom_quota") - changed.Updated);

                // A new user gets the limit with its creation.
                var newcomer = sandbox.Directory.Users.First(u => u.AccountEnabled && !string.IsNullOrEmpty(u.Surname) && sandbox.Dropbox.FindByEmail(u.UserPrincipalName) == null
                    && !sandbox.Directory.Assignments.Any(a => a.PrincipalId == u.Id));
                sandbox.Directory.Assign(newcomer.Id, Sandbox.SandboxCredentials.UserAppRoleId);
                var created = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, created.Created);
                Assert.Equal(30, sandbox.Dropbox.CustomQuotas[sandbox.Dropbox.FindByEmail(newcomer.UserPrincipalName).TeamMemberId]);
                Assert.Equal(0, created.Failed);
            }
        }

        [Fact]
        public void A_space_limit_the_engine_set_is_removed_when_the_mapping_gives_none_or_is_removed_and_limits_it_did_not_set_stay()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 16, 64);
            using (ps)
            {
                var expected = Targets.ExpectedUserNames(sandbox);
                var people = sandbox.Directory.Users.Where(u => expected.Contains(u.UserPrincipalName)).OrderBy(u => u.UserPrincipalName).ToList();
                Assert.True(people.Count >= 5);
                people.ForEach(u => sandbox.Directory.UpdateUser(u.Id, x => x.Department = "Legal"));
                sandbox.Directory.UpdateUser(people[0].Id, x => x.Department = "Sales");
                ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                string Id(Sandbox.Directory.DirectoryUser u) => sandbox.Dropbox.FindByEmail(u.UserPrincipalName).TeamMemberId;
                // A limit an admin set by hand on a member the mapping gives none: never the engine's.
                sandbox.Dropbox.CustomQuotas[Id(people[0])] = 7;

                ps.Run("Add-DbxAttributeMapping -TargetAttribute spaceLimitGb -Expression 'IIF([department]=\"Sales\", \"\", \"25\")'");
                var set = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, set.Failed);
                Assert.All(people.Skip(1), u => Assert.Equal(25, sandbox.Dropbox.CustomQuotas[Id(u)]));
                Assert.Equal(7, sandbox.Dropbox.CustomQuotas[Id(people[0])]);

                // One user moves to Sales (an incremental cycle): the mapping gives that user none, so the limit the engine set is removed.
                sandbox.Directory.UpdateUser(people[1].Id, x => x.Department = "Sales");
                sandbox.Journal.Clear();
                var look = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => o.BaseObject).OfType<ProvisioningChange>().Single(c => c.Action == ChangeAction.Update);
                Assert.Contains(look.ModifiedProperties, p => p.Name == "spaceLimitGb" && p.OldValue == "25" && p.NewValue == null);
                Assert.Equal(0, Calls(sandbox, "remove_custom_quota"));
                Assert.True(sandbox.Dropbox.CustomQuotas.ContainsKey(Id(people[1])));
                var emptied = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, emptied.Updated);
                Assert.Equal(0, emptied.Failed);
                Assert.Equal(ChangeStatus.Success, emptied.Changes.Single(c => c.Action == ChangeAction.Update).Status);
                Assert.Equal(1, Calls(sandbox, "remove_custom_quota"));
                Assert.False(sandbox.Dropbox.CustomQuotas.ContainsKey(Id(people[1])));
                var logged = ps.Run("Get-DbxProvisioningLog -Action Update").Select(o => (ProvisioningLogRecord)o.BaseObject).First();
                Assert.Contains(logged.ModifiedProperties, p => p.Name == "spaceLimitGb" && p.OldValue == "25" && p.NewValue == null);
                Assert.False(connection.Store.LoadState().Users[people[1].Id].Exported.ContainsKey("spaceLimitGb"));

                // An admin raises one limit by hand; then the mapping is removed: every limit the engine set goes, the others stay.
                sandbox.Dropbox.CustomQuotas[Id(people[2])] = 40;
                ps.Run("Remove-DbxAttributeMapping spaceLimitGb -Confirm:$false");
                sandbox.Journal.Clear();
                var removed = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, removed.Failed);
                Assert.Equal(people.Count - 3, Calls(sandbox, "remove_custom_quota"));
                Assert.All(people.Skip(3), u => Assert.False(sandbox.Dropbox.CustomQuotas.ContainsKey(Id(u))));
                Assert.Equal(40, sandbox.Dropbox.CustomQuotas[Id(people[2])]);
                Assert.Equal(7, sandbox.Dropbox.CustomQuotas[Id(people[0])]);

                // Nothing left to remove: the next full cycle writes no limit.
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                sandbox.Journal.Clear();
                ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, Calls(sandbox, "remove_custom_quota") + Calls(sandbox, "set_custom_quota"));
            }
        }

        [Fact]
        public void A_space_limit_under_Dropbox_s_minimum_is_refused_when_saved_and_when_previewed_and_over_SCIM_the_attribute_is_refused()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 8, 62);
            using (ps)
            {
                string Config() => File.Exists(connection.Store.ConfigurationFile) ? File.ReadAllText(connection.Store.ConfigurationFile) : "";
                var before = Config();
                ps.Invoke("Add-DbxAttributeMapping -TargetAttribute spaceLimitGb -ConstantValue 1");
                var error = Assert.Single(ps.Errors);
                Assert.StartsWith("AddDbxAttributeMappingInvalidTargetValue,", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
                Assert.Contains("at least", error.Exception.Message.Replace("from 2", "at least 2"));
                Assert.Contains("2", error.Exception.Message);
                Assert.Equal(before, Config());
                ps.Invoke("Add-DbxAttributeMapping -TargetAttribute spaceLimitGb -ConstantValue 'lots'");
                Assert.StartsWith("AddDbxAttributeMappingInvalidTargetValue,", Assert.Single(ps.Errors).FullyQualifiedErrorId);

                // An expression is checked by the preview, with the user's values, before any cycle sends it.
                ps.Run("Add-DbxAttributeMapping -TargetAttribute spaceLimitGb -Expression 'IIF([department]=\"Sales\", \"1\", \"50\")'");
                Mapping.MappingPreviewAttribute Row(string department) =>
                    ps.Single<Mapping.MappingPreview>("Test-DbxAttributeMapping -SourceAttributes @{ userPrincipalName = 'a@contoso.com'; surname = 'A'; givenName = 'A'; department = $d; accountEnabled = $true }",
                        new Dictionary<string, object> { ["d"] = department }).Attributes.Single(a => a.TargetAttribute == "spaceLimitGb");
                var fine = Row("Legal");
                Assert.True(fine.Flows);
                Assert.Equal("50", fine.Value);
                var refused = Row("Sales");
                Assert.False(refused.Flows);
                Assert.StartsWith("error: The mapping to 'spaceLimitGb' produced '1', which it does not take", refused.Note);
                Assert.Contains("from 2 (team.stone UserQuota)", refused.Note);

                // And the cycle skips such a user with the same words rather than send it.
                var expected = Targets.ExpectedUserNames(sandbox);
                sandbox.Directory.Users.Where(u => expected.Contains(u.UserPrincipalName)).Take(2).ToList().ForEach(u => sandbox.Directory.UpdateUser(u.Id, x => x.Department = "Sales"));
                var cycle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Contains(cycle.Changes, c => c.Action == ChangeAction.Skip && c.Reason.Contains("spaceLimitGb") && c.Reason.Contains("'1'"));
                Assert.DoesNotContain(sandbox.Dropbox.CustomQuotas.Values, gb => gb < 2);
            }

            var (scimPs, _, _) = Targets.Connect(Targets.Scim, 8, 63);
            using (scimPs)
            {
                scimPs.Invoke("Add-DbxAttributeMapping -TargetAttribute spaceLimitGb -ConstantValue 20");
                var error = Assert.Single(scimPs.Errors);
                Assert.StartsWith("AddDbxAttributeMappingTeamApiOnlyAttribute,", error.FullyQualifiedErrorId);
                Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
            }
        }
    }
}
