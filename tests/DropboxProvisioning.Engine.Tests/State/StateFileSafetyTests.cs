using System;
using System.IO;
using System.Linq;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
using DropboxProvisioning.State.Storage;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.State
{
    /// <summary>
    /// Files of the state directory are owner-only from their first byte, the directory is made owner-only even when it
    /// existed, links are never followed for the lock or the state, abandoned temporary files are cleaned, and a write
    /// that fails says why (full disk, read-only, access) instead of "another cycle is running".
    /// </summary>
    public sealed class StateFileSafetyTests : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "dbx-safety-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (System.IO.Directory.Exists(_directory)) System.IO.Directory.Delete(_directory, true);
        }

        private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

        [Fact]
        public void A_temporary_state_file_is_owner_only_while_it_is_written()
        {
            if (OperatingSystem.IsWindows()) return;
            System.IO.Directory.CreateDirectory(_directory);
            var modes = new System.Collections.Generic.List<UnixFileMode>();
            AtomicFile.Write(Path.Combine(_directory, "state.json"), stream =>
            {
                foreach (var temporary in System.IO.Directory.GetFiles(_directory, ".state.json.*.tmp")) modes.Add(File.GetUnixFileMode(temporary));
                stream.WriteByte((byte)'{');
                stream.WriteByte((byte)'}');
            });
            var mode = Assert.Single(modes);
            Assert.Equal((UnixFileMode)0, mode & GroupOrOther);
        }

        [Fact]
        public void A_credential_file_is_owner_only_from_its_first_byte()
        {
            if (OperatingSystem.IsWindows()) return;
            System.IO.Directory.CreateDirectory(_directory);
            var path = Path.Combine(_directory, "teamapi-credential.json");
            // The file is created by the same owner-only opening the temporary state files use; here its result.
            ProtectedSecretFile.Write(path, SecureStrings.FromText("refresh-token-value"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            using (var stream = OwnerOnly.Open(Path.Combine(_directory, "fresh"), FileMode.CreateNew, FileAccess.Write))
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "fresh")));
        }

        [Fact]
        public void A_state_directory_others_can_write_is_made_owner_only()
        {
            if (OperatingSystem.IsWindows()) return;
            System.IO.Directory.CreateDirectory(_directory);
            File.SetUnixFileMode(_directory, (UnixFileMode)0x1FF); // 0777
            new StateStore(_directory).SaveState(new ProvisioningState());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        }

        [Fact]
        public void A_planted_lock_link_is_refused_and_what_it_names_is_untouched()
        {
            if (OperatingSystem.IsWindows()) return;
            var store = new StateStore(_directory);
            store.EnsureCreated();
            var victim = Path.Combine(Path.GetTempPath(), "dbx-victim-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(victim, "precious");
            try
            {
                File.CreateSymbolicLink(CycleLock.PathFor(store), victim);
                var e = Assert.Throws<DbxException>(() => CycleLock.Acquire(store, "test"));
                Assert.Equal("StateFileIsSymlink", e.Condition);
                Assert.Equal(DbxErrorCategory.SecurityError, e.Category);
                Assert.Contains("cycle.lock", e.Message);
                Assert.Equal("precious", File.ReadAllText(victim));
            }
            finally { File.Delete(victim); }
        }

        [Fact]
        public void A_symlinked_state_file_is_neither_read_nor_replaced()
        {
            if (OperatingSystem.IsWindows()) return;
            var store = new StateStore(_directory);
            store.EnsureCreated();
            var elsewhere = Path.Combine(_directory, "elsewhere.json");
            File.WriteAllText(elsewhere, "{ \"Version\": 1, \"Users\": {} }");
            File.CreateSymbolicLink(store.StateFile, elsewhere);
            Assert.Equal("StateFileIsSymlink", Assert.Throws<DbxException>(() => store.LoadState()).Condition);
            Assert.Equal("StateFileIsSymlink", Assert.Throws<DbxException>(() => store.SaveState(new ProvisioningState())).Condition);
            Assert.NotNull(new FileInfo(store.StateFile).LinkTarget); // still the link
            Assert.Equal("{ \"Version\": 1, \"Users\": {} }", File.ReadAllText(elsewhere));
        }

        [Fact]
        public void Temporary_files_left_by_a_killed_process_are_removed_and_a_live_one_is_not()
        {
            var store = new StateStore(_directory);
            store.SaveState(new ProvisioningState());
            var abandoned = Path.Combine(_directory, ".state.json.deadbeef.tmp");
            var recent = Path.Combine(_directory, ".state.json.0badf00d.tmp");
            var held = Path.Combine(_directory, ".state.json.cafecafe.tmp");
            foreach (var file in new[] { abandoned, recent, held }) File.WriteAllText(file, "{ half a sta");
            File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddHours(-1));
            File.SetLastWriteTimeUtc(held, DateTime.UtcNow.AddHours(-1));
            using (new FileStream(held, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) // a writer still at work
                store.SaveState(new ProvisioningState());
            Assert.False(File.Exists(abandoned));
            Assert.True(File.Exists(recent));
            Assert.True(File.Exists(held));
        }

        [Fact]
        public void A_state_file_that_cannot_be_opened_is_not_taken_for_a_new_job()
        {
            // state.json as a directory: the open fails as for a file this user may not read, where File.Exists said "no file".
            var store = new StateStore(_directory);
            System.IO.Directory.CreateDirectory(store.StateFile);
            var e = Assert.Throws<DbxException>(() => store.LoadState());
            Assert.Equal("StateUnreadable", e.Condition);
            Assert.Contains(store.StateFile, e.Message);
        }

        [Theory]
        [InlineData(28, "StateDiskFull")]       // ENOSPC
        [InlineData(122, "StateDiskFull")]      // EDQUOT
        [InlineData(30, "StateReadOnly")]       // EROFS
        [InlineData(13, "StateAccessDenied")]   // EACCES
        [InlineData(unchecked((int)0x80070070), "StateDiskFull")]  // ERROR_DISK_FULL
        [InlineData(5, "StateSaveFailed")]      // EIO
        public void A_failed_write_says_why(int code, string condition)
        {
            var e = StateWriteError.For("/x/state.json", "saving state.json", new IOException("failed", code));
            Assert.Equal(condition, e.Condition);
            Assert.Contains("/x/state.json", e.Message);
            Assert.False(StateWriteError.IsLockHeld(new IOException("failed", code)));
        }

        [Theory]
        [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
        public void Only_a_held_lock_is_CycleRunning(StoreKind kind)
        {
            using var place = new TestStore(kind);
            var store = place.Open();
            using (CycleLock.Acquire(store, "first"))
            {
                Assert.Equal("CycleRunning", Assert.Throws<DbxException>(() => CycleLock.Acquire(place.Open(), "second")).Condition);
                Assert.Equal("CycleRunning", Assert.Throws<DbxException>(() => CycleLock.AcquireForReading(place.Open())).Condition);
            }
            using (CycleLock.Acquire(store, "again")) { }
            using (CycleLock.AcquireForReading(place.Open())) { }
        }
    }
}
