using System;
using System.IO;
using System.Linq;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.State
{
    public sealed class StateStoreTests : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "dbx-state-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (System.IO.Directory.Exists(_directory)) System.IO.Directory.Delete(_directory, true);
        }

        [Theory]
        [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
        public void State_round_trips_and_leaves_no_temporary_files(StoreKind kind)
        {
            using var place = new TestStore(kind);
            var store = place.Open();
            var state = store.LoadState();
            Assert.Empty(state.Users);
            state.Users["u1"] = new ManagedObject { SourceId = "u1", TargetId = "dbmid:1", MatchedBy = "Created", Exported = { ["userName"] = "a@contoso.com" } };
            state.Status = ProvisioningToggle.Off;
            store.SaveState(state);
            store.SaveState(state);

            var loaded = place.Open().LoadState();
            Assert.Equal(ProvisioningToggle.Off, loaded.Status);
            Assert.Equal("a@contoso.com", loaded.Users["U1"].Exported["USERNAME"]);
            Assert.Equal(new[] { "state.json" }, place.Items());
        }

        [Theory]
        [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
        public void A_damaged_state_file_is_reported_with_its_path_and_left_alone(StoreKind kind)
        {
            using var place = new TestStore(kind);
            place.Plant("state.json", "{ \"users\": { \"u1\": ");
            var e = Assert.Throws<DbxException>(() => place.Open().LoadState());
            Assert.Equal("StateCorrupt", e.Condition);
            Assert.Equal(DbxErrorCategory.InvalidData, e.Category);
            Assert.Contains(place.PathOf("state.json"), e.Message);
            Assert.Equal("{ \"users\": { \"u1\": ", place.Raw("state.json"));
        }

        [Fact]
        public void A_url_given_as_a_state_path_is_refused_rather_than_made_a_directory()
        {
            var e = Assert.Throws<DbxException>(() => new StateStore("https://acct.blob.core.windows.net/state"));
            Assert.Equal("InvalidStatePath", e.Condition);
            Assert.Contains("-StateStorageUri", e.Message);
        }

#if NET // File modes are read with .NET 7's API; the .NET Framework build under mono leaves this test out.
        [Fact]
        public void Files_are_owner_only_on_unix()
        {
            if (OperatingSystem.IsWindows()) return;
            var store = new StateStore(_directory);
            store.SaveState(new ProvisioningState());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.StateFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        }
#endif
    }
}
