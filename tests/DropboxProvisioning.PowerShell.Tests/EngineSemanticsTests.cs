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
    /// <summary>Issue #4 through the cmdlets: incremental cycles, deprovisioning, the deletion guard, escrow, quarantine, on demand, logs, settings.</summary>
    public sealed class EngineSemanticsTests
    {
        private static (PowerShellSession ps, DbxConnection connection, SandboxTenant sandbox) Connect(string api, int users = 40, int seed = 21) => Targets.Connect(api, users, seed);

        private static List<Sandbox.Directory.DirectoryUser> ProvisionedDirectUsers(SandboxTenant sandbox) => Targets.DirectUsers(sandbox);

        private static void AcceptAll(SandboxTenant sandbox) => Targets.AcceptAll(sandbox);

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Incremental_cycles_read_only_what_changed(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 60);
            using (ps)
            {
                Assert.Equal(CycleMode.Initial, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Mode);
                Assert.Equal(CycleMode.Incremental, ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").NextCycle);
                var user = ProvisionedDirectUsers(sandbox).First();
                // SCIM sets displayName; the Team API cannot, so there the change is the surname (members/set_profile_v2).
                if (api == Targets.Scim) sandbox.Directory.UpdateUser(user.Id, u => u.DisplayName = "Changed Name");
                else sandbox.Directory.UpdateUser(user.Id, u => u.Surname = "Changedsurname");
                sandbox.Journal.Clear();

                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Incremental, result.Mode);
                Assert.Equal(1, result.Updated);
                // The one write, and Dropbox is not listed.
                var write = Assert.Single(Targets.WriteEntries(sandbox, api));
                Assert.DoesNotContain(sandbox.Journal.Entries(), e => Targets.IsMemberListing(e, api));
                Assert.DoesNotContain(sandbox.Journal.Entries(), e => e.Service == "graph" && e.Path.EndsWith("/users", StringComparison.Ordinal));
                if (api == Targets.Scim)
                {
                    Assert.Single(sandbox.Journal.Entries().Where(e => e.Service == "scim")); // the PATCH is all SCIM was asked
                    Assert.Equal("PATCH", write.Method);
                    Assert.Equal("Changed Name", sandbox.Dropbox.FindByEmail(user.UserPrincipalName).DisplayName);
                }
                else
                {
                    Assert.Equal("/2/team/members/set_profile_v2", write.Path);
                    Assert.Equal("Changedsurname", sandbox.Dropbox.FindByEmail(user.UserPrincipalName).Surname);
                }

                // Dropbox recomputes a default display name when the given name changes. Over SCIM the engine sets the
                // mapping's display name back at once (one more PATCH), so Dropbox still equals the mapping; the Team API
                // cannot set it, so Dropbox keeps its own (given name and surname) and nothing more is written.
                var other = ProvisionedDirectUsers(sandbox).Skip(1).First();
                sandbox.Directory.UpdateUser(other.Id, u => u.GivenName = "Changed");
                sandbox.Journal.Clear();
                Assert.Equal(1, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Updated);
                var member = sandbox.Dropbox.FindByEmail(other.UserPrincipalName);
                Assert.Equal("Changed", member.GivenName);
                Assert.Equal(api == Targets.Scim ? other.DisplayName : "Changed " + other.Surname, member.DisplayName);
                Assert.Equal(api == Targets.Scim ? 2 : 1, Targets.Writes(sandbox, api));

                sandbox.Journal.Clear();
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.Created + idle.Updated + idle.Suspended + idle.Deleted);
                Assert.Empty(sandbox.Journal.Entries().Where(e => Targets.IsDropboxRequest(e, api)));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Soft_deleted_users_are_suspended_and_come_back_restored_and_hard_deleted_users_are_deleted(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                AcceptAll(sandbox);
                var users = ProvisionedDirectUsers(sandbox).Take(3).ToList();
                sandbox.Directory.SoftDeleteUser(users[0].Id);
                sandbox.Directory.HardDeleteUser(users[1].Id);
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, result.Suspended);
                Assert.Equal(1, result.Deleted);
                Assert.Equal(DropboxMemberStatus.Suspended, sandbox.Dropbox.FindByEmail(users[0].UserPrincipalName).Status);
                Assert.Null(sandbox.Dropbox.FindByEmail(users[1].UserPrincipalName));

                sandbox.Directory.RestoreUser(users[0].Id);
                Assert.Equal(1, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Updated);
                Assert.Equal(DropboxMemberStatus.Active, sandbox.Dropbox.FindByEmail(users[0].UserPrincipalName).Status);

                // With the Delete target action off, a hard-deleted user is only suspended.
                ps.Run("Set-DbxAttributeMapping -ObjectType User -Enabled $true -TargetObjectActions Create, Update");
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                sandbox.Directory.HardDeleteUser(users[2].Id);
                var kept = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, kept.Deleted);
                Assert.Equal(1, kept.Suspended);
                Assert.Equal(DropboxMemberStatus.Suspended, sandbox.Dropbox.FindByEmail(users[2].UserPrincipalName).Status);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Skip_out_of_scope_deletions_leaves_unassigned_users_as_they_are_but_still_suspends_blocked_ones(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                ps.Run("Set-DbxProvisioningSetting -SkipOutOfScopeDeletions $true");
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                AcceptAll(sandbox);
                var users = ProvisionedDirectUsers(sandbox).Take(3).ToList();
                sandbox.Directory.Unassign(users[0].Id);
                sandbox.Directory.HardDeleteUser(users[1].Id);
                sandbox.Directory.UpdateUser(users[2].Id, u => u.AccountEnabled = false);
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, result.Suspended);
                Assert.Equal(0, result.Deleted);
                Assert.Equal(DropboxMemberStatus.Active, sandbox.Dropbox.FindByEmail(users[0].UserPrincipalName).Status);
                Assert.Equal(DropboxMemberStatus.Active, sandbox.Dropbox.FindByEmail(users[1].UserPrincipalName).Status);
                Assert.Equal(DropboxMemberStatus.Suspended, sandbox.Dropbox.FindByEmail(users[2].UserPrincipalName).Status);
                Assert.Equal(2, result.Changes.Count(c => c.Action == ChangeAction.Skip && c.Reason.Contains("SkipOutOfScopeDeletions")));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_mass_unassignment_is_held_by_the_deletion_guard_and_released_by_approval(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 60);
            using (ps)
            {
                ps.Run("Set-DbxProvisioningSetting -DeletionThreshold 5");
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                AcceptAll(sandbox);
                var victims = ProvisionedDirectUsers(sandbox).Take(10).ToList();
                foreach (var user in victims) sandbox.Directory.Unassign(user.Id);
                var writes = Targets.Writes(sandbox, api);

                var held = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, held.Suspended);
                Assert.Equal(writes, Targets.Writes(sandbox, api));
                Assert.Equal(10, held.Changes.Count(c => c.Action == ChangeAction.StagedDelete));
                Assert.Equal(QuarantinePolicy.TooManyDeletes, held.Quarantine);
                Assert.Contains(ps.Warnings, w => w.Contains("threshold of 5"));
                var status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Equal(ProvisioningStatusCode.Quarantine, status.Code);
                Assert.Equal(10, status.StagedDeletions.Count);
                Assert.Equal(10, ps.Run("Get-DbxProvisioningLog -Action StagedDelete").Count);
                Assert.All(victims, v => Assert.Equal(DropboxMemberStatus.Active, sandbox.Dropbox.FindByEmail(v.UserPrincipalName).Status));

                // -WhatIf lists them and changes nothing.
                ps.Run("Approve-DbxProvisioningDeletion -WhatIf");
                Assert.Equal(writes, Targets.Writes(sandbox, api));

                var approved = ps.Single<CycleResult>("Approve-DbxProvisioningDeletion -Confirm:$false");
                Assert.Equal(10, approved.Suspended);
                Assert.All(victims, v => Assert.Equal(DropboxMemberStatus.Suspended, sandbox.Dropbox.FindByEmail(v.UserPrincipalName).Status));
                var after = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Null(after.Quarantine);
                Assert.Empty(after.StagedDeletions);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Held_deletions_are_dropped_when_their_cause_goes_away(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 60);
            using (ps)
            {
                ps.Run("Set-DbxProvisioningSetting -DeletionThreshold 3");
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                AcceptAll(sandbox);
                var victims = ProvisionedDirectUsers(sandbox).Take(6).ToList();
                foreach (var user in victims) sandbox.Directory.Unassign(user.Id);
                Assert.Equal(6, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Changes.Count(c => c.Action == ChangeAction.StagedDelete));

                // Quarantined: a cycle by hand says when the next attempt is due, and runs only with -Force.
                ps.Invoke("Invoke-DbxProvisioningCycle");
                var refused = Assert.Single(ps.Errors);
                Assert.StartsWith("InvokeDbxProvisioningCycleQuarantined,", refused.FullyQualifiedErrorId);
                Assert.Contains("next attempt is due", refused.Exception.Message);

                foreach (var user in victims) sandbox.Directory.Assign(user.Id, SandboxCredentials.UserAppRoleId);
                var next = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Force");
                Assert.Equal(0, next.Suspended + next.Changes.Count(c => c.Action == ChangeAction.StagedDelete));
                var status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Empty(status.StagedDeletions);
                Assert.Null(status.Quarantine);
                Assert.All(victims, v => Assert.Equal(DropboxMemberStatus.Active, sandbox.Dropbox.FindByEmail(v.UserPrincipalName).Status));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Failed_writes_are_escrowed_and_retried_and_one_bad_user_never_stops_a_cycle(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 40);
            using (ps)
            {
                sandbox.Dropbox.LicenseLimit = sandbox.Dropbox.Members.Count + 20;
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(20, first.Created);
                Assert.True(first.Failed > 0);
                Assert.Equal(CycleStatus.CompletedWithFailures, first.Status);
                Assert.Equal(first.Failed, first.LicenseLimited);
                Assert.Contains(ps.Warnings, w => w.Contains("no license left"));
                var status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Equal(first.Failed, status.Escrows.Count);
                Assert.All(status.Escrows, e => Assert.Contains("license", e.LastError, StringComparison.OrdinalIgnoreCase));
                Assert.Equal(first.Failed, ps.Run("Get-DbxProvisioningLog -Status Failure -Action Create").Count);

                sandbox.Dropbox.LicenseLimit = 0;
                var retry = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Force");
                Assert.Equal(CycleMode.Incremental, retry.Mode);
                Assert.Equal(first.Failed, retry.Created);
                Assert.Empty(ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").Escrows);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_tenant_whose_every_call_fails_is_quarantined_and_a_notification_is_sent(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 50);
            using (ps)
            {
                var sender = sandbox.Directory.Users.First().UserPrincipalName;
                ps.Run("Set-DbxProvisioningSetting -NotificationEmail 'dropbox-admins@contoso.com' -NotificationSender $s", new Dictionary<string, object> { ["s"] = sender });
                sandbox.Dropbox.LicenseLimit = sandbox.Dropbox.Members.Count;
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, result.Created);
                Assert.Equal(QuarantinePolicy.EscrowProportion, result.Quarantine);
                var quarantine = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").Quarantine;
                Assert.Equal(QuarantinePolicy.EscrowProportion, quarantine.Reason);
                Assert.Equal(quarantine.SeriesBegan.AddHours(6), quarantine.NextAttempt);
                Assert.Equal(1, quarantine.SeriesCount);
                var mail = Assert.Single(sandbox.Directory.SentMail);
                Assert.Contains("dropbox-admins@contoso.com", mail.To);
                Assert.Contains("quarantine", mail.Subject);

                ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Force");
                Assert.Equal(quarantine.SeriesBegan.AddHours(12), ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").Quarantine.NextAttempt);

                sandbox.Dropbox.LicenseLimit = 0;
                var healed = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Force");
                Assert.Equal(CycleStatus.Succeeded, healed.Status);
                Assert.Null(ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").Quarantine);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_refused_token_quarantines_at_once_and_Restart_lifts_it(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 10);
            using (ps)
            {
                // The SCIM token rotated, or the Team API app's authorization revoked.
                if (api == Targets.Scim) sandbox.Dropbox.ScimToken = "rotated-by-someone";
                else sandbox.DropboxApi.RevokeAuthorizations();
                ps.Invoke("Invoke-DbxProvisioningCycle");
                var refused = Assert.Single(ps.Errors);
                if (api == Targets.Scim) Assert.StartsWith("InvokeDbxProvisioningCycleDropboxUnauthorized,", refused.FullyQualifiedErrorId);
                else
                {
                    Assert.StartsWith("InvokeDbxProvisioningCycleDropboxTokenRevoked,", refused.FullyQualifiedErrorId);
                    Assert.Contains("Connect-DbxTenant", refused.Exception.Message);
                }
                var status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Equal(ProvisioningStatusCode.Quarantine, status.Code);
                Assert.Equal(QuarantinePolicy.Credentials, status.Quarantine.Reason);
                ps.Run("Restart-DbxProvisioning -Scope Quarantine -Confirm:$false");
                Assert.Equal(ProvisioningStatusCode.Active, ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").Code);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Provision_on_demand_shows_each_step(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 20);
            using (ps)
            {
                var user = ProvisionedDirectUsers(sandbox).First();
                var result = ps.Single<OnDemandResult>("Start-DbxProvisioningOnDemand -UserId $u -Confirm:$false", new Dictionary<string, object> { ["u"] = user.UserPrincipalName });
                Assert.Equal(new[] { "Import user", "Determine if user is in scope", "Match user between Entra ID and Dropbox", "Perform action" }, result.Steps.Select(s => s.Name));
                Assert.Equal(ChangeStatus.Success, result.Status);
                Assert.Equal(ChangeAction.Create, result.Change.Action);
                Assert.NotNull(sandbox.Dropbox.FindByEmail(user.UserPrincipalName));
                Assert.Single(ps.Run("Get-DbxProvisioningLog -Identity $u", new Dictionary<string, object> { ["u"] = user.UserPrincipalName }));

                var again = ps.Single<OnDemandResult>("Start-DbxProvisioningOnDemand -UserId $u", new Dictionary<string, object> { ["u"] = user.Id });
                Assert.Null(again.Change);
                Assert.Contains("nothing to change", again.Steps.Last().Details);

                var defaultOnly = sandbox.Directory.Assignments.First(a => a.AppRoleId == SandboxCredentials.DefaultAccessAppRoleId && a.PrincipalType == "User");
                var excluded = ps.Single<OnDemandResult>("Start-DbxProvisioningOnDemand -UserId $u", new Dictionary<string, object> { ["u"] = defaultOnly.PrincipalId });
                Assert.Equal(ChangeStatus.Skipped, excluded.Steps[1].Status);
                Assert.Contains("Default Access", excluded.Steps[1].Details);

                ps.Invoke("Start-DbxProvisioningOnDemand -UserId 'nobody@contoso.com'");
                Assert.StartsWith("StartDbxProvisioningOnDemandUserNotFound,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Logs_are_filtered_newest_first_and_flat_enough_for_csv(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 30);
            using (ps)
            {
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                var creates = ps.Run("Get-DbxProvisioningLog -Action Create -ObjectType User").Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
                Assert.Equal(first.Created, creates.Count);
                Assert.All(creates, r => Assert.Equal(first.CycleId, r.CycleId));
                Assert.Contains("userName", creates[0].ModifiedPropertiesText);
                var skipped = ps.Run("Get-DbxProvisioningLog -Status Skipped").Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
                Assert.Contains(skipped, r => r.StatusDetails.Contains("name.familyName"));

                var user = ProvisionedDirectUsers(sandbox).First();
                // An attribute the target sets: displayName over SCIM, the surname over the Team API.
                var attribute = api == Targets.Scim ? "displayName" : "name.familyName";
                sandbox.Directory.UpdateUser(user.Id, u => { if (api == Targets.Scim) u.DisplayName = "Later"; else u.Surname = "Later"; });
                var second = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                var newest = ps.Single<ProvisioningLogRecord>("Get-DbxProvisioningLog -First 1");
                Assert.Equal(second.CycleId, newest.CycleId);
                Assert.Equal($"{attribute}: 'Renamed' -> 'Later'".Replace("Renamed", newest.ModifiedProperties[0].OldValue), newest.ModifiedPropertiesText);
                Assert.Equal(2, ps.Run("Get-DbxProvisioningLog -Identity $u", new Dictionary<string, object> { ["u"] = user.UserPrincipalName }).Count);
                Assert.Empty(ps.Run("Get-DbxProvisioningLog -After $t", new Dictionary<string, object> { ["t"] = DateTimeOffset.UtcNow.AddMinutes(1) }));

                // Flat: every property of a record is a string, a number, a date, an enum or a list of simple pairs.
                foreach (var property in typeof(ProvisioningLogRecord).GetProperties())
                    Assert.True(property.PropertyType.IsPrimitive || property.PropertyType.IsEnum || property.PropertyType == typeof(string) || property.PropertyType == typeof(DateTimeOffset)
                        || property.PropertyType == typeof(List<ModifiedProperty>), property.Name);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Settings_are_validated_and_scope_all_provisions_unassigned_users(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 30);
            using (ps)
            {
                ps.Invoke("Set-DbxProvisioningSetting -DeletionThreshold 0");
                Assert.StartsWith("ParameterArgumentValidationError,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
                ps.Invoke("Set-DbxProvisioningSetting -CycleInterval '00:00:05'");
                Assert.StartsWith("SetDbxProvisioningSettingInvalidCycleInterval,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
                ps.Invoke("Set-DbxProvisioningSetting -NotificationEmail 'not an address'");
                Assert.StartsWith("ParameterArgumentValidationError,", Assert.Single(ps.Errors).FullyQualifiedErrorId);

                var assigned = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                var settings = ps.Single<ProvisioningSettings>("Set-DbxProvisioningSetting -Scope AllUsersAndGroups -PassThru");
                Assert.Equal(ProvisioningScope.AllUsersAndGroups, settings.Scope);
                var all = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Initial, all.Mode);
                Assert.True(all.Created > 0, "unassigned users are created when all users are in scope");
                var unassigned = sandbox.Directory.Users.Where(u => u.AccountEnabled && !string.IsNullOrEmpty(u.Surname)
                    && !Targets.ExpectedUserNames(sandbox).Contains(u.UserPrincipalName)).ToList();
                Assert.All(unassigned, u => Assert.NotNull(sandbox.Dropbox.FindByEmail(u.UserPrincipalName)));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Restart_Watermark_makes_an_initial_cycle_and_Restart_Full_rematches_without_creating(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 30);
            using (ps)
            {
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                var initial = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Initial, initial.Mode);
                Assert.Equal(0, initial.Created + initial.Updated);

                ps.Run("Restart-DbxProvisioning -Scope Full -Confirm:$false");
                Assert.Equal(0, ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").ManagedUsers);
                var rematched = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, rematched.Created);
                Assert.Equal(first.Created + first.Adopted, rematched.Adopted);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Continuous_runs_cycles_on_an_interval(string api)
        {
            var (ps, connection, sandbox) = Connect(api, 10);
            using (ps)
            {
                var results = ps.Run("Invoke-DbxProvisioningCycle -Continuous -Interval '00:00:01' -MaxCycles 2").Select(o => (CycleResult)o.BaseObject).ToList();
                Assert.Equal(2, results.Count);
                Assert.Equal(CycleMode.Initial, results[0].Mode);
                Assert.Equal(CycleMode.Incremental, results[1].Mode);
                Assert.True(results[1].StartTime - results[0].EndTime >= TimeSpan.FromSeconds(0.9));
            }
        }
    }
}
