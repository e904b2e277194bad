using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Cmdlets go by their connection's clock (ConnectionOptions.Clock): a connection whose clock is pinned far from the
    /// machine's, handed to the cmdlets with -Connection, stamps the status toggle and schedules the next cycle by it.
    /// </summary>
    public sealed class PinnedClockTests
    {
        private static readonly DateTimeOffset Pinned = new DateTimeOffset(2031, 3, 4, 5, 6, 7, TimeSpan.Zero);

        private sealed class PinnedClock : DropboxProvisioning.Time.IClock
        {
            public DateTimeOffset UtcNow { get; set; } = Pinned;
        }

        private static DbxConnection ConnectPinned(SandboxTenant tenant, PinnedClock clock)
        {
            var options = new ConnectionOptions
            {
                TenantUrl = new Uri("https://www.dropbox.com/scim/v2"),
                SecretToken = Security.SecureStrings.FromText(tenant.Dropbox.ScimToken),
                TenantId = SandboxCredentials.TenantId,
                ClientId = SandboxCredentials.ClientId,
                ClientSecret = Security.SecureStrings.FromText(SandboxCredentials.ClientSecret),
                ServicePrincipalId = SandboxCredentials.ServicePrincipalId,
                Authentication = GraphAuthentication.Sandbox,
                StatePath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dbx-pinned-" + Guid.NewGuid().ToString("N").Substring(0, 12)),
                Clock = clock,
            };
            return ConnectionFactory.ConnectAsync(options, tenant.CreateHandler, CancellationToken.None).GetAwaiter().GetResult();
        }

        [Fact]
        public void Set_DbxProvisioningStatus_stamps_the_toggle_by_the_connections_clock()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 3, Seed = 8 });
            using var connection = ConnectPinned(tenant, new PinnedClock());
            using var ps = new PowerShellSession();
            try
            {
                var report = ps.Single<ProvisioningStatusReport>("Set-DbxProvisioningStatus Off -Connection $c -PassThru", new Dictionary<string, object> { ["c"] = connection });
                Assert.Equal(Pinned, report.StatusChanged);
                Assert.Equal(Pinned, connection.Store.LoadState().StatusChanged);
            }
            finally { System.IO.Directory.Delete(connection.StatePath, recursive: true); }
        }

        [Fact]
        public void A_continuous_run_goes_by_the_connections_clock_for_its_cycles_and_says_the_next_one_by_it()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 3, Seed = 8 });
            using var connection = ConnectPinned(tenant, new PinnedClock());
            using var ps = new PowerShellSession();
            try
            {
                var results = ps.Run("Invoke-DbxProvisioningCycle -Connection $c -Continuous -Interval '00:00:01' -MaxCycles 2 -Verbose",
                    new Dictionary<string, object> { ["c"] = connection }).Select(o => (CycleResult)o.BaseObject).ToList();
                Assert.Equal(2, results.Count);
                Assert.All(results, r => Assert.Equal(Pinned, r.StartTime));
                var next = Assert.Single(ps.Verbose, v => v.StartsWith("Next cycle at ", StringComparison.Ordinal));
                Assert.Equal($"Next cycle at {Pinned.ToLocalTime().AddSeconds(1):T}.", next);
            }
            finally { System.IO.Directory.Delete(connection.StatePath, recursive: true); }
        }
    }
}
