using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// One cycle at a time per state directory. The lock is an exclusively opened file: the operating system
    /// lets go of it when its process ends, however it ends, so a lock left by a killed process is recovered
    /// by simply opening it again; the process id written inside only serves the error message.
    /// </summary>
    public sealed class CycleLock : IDisposable
    {
        private FileStream _stream;

        private CycleLock(FileStream stream) { _stream = stream; }

        public static string PathFor(StateStore store) => Path.Combine(store.DirectoryPath, "cycle.lock");

        /// <param name="clock">Stamps when the lock was taken (the connection's clock); null for the machine's.</param>
        public static CycleLock Acquire(StateStore store, string purpose, Time.IClock clock = null)
        {
            store.EnsureCreated();
            var path = PathFor(store);
            // A planted link would have the lock truncate and overwrite whatever it names.
            OwnerOnly.RefuseSymlink(path, "lock file");
            FileStream stream;
            try
            {
                stream = OwnerOnly.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (StateWriteError.IsLockHeld(e))
            {
                string holder = null;
                try { holder = File.ReadAllText(path).Trim(); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                throw new DbxException("CycleRunning", DbxErrorCategory.ResourceBusy,
                    $"Another cycle is already working on the state in '{store.DirectoryPath}'{(string.IsNullOrEmpty(holder) ? "" : " (" + holder + ")")}. Wait for it to end; a lock left by a process that was killed is released with that process.",
                    e, store.DirectoryPath);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(path, "taking the state directory's lock", e);
            }
            try
            {
                var stamp = Encoding.UTF8.GetBytes($"{Process.GetCurrentProcess().Id} {Environment.MachineName} {(clock ?? Time.SystemClock.Instance).UtcNow:o} {purpose}\n");
                stream.SetLength(0);
                stream.Write(stamp, 0, stamp.Length);
                stream.Flush(true);
                OwnerOnly.Apply(path);
                return new CycleLock(stream);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                stream.Dispose();
                throw StateWriteError.For(path, "taking the state directory's lock", e);
            }
        }

        /// <summary>
        /// The lock for a look that writes nothing (-WhatIf): taken only when the lock file exists, opened without
        /// creating, truncating or stamping it, so a cycle running elsewhere is still refused and the directory is left
        /// as it was. With no lock file no cycle ever ran here, and there is nothing to wait for.
        /// </summary>
        public static CycleLock AcquireForReading(StateStore store)
        {
            var path = PathFor(store);
            if (!File.Exists(path)) return new CycleLock(null);
            OwnerOnly.RefuseSymlink(path, "lock file");
            try
            {
                return new CycleLock(new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None));
            }
            catch (FileNotFoundException)
            {
                return new CycleLock(null);
            }
            catch (IOException e) when (StateWriteError.IsLockHeld(e))
            {
                string holder = null;
                try { holder = File.ReadAllText(path).Trim(); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                throw new DbxException("CycleRunning", DbxErrorCategory.ResourceBusy,
                    $"Another cycle is already working on the state in '{store.DirectoryPath}'{(string.IsNullOrEmpty(holder) ? "" : " (" + holder + ")")}. Wait for it to end; a lock left by a process that was killed is released with that process.",
                    e, store.DirectoryPath);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(path, "taking the state directory's lock", e);
            }
        }

        public void Dispose()
        {
            var stream = _stream;
            _stream = null;
            stream?.Dispose();
        }
    }
}
