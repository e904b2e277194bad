using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>Progress while a cycle runs, and stopping one cleanly (Ctrl+C is PowerShell.Stop()).</summary>
    public sealed class CycleControlTests
    {
        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_cycle_reports_progress(string api)
        {
            var (ps, _, _) = Targets.Connect(api, 60, 7);
            using var session = ps;
            ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
            Assert.Contains(ps.Progress, p => p.Activity == "Importing from Entra ID");
            Assert.Contains(ps.Progress, p => p.Activity == "Provisioning to Dropbox" && p.PercentComplete == 100);
            Assert.Contains(ps.Progress, p => p.RecordType == System.Management.Automation.ProgressRecordType.Completed);
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Requests_are_paced_below_Dropbox_rate_limit_so_none_is_refused(string api)
        {
            var (ps, _, sandbox) = Targets.Connect(api, 60, 7);
            using var session = ps;
            sandbox.SetRateLimits(0, 40);
            ps.Run("Set-DbxProvisioningSetting -MaxRequestsPerSecond 30");
            sandbox.Journal.Clear();
            var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.True(result.Created > 40);
            Assert.Equal(CycleStatus.Succeeded, result.Status);
            Assert.Equal(0, Targets.Refused(sandbox, api));
            // Paced at 30 a second: SCIM's 40-odd writes cannot take less than a second and a bit; over the Team API
            // (20 creates a call) fewer requests are sent, and they are no less spaced.
            var requests = Targets.Requests(sandbox, api);
            if (api == Targets.Scim) Assert.True(result.EndTime - result.StartTime >= TimeSpan.FromSeconds(1), $"{result.EndTime - result.StartTime}");
            else Assert.True(requests < result.Created, $"{requests} requests for {result.Created} creates");
            Assert.True(result.EndTime - result.StartTime >= TimeSpan.FromSeconds((requests - 1) / 30.0), $"{requests} requests in {result.EndTime - result.StartTime}");
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Above_Dropbox_rate_limit_the_pace_drops_and_every_write_still_lands(string api)
        {
            var (ps, _, sandbox) = Targets.Connect(api, 60, 7);
            using var session = ps;
            sandbox.SetRateLimits(0, 15);
            ps.Run("Set-DbxProvisioningSetting -MaxRequestsPerSecond 60");
            sandbox.Journal.Clear();
            var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(CycleStatus.Succeeded, result.Status);
            Assert.Equal(0, result.Failed);
            Assert.All(Targets.ExpectedUserNames(sandbox), upn => Assert.NotNull(sandbox.Dropbox.FindByEmail(upn)));
            var refused = Targets.Refused(sandbox, api);
            // SCIM writes one user a request; the Team API creates 20 a call, so there the measure is every request.
            var sent = api == Targets.Scim ? Targets.Writes(sandbox, api) : Targets.Requests(sandbox, api);
            Assert.True(refused < sent / 2, $"{refused} refused of {sent} {(api == Targets.Scim ? "writes" : "requests")}");
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Stopping_a_cycle_keeps_what_was_done_and_the_next_cycle_converges(string api)
        {
            var (ps, _, sandbox) = Targets.Connect(api, 200, 7);
            using var session = ps;
            sandbox.Options.Latency = TimeSpan.FromMilliseconds(100);
            var before = sandbox.Dropbox.Members.Count;

            // Stopped once the first accounts exist (SCIM: 10 POSTs; Team API: the first members/add_v2 call of 20).
            var run = Task.Run(() => ps.Invoke("Invoke-DbxProvisioningCycle"));
            SpinWait.SpinUntil(() => sandbox.Dropbox.Members.Count - before >= 10, TimeSpan.FromSeconds(30));
            ps.Stop();
            Assert.True(run.Wait(TimeSpan.FromSeconds(30)), "the cycle did not stop");
            Assert.Equal(System.Management.Automation.PSInvocationState.Stopped, ps.LastState);
            var createdBeforeStop = sandbox.Dropbox.Members.Count - before;
            Assert.True(createdBeforeStop >= 10 && createdBeforeStop < 150, "the stop came too late to test anything: " + createdBeforeStop);

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
