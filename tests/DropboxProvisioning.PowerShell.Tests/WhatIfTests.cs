using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// -WhatIf writes nothing at all, through the real PowerShell engine: the state directory (every file's name, size,
    /// contents and time, and every folder's time) is the same after each command run with -WhatIf as before it.
    /// </summary>
    public sealed class WhatIfTests
    {
        /// <summary>Every file and folder under the state directory: name, size, a hash of the contents, last write time.</summary>
        private static List<string> Snapshot(string directory)
        {
            if (!System.IO.Directory.Exists(directory)) return new List<string> { "(no directory)" };
            var entries = new List<string> { $"./ {System.IO.Directory.GetLastWriteTimeUtc(directory):o}" };
            foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
            {
                var name = Path.GetRelativePath(directory, path);
                if (System.IO.Directory.Exists(path)) { entries.Add($"{name}/ {System.IO.Directory.GetLastWriteTimeUtc(path):o}"); continue; }
                using var sha = SHA256.Create();
                var hash = Convert.ToHexString(sha.ComputeHash(File.ReadAllBytes(path)));
                entries.Add($"{name} {new FileInfo(path).Length} {hash} {File.GetLastWriteTimeUtc(path):o}");
            }
            return entries;
        }

        private static void AssertWritesNothing(PowerShellSession ps, string stateDirectory, string command, params string[] outside)
        {
            var before = Snapshot(stateDirectory);
            ps.Invoke(command);
            Assert.True(before.SequenceEqual(Snapshot(stateDirectory)),
                $"'{command}' changed the state directory:\n- {string.Join("\n- ", before.Except(Snapshot(stateDirectory)))}\n+ {string.Join("\n+ ", Snapshot(stateDirectory).Except(before))}");
            foreach (var path in outside) Assert.False(File.Exists(path), $"'{command}' wrote {path}");
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_cycle_with_WhatIf_and_a_refused_token_writes_nothing_and_does_not_quarantine_the_job(string api)
        {
            var (ps, connection, sandbox) = Targets.Connect(api, 10);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null; Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                if (api == Targets.Scim) sandbox.Dropbox.ScimToken = "rotated-by-someone";
                else sandbox.DropboxApi.RevokeAuthorizations();

                AssertWritesNothing(ps, connection.StatePath, "Invoke-DbxProvisioningCycle -WhatIf");
                Assert.Contains(ps.Errors, e => e.FullyQualifiedErrorId.StartsWith("InvokeDbxProvisioningCycleDropbox", StringComparison.Ordinal));
                var status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.NotEqual(ProvisioningStatusCode.Quarantine, status.Code);
                Assert.Null(status.Quarantine);

                if (api == Targets.Scim)
                {
                    // The next real cycle is not refused as quarantined: it runs.
                    sandbox.Dropbox.ScimToken = Sandbox.SandboxCredentials.ScimToken;
                    Assert.Equal(CycleStatus.Succeeded, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").Status);
                }
            }
        }

        [Fact]
        public void A_first_cycle_with_WhatIf_leaves_no_lock_file_behind()
        {
            var (ps, connection, _) = Targets.Connect(Targets.Scim, 10);
            using (ps)
            {
                AssertWritesNothing(ps, connection.StatePath, "Invoke-DbxProvisioningCycle -WhatIf | Out-Null");
                Assert.Empty(ps.Errors);
                Assert.False(File.Exists(Path.Combine(connection.StatePath, "cycle.lock")));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Every_command_that_has_WhatIf_writes_nothing_under_it(string api)
        {
            var (ps, connection, sandbox) = Targets.Connect(api, 30);
            using (ps)
            {
                var state = connection.StatePath;
                var outside = Path.Combine(Path.GetTempPath(), "dbx-whatif-" + Guid.NewGuid().ToString("N"));
                System.IO.Directory.CreateDirectory(outside);
                try
                {
                    // A job with a history: a cycle, a filter, a held deletion (quarantine), an activity cursor, an export.
                    ps.Run("Set-DbxProvisioningSetting -DeletionThreshold 1");
                    ps.Run("Add-DbxScopingFilter -Name Enabled -SourceAttribute accountEnabled -Operator 'IS TRUE' | Out-Null");
                    ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                    Targets.AcceptAll(sandbox);
                    foreach (var user in Targets.DirectUsers(sandbox).Take(3)) sandbox.Directory.Unassign(user.Id);
                    ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                    Assert.NotEmpty(ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").StagedDeletions);
                    ps.Run("Connect-DbxActivity -Sandbox | Out-Null; Get-DbxActivity -First 5 | Out-Null");
                    var exported = Path.Combine(outside, "exported.json");
                    ps.Run($"Export-DbxProvisioningConfiguration -Path '{exported}'");
                    var someone = Targets.DirectUsers(sandbox).Skip(5).First().Id;
                    var vars = new Dictionary<string, object>();

                    var commands = new[]
                    {
                        "Invoke-DbxProvisioningCycle -WhatIf | Out-Null",
                        "Invoke-DbxProvisioningCycle -WhatIf -Force | Out-Null",
                        "Invoke-DbxProvisioningCycle -WhatIf -Force -AdoptionMode | Out-Null",
                        "Invoke-DbxProvisioningCycle -WhatIf -Force -Continuous -MaxCycles 2 -Interval 00:00:01 | Out-Null",
                        "Invoke-DbxProvisioningCycle -WhatIf -Force -MaxDuration 00:00:01 | Out-Null",
                        $"Start-DbxProvisioningOnDemand -UserId '{someone}' -WhatIf | Out-Null",
                        "Approve-DbxProvisioningDeletion -WhatIf | Out-Null",
                        "(Get-DbxProvisioningStatus).StagedDeletions | Approve-DbxProvisioningDeletion -WhatIf | Out-Null",
                        "Set-DbxProvisioningStatus -Status Off -WhatIf",
                        "Set-DbxProvisioningSetting -DeletionThreshold 9 -CycleInterval 01:00:00 -WhatIf",
                        "Set-DbxProvisioningSetting -MaxCycleDuration 02:30:00 -WhatIf",
                        "Restart-DbxProvisioning -Scope Full -WhatIf",
                        "Restart-DbxProvisioning -Scope Watermark -WhatIf",
                        "Restart-DbxProvisioning -Scope Escrows -WhatIf",
                        "Restart-DbxProvisioning -Scope Quarantine -WhatIf",
                        "Set-DbxAttributeMapping displayName -Expression '[mail]' -WhatIf",
                        "Add-DbxAttributeMapping -TargetAttribute title -SourceAttribute jobTitle -WhatIf",
                        "Remove-DbxAttributeMapping -TargetAttribute displayName -WhatIf",
                        "Reset-DbxAttributeMapping -WhatIf",
                        "Add-DbxScopingFilter -Name City -SourceAttribute city -Operator 'IS NOT NULL' -WhatIf",
                        "Get-DbxScopingFilter | Remove-DbxScopingFilter -WhatIf",
                        $"Import-DbxProvisioningConfiguration -Path '{exported}' -WhatIf",
                        $"Export-DbxProvisioningConfiguration -Path '{Path.Combine(state, "export.json")}' -WhatIf",
                        $"Export-DbxProvisioningReport -Path '{Path.Combine(state, "report.html")}' -WhatIf",
                        "Get-DbxActivity -WhatIf | Out-Null",
                        "Connect-DbxActivity -Sandbox -WhatIf | Out-Null",
                    };
                    foreach (var command in commands)
                        AssertWritesNothing(ps, state, command, Path.Combine(outside, "never.json"));
                    Assert.Equal(ProvisioningToggle.On, connection.Store.LoadState().Status);
                }
                finally
                {
                    System.IO.Directory.Delete(outside, recursive: true);
                }
            }
        }
    }
}
