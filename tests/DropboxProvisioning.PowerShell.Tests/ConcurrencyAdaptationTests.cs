using System;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// A cycle sends Dropbox as many requests at once as it answers without slowing down, within MaxConcurrency:
    /// fewer when the answers slow down as more are sent, all of them when they do not.
    /// </summary>
    public sealed class ConcurrencyAdaptationTests
    {
        [Fact]
        public void A_Dropbox_that_slows_down_under_parallel_requests_gets_fewer_of_them()
        {
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 80");
            var sandbox = (SandboxTenant)connection.Sandbox;
            // 20 ms alone, 40 ms more for each other request in flight.
            sandbox.Options.Latency = TimeSpan.FromMilliseconds(20);
            sandbox.Options.CongestionLatency = TimeSpan.FromMilliseconds(40);
            ps.Run("Set-DbxProvisioningSetting -MaxConcurrency 16 -MaxRequestsPerSecond 1000");
            sandbox.ResetDropboxInFlightPeak();
            var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(CycleStatus.Succeeded, result.Status);
            Assert.True(result.Created > 50, "created " + result.Created);
            Assert.Equal(0, result.Failed);
            Assert.True(sandbox.DropboxInFlightPeak <= 8, $"peak in flight {sandbox.DropboxInFlightPeak} of 16 allowed");
        }

        [Fact]
        public void A_Dropbox_that_answers_evenly_gets_up_to_MaxConcurrency_at_once()
        {
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 80");
            var sandbox = (SandboxTenant)connection.Sandbox;
            sandbox.Options.Latency = TimeSpan.FromMilliseconds(150);
            ps.Run("Set-DbxProvisioningSetting -MaxConcurrency 6 -MaxRequestsPerSecond 1000");
            sandbox.ResetDropboxInFlightPeak();
            var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(CycleStatus.Succeeded, result.Status);
            Assert.Equal(0, result.Failed);
            Assert.Equal(6, sandbox.DropboxInFlightPeak);
        }
    }
}
