using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>Progress while a cycle runs, and stopping one cleanly (Ctrl+C is PowerShell.Stop()).</summary>
    public sealed class CycleControlTests
    {
        [Fact]
        public void A_cycle_reports_progress()
        {
            using var ps = new PowerShellSession();
            ps.Run("Connect-DbxTenant -Sandbox -SandboxUserCount 60 | Out-Null");
            ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
            Assert.Contains(ps.Progress, p => p.Activity == "Importing from Entra ID");
            Assert.Contains(ps.Progress, p => p.Activity == "Provisioning to Dropbox" && p.PercentComplete == 100);
            Assert.Contains(ps.Progress, p => p.RecordType == System.Management.Automation.ProgressRecordType.Completed);
        }

        [Fact]
        public void Requests_are_paced_below_Dropbox_rate_limit_so_none_is_refused()
        {
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 60");
            var sandbox = (SandboxTenant)connection.Sandbox;
            sandbox.SetRateLimits(0, 40);
            ps.Run("Set-DbxProvisioningSetting -MaxRequestsPerSecond 30");
            var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.True(result.Created > 40);
            Assert.Equal(CycleStatus.Succeeded, result.Status);
            Assert.DoesNotContain(sandbox.Journal.Entries(), e => e.Service == "scim" && e.Status == 429);
            // Paced at 30 a second, 40-odd writes cannot take less than a second and a bit.
            Assert.True(result.EndTime - result.StartTime >= TimeSpan.FromSeconds(1), $"{result.EndTime - result.StartTime}");
        }

        [Fact]
        public void Above_Dropbox_rate_limit_the_pace_drops_and_every_write_still_lands()
        {
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 60");
            var sandbox = (SandboxTenant)connection.Sandbox;
            sandbox.SetRateLimits(0, 15);
            ps.Run("Set-DbxProvisioningSetting -MaxRequestsPerSecond 60");
            var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(CycleStatus.Succeeded, result.Status);
            Assert.Equal(0, result.Failed);
            var refused = sandbox.Journal.Entries().Count(e => e.Service == "scim" && e.Status == 429);
            var writes = sandbox.Journal.Count("scim", writesOnly: true);
            Assert.True(refused < writes / 2, $"{refused} refused of {writes} writes");
        }

        [Fact]
        public void Stopping_a_cycle_keeps_what_was_done_and_the_next_cycle_converges()
        {
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 200");
            var sandbox = (SandboxTenant)connection.Sandbox;
            sandbox.Options.Latency = TimeSpan.FromMilliseconds(100);

            var run = Task.Run(() => ps.Invoke("Invoke-DbxProvisioningCycle"));
            SpinWait.SpinUntil(() => sandbox.Journal.Count("scim", writesOnly: true) >= 10, TimeSpan.FromSeconds(30));
            ps.Stop();
            Assert.True(run.Wait(TimeSpan.FromSeconds(30)), "the cycle did not stop");
            Assert.Equal(System.Management.Automation.PSInvocationState.Stopped, ps.LastState);
            var createdBeforeStop = sandbox.Journal.Count("scim", writesOnly: true);
            Assert.True(createdBeforeStop < 150, "the stop came too late to test anything: " + createdBeforeStop);

            sandbox.Options.Latency = TimeSpan.Zero;
            var status = ps.Single<State.ProvisioningStatusReport>("Get-DbxProvisioningStatus");
            Assert.Equal(CycleStatus.Cancelled, status.LastCycle.Status);
            var rest = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(CycleStatus.Succeeded, rest.Status);
            // Nothing was created twice: every Dropbox email is unique, and a further cycle has nothing to do.
            var members = sandbox.Dropbox.Members;
            Assert.Equal(members.Count, members.Select(m => m.Email.ToLowerInvariant()).Distinct().Count());
            var again = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(0, again.Created + again.Updated + again.Adopted + again.Failed);
        }
    }
}
