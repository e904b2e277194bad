using System;
using System.IO;
using System.Linq;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.State
{
    public sealed class RetentionAndQuarantineTests : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "dbx-logs-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (System.IO.Directory.Exists(_directory)) System.IO.Directory.Delete(_directory, true);
        }

        [Theory]
        [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
        public void The_log_keeps_the_newest_cycles_only(StoreKind kind)
        {
            using var place = new TestStore(kind);
            var store = new ProvisioningLogStore(place.Storage(), "logs", maxCycles: 3);
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 5; i++)
                using (var log = store.OpenCycle("cycle" + i, start.AddMinutes(i)))
                    log.Write(new ProvisioningLogRecord { CycleId = "cycle" + i, Time = start.AddMinutes(i), SourceIdentity = "u" + i });
            Assert.Equal(3, place.Items().Count(i => i.StartsWith("logs/") && i.EndsWith(".jsonl")));
            Assert.Equal(new[] { "cycle4", "cycle3", "cycle2" }, store.Read().Select(r => r.CycleId));
        }

        [Theory]
        [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
        public void A_running_cycle_s_log_is_readable_as_far_as_it_is_flushed_and_a_cycle_that_logs_nothing_leaves_no_file(StoreKind kind)
        {
            using var place = new TestStore(kind);
            var store = new ProvisioningLogStore(place.Storage(), "logs");
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using (store.OpenCycle("quiet", start)) { }
            Assert.Empty(place.Items());

            using (var log = store.OpenCycle("running", start))
            {
                log.Write(new ProvisioningLogRecord { CycleId = "running", SourceIdentity = "first" });
                log.Write(new ProvisioningLogRecord { CycleId = "running", SourceIdentity = "second" });
                log.Flush();
                log.Write(new ProvisioningLogRecord { CycleId = "running", SourceIdentity = "not yet flushed" });
                // Read while the cycle still holds the file open for writing.
                Assert.Equal(new[] { "second", "first" }, store.Read().Select(r => r.SourceIdentity));
            }
            Assert.Equal(new[] { "not yet flushed", "second", "first" }, store.Read().Select(r => r.SourceIdentity));
        }

        [Fact]
        public void Quarantine_runs_at_6_12_24_hours_then_daily_and_ends_after_28_days()
        {
            var began = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
            Assert.Equal(began.AddHours(6), QuarantinePolicy.NextAttempt(began, 1));
            Assert.Equal(began.AddHours(12), QuarantinePolicy.NextAttempt(began, 2));
            Assert.Equal(began.AddHours(24), QuarantinePolicy.NextAttempt(began, 3));
            Assert.Equal(began.AddDays(2), QuarantinePolicy.NextAttempt(began, 4));
            Assert.Equal(began.AddDays(3), QuarantinePolicy.NextAttempt(began, 5));
            var quarantine = QuarantinePolicy.Enter(null, QuarantinePolicy.EscrowProportion, "all failed", began);
            Assert.False(QuarantinePolicy.Expired(quarantine, began.AddDays(27)));
            Assert.True(QuarantinePolicy.Expired(quarantine, began.AddDays(28)));
        }

        [Theory]
        [InlineData(100, 41, 50, false, QuarantinePolicy.EscrowProportion)]   // more than 40% of operations failed
        [InlineData(100, 40, 50, false, null)]                                 // exactly 40%: not more
        [InlineData(50, 50, 50, false, QuarantinePolicy.EscrowProportion)]     // a small tenant whose every call fails
        [InlineData(100000, 4999, 100000, false, null)]                        // below the 5,000 floor of a large tenant
        [InlineData(200000, 40001, 100000, false, QuarantinePolicy.TotalEscrow)]
        [InlineData(1000000, 60000, 2000000, false, QuarantinePolicy.TotalEscrow)]
        [InlineData(10, 0, 10, true, QuarantinePolicy.Credentials)]
        [InlineData(10, 0, 10, false, null)]
        public void Quarantine_thresholds_are_Entra_s_scaled_for_small_tenants(int operations, int failures, int inScope, bool credentials, string expected)
        {
            Assert.Equal(expected, QuarantinePolicy.Judge(operations, failures, inScope, credentials, deletionsStaged: false));
        }
    }
}
