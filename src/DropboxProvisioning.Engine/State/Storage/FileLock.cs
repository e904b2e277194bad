using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// The local directory's lock: an exclusively opened file. The operating system lets go of it when its process ends,
    /// however it ends, so a lock left by a killed process is recovered by simply opening it again; the process id written
    /// inside only serves the error message.
    /// </summary>
    internal sealed class FileLock : IDisposable
    {
        private FileStream _stream;

        private FileLock(FileStream stream) { _stream = stream; }

        public static FileLock Acquire(string directory, string path, string purpose, DateTimeOffset taken)
        {
            // A planted link would have the lock truncate and overwrite whatever it names.
            OwnerOnly.RefuseSymlink(path, "lock file");
            FileStream stream;
            try
            {
                stream = OwnerOnly.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (StateWriteError.IsLockHeld(e))
            {
                throw Held(directory, path, e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(path, "taking the state directory's lock", e);
            }
            try
            {
                var stamp = Encoding.UTF8.GetBytes($"{Process.GetCurrentProcess().Id} {Environment.MachineName} {taken:o} {purpose}\n");
                stream.SetLength(0);
                stream.Write(stamp, 0, stamp.Length);
                stream.Flush(true);
                OwnerOnly.Apply(path);
                return new FileLock(stream);
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
        public static FileLock AcquireForReading(string directory, string path)
        {
            if (!File.Exists(path)) return new FileLock(null);
            OwnerOnly.RefuseSymlink(path, "lock file");
            try
            {
                return new FileLock(new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None));
            }
            catch (FileNotFoundException)
            {
                return new FileLock(null);
            }
            catch (IOException e) when (StateWriteError.IsLockHeld(e))
            {
                throw Held(directory, path, e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(path, "taking the state directory's lock", e);
            }
        }

        private static DbxException Held(string directory, string path, Exception e)
        {
            string holder = null;
            try { holder = File.ReadAllText(path).Trim(); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return LockHeld.Error(directory, holder, "a lock left by a process that was killed is released with that process", e);
        }

        public void Dispose()
        {
            var stream = _stream;
            _stream = null;
            stream?.Dispose();
        }
    }
}
