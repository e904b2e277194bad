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
        }
    }
}
