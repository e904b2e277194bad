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
    /// The offboarding policy (Team API): rules like scoping filters, first match wins, a default; Set-, Get- and
    /// Remove-DbxOffboardingPolicy validated on a copy and saved whole; refused over SCIM.
    /// </summary>
    public sealed class TeamApiOffboardingTests
    {
        [Fact]
        public void The_policy_is_set_changed_reordered_and_removed_by_its_cmdlets_and_a_refused_rule_saves_nothing()
        {
            var (ps, connection, _) = Targets.Connect(Targets.TeamApi, 4, 71);
            using (ps)
            {
                string Config() => File.Exists(connection.Store.ConfigurationFile) ? File.ReadAllText(connection.Store.ConfigurationFile) : "";
                Assert.Empty(ps.Run("Get-DbxOffboardingPolicy"));
                ps.Run("Set-DbxOffboardingPolicy -Default -Action Suspend -WipeData -WhatIf");
                Assert.Empty(ps.Run("Get-DbxOffboardingPolicy"));

                var sales = ps.Single<OffboardingRule>("Set-DbxOffboardingPolicy -Name Sales -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Sales' } -Action SuspendThenRemove -RemoveAfterDays 30 -TransferFilesTo Manager -TransferAdmin admin@contoso.com");
                Assert.Equal(OffboardingAction.SuspendThenRemove, sales.Action);
                Assert.Equal(30, sales.RemoveAfterDays);
                ps.Run("Set-DbxOffboardingPolicy -Name Contractors -Clause @{ Attribute = 'jobTitle'; Operator = 'REGEX MATCH'; Value = '(?i)contractor' } -Action SuspendThenRemove -RemoveAfterDays 7 -KeepAccount -RetainTeamShares -Position 1");
                ps.Run("Set-DbxOffboardingPolicy -Default -WipeData");
                var rules = ps.Run("Get-DbxOffboardingPolicy").Select(o => (OffboardingRule)o.BaseObject).ToList();
                Assert.Equal(new[] { "Contractors", "Sales", "Default" }, rules.Select(r => r.Name));
                Assert.True(rules[2].WipeData);
                Assert.Equal(OffboardingAction.Suspend, rules[2].Action);

                // Only what is given changes: the Sales rule keeps its transfer.
                var changed = ps.Single<OffboardingRule>("Set-DbxOffboardingPolicy -Name Sales -RemoveAfterDays 10");
                Assert.Equal(10, changed.RemoveAfterDays);
                Assert.Equal(FileTransferTarget.Manager, changed.TransferFilesTo);
                Assert.Equal("admin@contoso.com", changed.TransferAdmin);

                // Dropbox's own rules on MembersRemoveArg, checked before anything is saved.
                var before = Config();
                foreach (var bad in new[]
                {
                    "Set-DbxOffboardingPolicy -Name Sales -KeepAccount",                                         // keep_account with a transfer
                    "Set-DbxOffboardingPolicy -Name Sales -TransferAdmin $null",                                 // a transfer without transfer_admin_id
                    "Set-DbxOffboardingPolicy -Name Legal -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Legal' } -RetainTeamShares -Action SuspendThenRemove -RemoveAfterDays 1", // retain_team_shares without keep_account
                    "Set-DbxOffboardingPolicy -Name Legal -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Legal' } -TransferFilesTo Member -TransferTarget x@contoso.com -TransferAdmin a@contoso.com", // a transfer on a rule that only suspends
                    "Set-DbxOffboardingPolicy -Name Legal -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Legal' } -Action SuspendThenRemove", // a removal without RemoveAfterDays
                    "Set-DbxOffboardingPolicy -Name Legal -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Legal' } -Action SuspendThenRemove -RemoveAfterDays 1 -TransferFilesTo Expression -TransferTarget 'Join(' -TransferAdmin a@contoso.com",
                    "Set-DbxOffboardingPolicy -Name Legal",                                                      // a new rule without clauses
                })
                {
                    ps.Invoke(bad);
                    var error = Assert.Single(ps.Errors);
                    Assert.StartsWith("SetDbxOffboardingPolicyInvalidOffboardingRule,", error.FullyQualifiedErrorId);
                    Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
                    Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
                    Assert.Equal(before, Config());
                }
                ps.Invoke("Set-DbxOffboardingPolicy -Name Default -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'X' }");
                Assert.StartsWith("SetDbxOffboardingPolicyOffboardingRuleExists,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
                ps.Invoke("Set-DbxOffboardingPolicy -Name Bad -Clause @{ Attribute = 'department'; Operator = 'SOUNDS LIKE'; Value = 'X' }");
                Assert.StartsWith("SetDbxOffboardingPolicyUnknownOperator,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
                // An attribute Entra ID does not have is refused as in a scoping filter, in a clause or as the recipient's attribute.
                ps.Invoke("Set-DbxOffboardingPolicy -Name Typo -Clause @{ Attribute = 'departmnet'; Operator = 'EQUALS'; Value = 'X' }");
                Assert.StartsWith("SetDbxOffboardingPolicyUnknownSourceAttribute,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
                ps.Invoke("Set-DbxOffboardingPolicy -Default -Action SuspendThenRemove -RemoveAfterDays 1 -TransferFilesTo Attribute -TransferTarget 'archiveMailbox' -TransferAdmin it@contoso.com");
                Assert.StartsWith("SetDbxOffboardingPolicyUnknownSourceAttribute,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
                Assert.Equal(before, Config());

                // The policy goes with an export and comes back with an import.
                var path = Path.Combine(Path.GetTempPath(), "offboarding-" + Guid.NewGuid().ToString("N") + ".json");
                try
                {
                    ps.Run("Export-DbxProvisioningConfiguration -Path $p", new Dictionary<string, object> { ["p"] = path });
                    Assert.Contains("\"offboarding\"", File.ReadAllText(path));
                    ps.Run("Remove-DbxOffboardingPolicy -Name Contractors");
                    Assert.Equal(new[] { "Sales", "Default" }, ps.Run("Get-DbxOffboardingPolicy").Select(o => ((OffboardingRule)o.BaseObject).Name));
                    ps.Invoke("Remove-DbxOffboardingPolicy -Name Nobody");
                    Assert.StartsWith("RemoveDbxOffboardingPolicyOffboardingRuleNotFound,", Assert.Single(ps.Errors).FullyQualifiedErrorId);
                    ps.Run("Remove-DbxOffboardingPolicy -All -Confirm:$false");
                    Assert.Empty(ps.Run("Get-DbxOffboardingPolicy"));
                    Assert.DoesNotContain("offboarding", Config());
                    ps.Run("Import-DbxProvisioningConfiguration -Path $p -Confirm:$false", new Dictionary<string, object> { ["p"] = path });
                    Assert.Equal(new[] { "Contractors", "Sales", "Default" }, ps.Run("Get-DbxOffboardingPolicy").Select(o => ((OffboardingRule)o.BaseObject).Name));
                }
                finally { File.Delete(path); }
            }
        }

        [Fact]
        public void Over_SCIM_an_offboarding_policy_is_refused_with_its_error_id()
        {
            var (ps, connection, _) = Targets.Connect(Targets.Scim, 4, 72);
            using (ps)
            {
                ps.Invoke("Set-DbxOffboardingPolicy -Default -WipeData");
                var error = Assert.Single(ps.Errors);
                Assert.StartsWith("SetDbxOffboardingPolicyTeamApiOnlyOffboardingPolicy,", error.FullyQualifiedErrorId);
                Assert.Contains("Team API", error.Exception.Message);
                Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
                Assert.Null(connection.Store.LoadConfiguration().Offboarding);
            }

            // A Team API job with a policy, switched to SCIM: its cycle stops before it writes anything.
            var (teamPs, teamApi, sandbox) = Targets.Connect(Targets.TeamApi, 6, 75);
            using (teamPs)
            {
                teamPs.Run("Set-DbxOffboardingPolicy -Default -WipeData");
                teamPs.Run("Connect-DbxTenant -Sandbox -Api Scim -SandboxConnection $t | Out-Null", new Dictionary<string, object> { ["t"] = teamApi });
                sandbox.Journal.Clear();
                var members = sandbox.Dropbox.MemberCount;
                teamPs.Invoke("Invoke-DbxProvisioningCycle");
                var error = Assert.Single(teamPs.Errors);
                Assert.StartsWith("InvokeDbxProvisioningCycleTeamApiOnlyOffboardingPolicy,", error.FullyQualifiedErrorId);
                Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
                Assert.Equal(0, Targets.Writes(sandbox, Targets.Scim));
                Assert.Equal(members, sandbox.Dropbox.MemberCount);
            }
        }

        private static int Calls(Sandbox.SandboxTenant sandbox, string route) => sandbox.Journal.Entries().Count(e => e.Path == "/2/team/members/" + route);

        [Fact]
        public void Leavers_are_suspended_by_their_rule_removed_when_the_grace_period_ends_with_their_files_transferred_and_a_user_who_comes_back_is_not_removed()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 30, 73);
            using (ps)
            {
                Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 8);
                Targets.AcceptAll(sandbox); // an invited member cannot be suspended, only removed
                var admin = sandbox.Dropbox.AddMember(new Sandbox.Dropbox.DropboxMember { Email = "it-admin@contoso.com", GivenName = "IT", Surname = "Admin", Role = "team_admin", Status = Sandbox.Dropbox.DropboxMemberStatus.Active });
                var archive = sandbox.Dropbox.AddMember(new Sandbox.Dropbox.DropboxMember { Email = "archive@contoso.com", GivenName = "Archive", Surname = "Box", Status = Sandbox.Dropbox.DropboxMemberStatus.Active });
                var managed = connection.Store.LoadState().Users.Values.Where(m => m.Active).Take(4).ToList();
                Assert.Equal(4, managed.Count);
                var (removed, kept, plain, refused) = (managed[0], managed[1], managed[2], managed[3]);
                sandbox.Directory.UpdateUser(removed.SourceId, u => u.Department = "Offboard-Remove");
                sandbox.Directory.UpdateUser(kept.SourceId, u => u.Department = "Offboard-Keep");
                sandbox.Directory.UpdateUser(plain.SourceId, u => u.Department = "Offboard-Plain");
                sandbox.Directory.UpdateUser(refused.SourceId, u => u.Department = "Offboard-Bad");

                ps.Run("Set-DbxOffboardingPolicy -Default -WipeData");
                ps.Run("Set-DbxOffboardingPolicy -Name Remove -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Offboard-Remove' } -Action SuspendThenRemove -RemoveAfterDays 0 -TransferFilesTo Member -TransferTarget archive@contoso.com -TransferAdmin it-admin@contoso.com");
                ps.Run("Set-DbxOffboardingPolicy -Name Keep -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Offboard-Keep' } -Action SuspendThenRemove -RemoveAfterDays 30 -KeepAccount -RetainTeamShares");
                ps.Run("Set-DbxOffboardingPolicy -Name Bad -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Offboard-Bad' } -Action SuspendThenRemove -RemoveAfterDays 0 -TransferFilesTo Member -TransferTarget nobody@contoso.com -TransferAdmin it-admin@contoso.com");
                // The policy changed: the next cycle is an initial one and reads the rules' attribute; nothing to do yet.
                Assert.Equal(0, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Suspended);
                foreach (var m in managed) sandbox.Directory.UpdateUser(m.SourceId, u => u.AccountEnabled = false);

                // -WhatIf names each rule and writes nothing.
                sandbox.Journal.Clear();
                var look = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => o.BaseObject).OfType<ProvisioningChange>().Where(c => c.Action == ChangeAction.Disable).ToList();
                Assert.Equal(4, look.Count);
                Assert.Contains("offboarding rule 'Remove': members/suspend with wipe_data false, then members/remove on or after", look.Single(c => c.SourceId == removed.SourceId).Reason);
                Assert.Contains("offboarding rule 'Default': members/suspend with wipe_data true", look.Single(c => c.SourceId == plain.SourceId).Reason);
                Assert.Equal(0, Calls(sandbox, "suspend"));
                Assert.Empty(ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").PendingRemovals);

                var suspended = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(4, suspended.Suspended);
                Assert.Equal(0, suspended.Failed);
                Assert.All(managed, m => Assert.Equal(Sandbox.Dropbox.DropboxMemberStatus.Suspended, sandbox.Dropbox.GetMember(m.TargetId).Status));
                Assert.True(sandbox.Dropbox.Offboarding.DevicesWiped.ContainsKey(plain.TargetId));
                Assert.False(sandbox.Dropbox.Offboarding.DevicesWiped.ContainsKey(removed.TargetId));
                var log = ps.Run("Get-DbxProvisioningLog -Action Disable").Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
                Assert.Contains(log, r => r.StatusDetails != null && r.StatusDetails.Contains("members/suspend, wipe_data true (offboarding rule 'Default')"));
                var pending = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").PendingRemovals;
                Assert.Equal(new[] { removed.SourceId, refused.SourceId, kept.SourceId }.OrderBy(x => x), pending.Select(p => p.SourceId).OrderBy(x => x));
                var keptEntry = pending.Single(p => p.SourceId == kept.SourceId);
                Assert.Equal(30, Math.Round((keptEntry.RemoveAfter - keptEntry.SuspendedOn).TotalDays));

                // The next cycle removes those whose grace period ended, through the deletion guard's count; one refusal is named.
                sandbox.Journal.Clear();
                var removal = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, removal.Deleted);
                Assert.Equal(1, removal.Failed);
                Assert.Equal(Sandbox.Dropbox.DropboxMemberStatus.Removed, sandbox.Dropbox.AllMembers.Single(m => m.TeamMemberId == removed.TargetId).Status);
                Assert.Equal(archive.TeamMemberId, sandbox.Dropbox.Offboarding.FilesTransferredTo[removed.TargetId]);
                Assert.True(Calls(sandbox, "remove/job_status/get") >= 1); // the transfer ran as a job, polled to its end
                Assert.Equal(Sandbox.Dropbox.DropboxMemberStatus.Suspended, sandbox.Dropbox.GetMember(kept.TargetId).Status);
                var deletes = ps.Run("Get-DbxProvisioningLog -Action Delete").Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
                Assert.Contains(deletes, r => r.SourceId == removed.SourceId && r.Status == ChangeStatus.Success && r.StatusDetails.Contains("transfer_dest_id archive@contoso.com"));
                Assert.Contains(deletes, r => r.SourceId == refused.SourceId && r.Status == ChangeStatus.Failure && r.StatusDetails.Contains("transfer_dest_user_not_found"));
                var after = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Equal(new[] { refused.SourceId, kept.SourceId }.OrderBy(x => x), after.PendingRemovals.Select(p => p.SourceId).OrderBy(x => x));
                Assert.Equal(1, after.PendingRemovals.Single(p => p.SourceId == refused.SourceId).Refusals);
                Assert.False(connection.Store.LoadState().Users.ContainsKey(removed.SourceId));

                // The user of the Keep rule comes back within the grace period: unsuspended, never removed.
                sandbox.Directory.UpdateUser(kept.SourceId, u => u.AccountEnabled = true);
                var back = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.True(back.Updated >= 1);
                Assert.Equal(Sandbox.Dropbox.DropboxMemberStatus.Active, sandbox.Dropbox.GetMember(kept.TargetId).Status);
                Assert.DoesNotContain(ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").PendingRemovals, p => p.SourceId == kept.SourceId);
                Assert.False(sandbox.Dropbox.Offboarding.KeptAccounts.ContainsKey(kept.TargetId));
            }
        }

        [Fact]
        public void A_leaver_s_files_go_to_the_manager_Graph_names_for_them_when_the_rule_says_Manager()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 12, 76);
            using (ps)
            {
                Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 3);
                Targets.AcceptAll(sandbox);
                sandbox.Dropbox.AddMember(new Sandbox.Dropbox.DropboxMember { Email = "it-admin@contoso.com", GivenName = "IT", Surname = "Admin", Role = "team_admin", Status = Sandbox.Dropbox.DropboxMemberStatus.Active });
                var two = connection.Store.LoadState().Users.Values.Where(m => m.Active).Take(2).ToArray();
                var (leaver, manager) = (two[0], two[1]);
                sandbox.Directory.UpdateUser(leaver.SourceId, u => u.ManagerId = manager.SourceId);
                ps.Run("Set-DbxOffboardingPolicy -Default -Action SuspendThenRemove -RemoveAfterDays 0 -TransferFilesTo Manager -TransferAdmin it-admin@contoso.com");
                ps.Single<CycleResult>("Invoke-DbxProvisioningCycle"); // the policy changed: an initial cycle, nothing to do

                sandbox.Directory.UpdateUser(leaver.SourceId, u => u.AccountEnabled = false);
                sandbox.Journal.Clear();
                Assert.Equal(1, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Suspended);
                Assert.Contains(sandbox.Journal.Entries(), e => e.Service == "graph" && e.Path.EndsWith("/users/" + leaver.SourceId + "/manager", StringComparison.OrdinalIgnoreCase));
                var removal = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, removal.Deleted);
                Assert.Equal(0, removal.Failed);
                Assert.Equal(manager.TargetId, sandbox.Dropbox.Offboarding.FilesTransferredTo[leaver.TargetId]);
                Assert.Equal(Sandbox.Dropbox.DropboxMemberStatus.Active, sandbox.Dropbox.GetMember(manager.TargetId).Status);
                var record = ps.Run("Get-DbxProvisioningLog -Action Delete").Select(o => (ProvisioningLogRecord)o.BaseObject).Single(r => r.SourceId == leaver.SourceId);
                Assert.Equal(ChangeStatus.Success, record.Status);
                Assert.Contains("transfer_dest_id " + manager.TargetId, record.StatusDetails); // the manager's member, as the engine manages it
            }
        }

        /// <summary>A policy that removes at once (SuspendThenRemove, no grace), and one active member disabled in Entra: suspended, then removed.</summary>
        private static ManagedObject RemovedByPolicy(PowerShellSession ps, DropboxProvisioning.Connection.DbxConnection connection, Sandbox.SandboxTenant sandbox)
        {
            ps.Run("Set-DbxOffboardingPolicy -Default -Action SuspendThenRemove -RemoveAfterDays 0");
            Assert.True(ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Created > 3);
            Targets.AcceptAll(sandbox);
            var leaver = connection.Store.LoadState().Users.Values.First(m => m.Active);
            sandbox.Directory.UpdateUser(leaver.SourceId, u => u.AccountEnabled = false);
            Assert.Equal(1, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Suspended);
            Assert.Equal(1, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Deleted);
            return leaver;
        }

        [Fact]
        public void A_user_who_comes_back_within_Dropbox_s_recovery_window_is_recovered_with_members_recover_and_not_invited_anew()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 12, 74);
            using (ps)
            {
                var leaver = RemovedByPolicy(ps, connection, sandbox);
                Assert.Equal(Sandbox.Dropbox.DropboxMemberStatus.Removed, sandbox.Dropbox.AllMembers.Single(m => m.TeamMemberId == leaver.TargetId).Status);

                sandbox.Directory.UpdateUser(leaver.SourceId, u => u.AccountEnabled = true);
                var look = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => o.BaseObject).OfType<ProvisioningChange>().Single(c => c.SourceId == leaver.SourceId);
                Assert.Equal(ChangeAction.Update, look.Action);
                Assert.Contains("restored with members/recover, not invited anew", look.Reason);
                sandbox.Journal.Clear();
                var back = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, back.Created);
                Assert.Equal(0, back.Failed);
                Assert.Equal(1, Calls(sandbox, "recover"));
                Assert.Equal(0, Calls(sandbox, "add_v2"));
                Assert.Equal(Sandbox.Dropbox.DropboxMemberStatus.Active, sandbox.Dropbox.GetMember(leaver.TargetId).Status);
                Assert.Equal(leaver.TargetId, connection.Store.LoadState().Users[leaver.SourceId].TargetId);
                Assert.Empty(connection.Store.LoadState().RemovedMembers);
            }
        }

        [Fact]
        public void A_recovery_takes_a_license_so_on_a_full_team_it_waits_as_LicenseLimit_and_is_recovered_once_one_is_free()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 12, 74);
            using (ps)
            {
                var leaver = RemovedByPolicy(ps, connection, sandbox);

                // The team is full when the user comes back: the recovery is held, not refused with team_license_limit.
                ps.Run("Set-DbxProvisioningSetting -CheckLicenses $true");
                sandbox.Dropbox.LicenseLimit = sandbox.Dropbox.LicensesUsed;
                sandbox.Directory.UpdateUser(leaver.SourceId, u => u.AccountEnabled = true);
                sandbox.Journal.Clear();
                var held = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, held.Failed);
                Assert.Equal(1, held.LicenseDeferred);
                Assert.Equal(0, Calls(sandbox, "recover"));
                Assert.StartsWith("LicenseLimit:", held.Changes.Single(c => c.SourceId == leaver.SourceId).Reason);
                Assert.Single(connection.Store.LoadState().RemovedMembers); // still recoverable

                sandbox.Dropbox.LicenseLimit = sandbox.Dropbox.LicensesUsed + 1;
                var back = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, back.Failed + back.Created);
                Assert.Equal(1, Calls(sandbox, "recover"));
                Assert.Equal(Sandbox.Dropbox.DropboxMemberStatus.Active, sandbox.Dropbox.GetMember(leaver.TargetId).Status);
                Assert.Empty(connection.Store.LoadState().RemovedMembers);
            }
        }

        [Fact]
        public void A_user_deleted_for_good_in_Entra_follows_the_policys_default_rule_and_without_a_default_is_removed_as_before()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 12, 74);
            using (ps)
            {
                ps.Run("Set-DbxOffboardingPolicy -Default -Action SuspendThenRemove -RemoveAfterDays 0 -KeepAccount");
                ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Targets.AcceptAll(sandbox);
                var gone = connection.Store.LoadState().Users.Values.Where(m => m.Active).OrderBy(m => m.SourceId, StringComparer.Ordinal).Take(2).ToList();

                // Deleted for good: suspended now by the default rule (no wipe: it keeps the account), not sent to members/remove.
                sandbox.Directory.HardDeleteUser(gone[0].SourceId);
                var look = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => o.BaseObject).OfType<ProvisioningChange>().Single(c => c.SourceId == gone[0].SourceId);
                Assert.Equal(ChangeAction.Disable, look.Action);
                Assert.Contains("deleted in Entra ID (the offboarding policy's default rule decides)", look.Reason);
                Assert.Contains("offboarding rule 'Default'", look.Reason);
                sandbox.Journal.Clear();
                var suspended = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, suspended.Suspended);
                Assert.Equal(0, suspended.Deleted + suspended.Failed);
                Assert.Equal(0, Calls(sandbox, "remove"));
                Assert.False(sandbox.Dropbox.Offboarding.DevicesWiped.ContainsKey(gone[0].TargetId));
                Assert.True(connection.Store.LoadState().PendingRemovals.ContainsKey(gone[0].SourceId));

                // Its removal falls due: members/remove with keep_account, as the rule says.
                var removed = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, removed.Deleted);
                Assert.True(sandbox.Dropbox.Offboarding.KeptAccounts.ContainsKey(gone[0].TargetId));

                // A policy with rules but no default: a deleted user (no attributes left for the rules) is removed as before.
                ps.Run("Remove-DbxOffboardingPolicy -All -Confirm:$false");
                ps.Run("Set-DbxOffboardingPolicy -Name Sales -Clause @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Sales' } -Action Suspend");
                ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                sandbox.Directory.HardDeleteUser(gone[1].SourceId);
                var plain = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Confirm:$false");
                Assert.Equal(1, plain.Deleted);
                Assert.False(sandbox.Dropbox.Offboarding.KeptAccounts.ContainsKey(gone[1].TargetId));
            }
        }
    }
}
