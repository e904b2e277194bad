using System;
using System.IO;
using System.Linq;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.State
{
    /// <summary>
    /// pending-writes.jsonl: appended before creates leave, kept to what a saved state does not settle, read strictly except for
    /// a last line a kill cut short (its request never left).
    /// </summary>
    public sealed class PendingWritesTests : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "dbx-pending-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (System.IO.Directory.Exists(_directory)) System.IO.Directory.Delete(_directory, true);
        }

        private static PendingWrite Write(string id, string userName) => new PendingWrite
        {
            Kind = PendingWrite.Users, SourceId = id, At = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
            Values = { ["userName"] = userName, ["externalId"] = id + "-nick" },
        };

        [Fact]
        public void Recorded_writes_are_read_back_and_a_saved_state_leaves_only_the_unsettled_ones()
        {
            var store = new StateStore(_directory);
            store.PendingWrites.Record(new[] { Write("u1", "a@contoso.com"), Write("u2", "b@contoso.com") });
            var path = Path.Combine(_directory, PendingWrites.FileName);
            Assert.Equal(2, File.ReadAllLines(path).Length);

            var again = new StateStore(_directory).PendingWrites.Reload();
            Assert.Equal(new[] { "u1", "u2" }, again.Select(w => w.SourceId).OrderBy(s => s));
            Assert.Equal("a@contoso.com", again.Single(w => w.SourceId == "u1").Values["userName"]);
            Assert.Equal(Write("u1", "x").At, again[0].At);

            store.PendingWrites.Settle(PendingWrite.Users, "U1"); // ids compare case-insensitively
            Assert.Equal(2, File.ReadAllLines(path).Length); // settled only with the next save of the state
            store.SaveState(new ProvisioningState());
            Assert.Equal("u2", new StateStore(_directory).PendingWrites.Reload().Single().SourceId);

            store.PendingWrites.Settle(PendingWrite.Users, "u2");
            store.SaveState(new ProvisioningState());
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void A_last_line_cut_short_by_a_kill_is_ignored()
        {
            var store = new StateStore(_directory);
            store.PendingWrites.Record(new[] { Write("u1", "a@contoso.com") });
            var path = Path.Combine(_directory, PendingWrites.FileName);
            File.AppendAllText(path, "{\"Kind\":\"Users\",\"SourceId\":\"u2\",\"At\":\"2026-12");
            Assert.Equal("u1", new StateStore(_directory).PendingWrites.Reload().Single().SourceId);
        }

        [Theory]
        [InlineData("{\"Kind\":\"Users\",\"SourceId\":\"u2\",\"At\":\"2026-12")]
        [InlineData("{\"Kind\":\"Accounts\",\"SourceId\":\"u2\",\"At\":\"2026-12-01T10:00:00Z\",\"Values\":{}}")]
        [InlineData("{\"Kind\":\"Users\",\"SourceId\":\"u2\",\"At\":\"2026-12-01T10:00:00Z\",\"Values\":{},\"Extra\":1}")]
        [InlineData("{\"Kind\":\"Users\",\"SourceId\":\"\",\"At\":\"2026-12-01T10:00:00Z\",\"Values\":{}}")]
        [InlineData("{\"Kind\":\"Users\",\"SourceId\":\"u2\",\"At\":\"yesterday\",\"Values\":{}}")]
        [InlineData("{\"Kind\":\"Users\",\"SourceId\":\"u2\",\"At\":\"2026-12-01T10:00:00Z\",\"Values\":{\"userName\":null}}")]
        public void A_damaged_line_before_the_last_stops_with_StateInvalid_and_the_file_is_left_as_it_is(string damaged)
        {
            System.IO.Directory.CreateDirectory(_directory);
            var path = Path.Combine(_directory, PendingWrites.FileName);
            var text = damaged + "\n{\"Kind\":\"Users\",\"SourceId\":\"u1\",\"At\":\"2026-12-01T10:00:00Z\",\"Values\":{\"userName\":\"a@contoso.com\"}}\n";
            File.WriteAllText(path, text);
            var e = Assert.Throws<DbxException>(() => new StateStore(_directory).PendingWrites.Reload());
            Assert.Equal("StateInvalid", e.Condition);
            Assert.Contains(path, e.Message);
            Assert.Contains("line 1", e.Message);
            Assert.NotNull(e.RecommendedAction);
            Assert.Equal(text, File.ReadAllText(path));
        }
    }
}
