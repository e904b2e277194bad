using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.State
{
    /// <summary>
    /// pending-writes.jsonl: appended before creates leave, kept to what a saved state does not settle, read strictly except for
    /// a last line a kill cut short (its request never left).
    /// </summary>
    public sealed class PendingWritesTests : IDisposable
    {
        private readonly List<TestStore> _places = new List<TestStore>();

        public void Dispose() => _places.ForEach(p => p.Dispose());

        private TestStore Place(StoreKind kind)
        {
            var place = new TestStore(kind);
            _places.Add(place);
            return place;
        }

        public static IEnumerable<object[]> DamageOnBothStores() =>
            Damaged.SelectMany(d => TestStore.Kinds.Select(k => new object[] { k[0], d }));

        private static readonly string[] Damaged =
        {
            "{\"Kind\":\"Users\",\"SourceId\":\"u2\",\"At\":\"2026-12",
            "{\"Kind\":\"Accounts\",\"SourceId\":\"u2\",\"At\":\"2026-12-01T10:00:00Z\",\"Values\":{}}",
            "{\"Kind\":\"Users\",\"SourceId\":\"u2\",\"At\":\"2026-12-01T10:00:00Z\",\"Values\":{},\"Extra\":1}",
            "{\"Kind\":\"Users\",\"SourceId\":\"\",\"At\":\"2026-12-01T10:00:00Z\",\"Values\":{}}",
            "{\"Kind\":\"Users\",\"SourceId\":\"u2\",\"At\":\"yesterday\",\"Values\":{}}",
            "{\"Kind\":\"Users\",\"SourceId\":\"u2\",\"At\":\"2026-12-01T10:00:00Z\",\"Values\":{\"userName\":null}}",
        };

        private static PendingWrite Write(string id, string userName) => new PendingWrite
        {
            Kind = PendingWrite.Users, SourceId = id, At = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
            Values = { ["userName"] = userName, ["externalId"] = id + "-nick" },
        };

        private static int Lines(string text) => text.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries).Length;

        [Theory]
        [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
        public void Recorded_writes_are_read_back_and_a_saved_state_leaves_only_the_unsettled_ones(StoreKind kind)
        {
            var place = Place(kind);
            var store = place.Open();
            store.PendingWrites.Record(new[] { Write("u1", "a@contoso.com"), Write("u2", "b@contoso.com") });
            Assert.Equal(2, Lines(place.Raw(PendingWrites.FileName)));

            var again = place.Open().PendingWrites.Reload();
            Assert.Equal(new[] { "u1", "u2" }, again.Select(w => w.SourceId).OrderBy(s => s));
            Assert.Equal("a@contoso.com", again.Single(w => w.SourceId == "u1").Values["userName"]);
            Assert.Equal(Write("u1", "x").At, again[0].At);

            store.PendingWrites.Settle(PendingWrite.Users, "U1"); // ids compare case-insensitively
            Assert.Equal(2, Lines(place.Raw(PendingWrites.FileName))); // settled only with the next save of the state
            store.SaveState(new ProvisioningState());
            Assert.Equal("u2", place.Open().PendingWrites.Reload().Single().SourceId);

            store.PendingWrites.Settle(PendingWrite.Users, "u2");
            store.SaveState(new ProvisioningState());
            Assert.Null(place.Raw(PendingWrites.FileName));
        }

        [Theory]
        [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
        public void A_last_line_cut_short_by_a_kill_is_ignored(StoreKind kind)
        {
            var place = Place(kind);
            var store = place.Open();
            store.PendingWrites.Record(new[] { Write("u1", "a@contoso.com") });
            place.Plant(PendingWrites.FileName, place.Raw(PendingWrites.FileName) + "{\"Kind\":\"Users\",\"SourceId\":\"u2\",\"At\":\"2026-12");
            Assert.Equal("u1", place.Open().PendingWrites.Reload().Single().SourceId);
        }

        [Theory]
        [MemberData(nameof(DamageOnBothStores))]
        public void A_damaged_line_before_the_last_stops_with_StateInvalid_and_the_file_is_left_as_it_is(StoreKind kind, string damaged)
        {
            var place = Place(kind);
            var path = place.PathOf(PendingWrites.FileName);
            var text = damaged + "\n{\"Kind\":\"Users\",\"SourceId\":\"u1\",\"At\":\"2026-12-01T10:00:00Z\",\"Values\":{\"userName\":\"a@contoso.com\"}}\n";
            place.Plant(PendingWrites.FileName, text);
            var e = Assert.Throws<DbxException>(() => place.Open().PendingWrites.Reload());
            Assert.Equal("StateInvalid", e.Condition);
            Assert.Contains(path, e.Message);
            Assert.Contains("line 1", e.Message);
            Assert.NotNull(e.RecommendedAction);
            Assert.Equal(text, place.Raw(PendingWrites.FileName));
        }
    }
}
