using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Seats (setting CheckLicenses, Team API): the cycle reads team/get_info before writing, creates only what the free
    /// licenses allow, in a stable order, and holds the rest in escrow as LicenseLimit with one warning, instead of a run
    /// of team_license_limit refusals; the held accounts are created once licenses are free. Refused over SCIM.
    /// </summary>
    public sealed class TeamApiSeatTests
    {
        /// <summary>Log records of refused writes, over every cycle of the job.</summary>
        private static int Failures(PowerShellSession ps) => ps.Run("Get-DbxProvisioningLog -Status Failure").Count;

        [Fact]
        public void A_cycle_over_the_licenses_creates_what_fits_holds_the_rest_as_LicenseLimit_and_creates_them_when_licenses_free_up()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 40, 31);
            using (ps)
            {
                var expected = Targets.ExpectedUserNames(sandbox).Count;
                Assert.True(expected > 12);
                sandbox.Dropbox.LicenseLimit = sandbox.Dropbox.MemberCount + 5;
                ps.Run("Set-DbxProvisioningSetting -CheckLicenses $true");
                Assert.True(ps.Single<ProvisioningSettings>("Get-DbxProvisioningSetting").CheckLicenses);

                // -WhatIf: the look reads the licenses, says what it would hold back, and writes nothing.
                string State() => File.Exists(connection.Store.StateFile) ? File.ReadAllText(connection.Store.StateFile) : "";
                var stateBefore = State();
                sandbox.Journal.Clear();
                var look = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => o.BaseObject).OfType<ProvisioningChange>().ToList();
                Assert.Contains(sandbox.Journal.Entries(), e => e.Path == "/2/team/get_info");
                Assert.Equal(0, Targets.Writes(sandbox, Targets.TeamApi));
                Assert.Equal(stateBefore, State());
                Assert.Single(ps.Warnings, w => w.Contains("LicenseLimit"));
                var heldInLook = look.Where(c => c.Action == ChangeAction.Skip && c.Reason.StartsWith("LicenseLimit:")).ToList();
                Assert.Equal(5, look.Count(c => c.Action == ChangeAction.Create && c.ObjectType == Mapping.ObjectType.User));
                Assert.True(heldInLook.Count > 0);
                Assert.Contains(heldInLook, c => c.Description.Contains("5 free"));

                sandbox.Journal.Clear();
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                var warnings = ps.Warnings;
                Assert.Equal(5, first.Created);
                Assert.Equal(0, first.Failed);
                Assert.Equal(0, first.LicenseLimited);
                Assert.Equal(heldInLook.Count, first.LicenseDeferred);
                Assert.Equal(CycleStatus.Succeeded, first.Status);
                Assert.Null(first.Quarantine);
                Assert.Equal(0, Failures(ps));
                // One warning with the numbers, not one per user.
                var warning = Assert.Single(warnings, w => w.Contains("license"));
                Assert.Contains($"{sandbox.Dropbox.LicenseLimit} license(s), {sandbox.Dropbox.LicenseLimit - 5} in use and 5 free", warning);
                Assert.Contains($"holds back {first.LicenseDeferred} in escrow (LicenseLimit)", warning);

                // The stable order: the five created are the first by Entra object id (none was waiting yet).
                var creates = first.Changes.Where(c => c.ObjectType == Mapping.ObjectType.User && (c.Action == ChangeAction.Create || c.Reason?.StartsWith("LicenseLimit:") == true))
                    .OrderBy(c => c.SourceId, StringComparer.Ordinal).ToList();
                Assert.All(creates.Take(5), c => Assert.Equal(ChangeAction.Create, c.Action));
                Assert.All(creates.Skip(5), c => Assert.Equal(ChangeAction.Skip, c.Action));

                // Log records name what was held and why; the status shows the escrows and the licenses.
                var logged = ps.Run("Get-DbxProvisioningLog -Action Skip").Select(o => (ProvisioningLogRecord)o.BaseObject).Where(r => r.StatusDetails.StartsWith("LicenseLimit:")).ToList();
                Assert.Equal(first.LicenseDeferred, logged.Count);
                var status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Equal(first.LicenseDeferred, status.WaitingForLicense);
                Assert.All(status.Escrows, e => Assert.Equal(EscrowEntry.LicenseLimit, e.Reason));
                Assert.Equal(sandbox.Dropbox.LicenseLimit, status.LicensesTotal);
                Assert.Equal(sandbox.Dropbox.LicenseLimit, status.LicensesUsed);
                Assert.Equal(0, status.LicensesFree);

                // Still no license: the next (incremental) cycle holds them again, without a failure.
                var still = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Incremental, still.Mode);
                Assert.Equal(0, still.Created + still.Failed);
                Assert.Equal(first.LicenseDeferred, still.LicenseDeferred);

                // Three licenses free up: the three waiting longest (then by id) are created, the rest still wait.
                sandbox.Dropbox.LicenseLimit += 3;
                var some = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(3, some.Created);
                Assert.Equal(first.LicenseDeferred - 3, some.LicenseDeferred);
                Assert.Equal(creates.Skip(5).Take(3).Select(c => c.SourceId), some.Changes.Where(c => c.Action == ChangeAction.Create).Select(c => c.SourceId).OrderBy(s => s, StringComparer.Ordinal));

                sandbox.Dropbox.LicenseLimit = 0;
                var rest = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(first.LicenseDeferred - 3, rest.Created);
                Assert.Equal(0, rest.LicenseDeferred);
                Assert.Empty(ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").Escrows);
                Assert.Equal(expected, sandbox.Dropbox.Members.Count(m => Targets.ExpectedUserNames(sandbox).Contains(m.Email)));
                Assert.Equal(0, Failures(ps));
            }
        }

        [Fact]
        public void Without_the_setting_a_Team_API_job_meets_the_license_refusals_as_before_and_the_status_still_shows_the_licenses()
        {
            var (ps, _, sandbox) = Targets.Connect(Targets.TeamApi, 30, 32);
            using (ps)
            {
                sandbox.Dropbox.LicenseLimit = sandbox.Dropbox.MemberCount + 4;
                Assert.False(ps.Single<ProvisioningSettings>("Get-DbxProvisioningSetting").CheckLicenses);
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.DoesNotContain(sandbox.Journal.Entries(), e => e.Path == "/2/team/get_info");
                Assert.Equal(4, first.Created);
                Assert.True(first.LicenseLimited > 0);
                Assert.Equal(0, first.LicenseDeferred);
                var status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Equal(0, status.LicensesFree);
                Assert.Equal(0, status.WaitingForLicense);
            }
        }

        [Fact]
        public void Over_SCIM_the_license_check_is_refused_with_a_clear_error_and_the_status_leaves_licenses_blank()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.Scim, 12, 33);
            using (ps)
            {
                var before = File.Exists(connection.Store.ConfigurationFile) ? File.ReadAllText(connection.Store.ConfigurationFile) : "";
                ps.Invoke("Set-DbxProvisioningSetting -CheckLicenses $true");
                var error = Assert.Single(ps.Errors);
                Assert.StartsWith("SetDbxProvisioningSettingTeamApiOnlySetting,", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
                Assert.Contains("CheckLicenses", error.Exception.Message);
                Assert.Contains("-Api TeamApi", error.ErrorDetails.RecommendedAction);
                Assert.Equal(before, File.Exists(connection.Store.ConfigurationFile) ? File.ReadAllText(connection.Store.ConfigurationFile) : "");

                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Null(status.LicensesTotal);
                Assert.Null(status.LicensesUsed);
                Assert.Null(status.LicensesFree);
                Assert.DoesNotContain(sandbox.Journal.Entries(), e => e.Path == "/2/team/get_info");
            }
        }

        [Fact]
        public void A_job_switched_to_SCIM_with_the_license_check_on_stops_before_it_writes()
        {
            var (ps, teamApi, sandbox) = Targets.Connect(Targets.TeamApi, 12, 34);
            using (ps)
            {
                ps.Run("Set-DbxProvisioningSetting -CheckLicenses $true -InviteReminderAfterDays 3");
                ps.Run("Connect-DbxTenant -Sandbox -Api Scim -SandboxConnection $t | Out-Null", new System.Collections.Generic.Dictionary<string, object> { ["t"] = teamApi });
                sandbox.Journal.Clear();
                var members = sandbox.Dropbox.MemberCount;
                ps.Invoke("Invoke-DbxProvisioningCycle");
                var error = Assert.Single(ps.Errors);
                Assert.StartsWith("InvokeDbxProvisioningCycleTeamApiOnlySetting,", error.FullyQualifiedErrorId);
                Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
                Assert.Equal(0, Targets.Writes(sandbox, Targets.Scim));
                Assert.Equal(members, sandbox.Dropbox.MemberCount);
            }
        }
    }
}
