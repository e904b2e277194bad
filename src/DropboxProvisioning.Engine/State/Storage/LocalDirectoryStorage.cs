using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// The state in a local directory, the default: files written atomically (temporary file, flush, rename) and owner-only
    /// from their first byte, the directory made owner-only, never a file read or written through a symbolic link, and the
    /// lock an exclusively opened file (<see cref="FileLock"/>). Nothing here compares versions: the lock alone keeps two
    /// processes of this machine apart.
    /// </summary>
    public sealed class LocalDirectoryStorage : IStateStorage
    {
        public LocalDirectoryStorage(string directory)
        {
            if (string.IsNullOrWhiteSpace(directory))
                throw new DbxException("InvalidStatePath", DbxErrorCategory.InvalidArgument, "The state path is empty.");
            if (directory.IndexOf("://", StringComparison.Ordinal) > 0)
                throw new DbxException("InvalidStatePath", DbxErrorCategory.InvalidArgument,
                    $"The state path '{Redaction.Text(directory)}' is a URL, not a directory: a blob container is given with -StateStorageUri.", target: directory);
            DirectoryPath = Path.GetFullPath(directory);
        }

        public string DirectoryPath { get; }
        public string Location => DirectoryPath;
        public bool IsLocal => true;

        /// <summary>DPAPI (current user) on Windows, an owner-only file elsewhere.</summary>
        public Security.ISecretProtector SecretProtector => Security.SecretProtectors.ForPlatform();

        public string PathOf(string name) => Path.Combine(DirectoryPath, name.Replace('/', Path.DirectorySeparatorChar));

        public IStateStorage Under(string folder) => new LocalDirectoryStorage(PathOf(folder));

        public void EnsureCreated()
        {
            // An existing directory is tightened too: a 0777 directory would let any user plant links or files in it.
            try
            {
                System.IO.Directory.CreateDirectory(DirectoryPath);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(DirectoryPath, "creating the state directory", e);
            }
            OwnerOnly.SecureDirectory(DirectoryPath);
        }

        public Stream OpenRead(string name, string family, string what)
        {
            var path = PathOf(name);
            try
            {
                OwnerOnly.RefuseSymlink(path, what);
                // Open rather than ask File.Exists: that answers false for a file the user may not read, which would look like a new job.
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 65536);
            }
            catch (FileNotFoundException) { return null; }
            catch (DirectoryNotFoundException) { return null; }
            catch (UnauthorizedAccessException e)
            {
                throw new DbxException(family + "Unreadable", DbxErrorCategory.PermissionDenied,
                    $"The {what} '{path}' cannot be read by this user ({e.Message}). Nothing was read or changed.", e, path)
                {
                    RecommendedAction = $"Run as the user who owns '{Path.GetDirectoryName(path)}', or give this user read and write access to it (the state directory is meant to be owner-only).",
                };
            }
            catch (IOException e)
            {
                throw new DbxException(family + "Unreadable", DbxErrorCategory.ResourceUnavailable,
                    $"The {what} '{path}' cannot be read: {e.Message}", e, path);
            }
        }

        public void Write(string name, string what, Action<Stream> write, bool unconditional = false)
        {
            var path = PathOf(name);
            EnsureCreated();
            OwnerOnly.RefuseSymlink(path, ItemNames.Describe(name));
            try
            {
                AtomicFile.Write(path, write);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(path, what, e);
            }
        }

        public void Append(string name, string what, byte[] bytes)
        {
            var path = PathOf(name);
            EnsureCreated();
            try
            {
                OwnerOnly.RefuseSymlink(path, ItemNames.Describe(name));
                // Unbuffered (the bytes go down in one write): an append per window of creates allocates no 64 KB buffer each.
                using (var stream = OwnerOnly.Open(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.WriteThrough))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(path, what, e);
            }
        }

        public Stream OpenAppend(string name, string what)
        {
            var path = PathOf(name);
            try
            {
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path));
                var stream = OwnerOnly.Open(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 65536);
                OwnerOnly.Apply(path);
                return stream;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(path, what, e);
            }
        }

        public bool Exists(string name) => File.Exists(PathOf(name));

        public void Delete(string name, string what)
        {
            var path = PathOf(name);
            try
            {
                OwnerOnly.RefuseSymlink(path, ItemNames.Describe(name));
                if (File.Exists(path)) File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StateWriteError.For(path, what, e);
            }
        }

        public IReadOnlyList<string> List(string folder, string suffix)
        {
            var directory = PathOf(folder);
            if (!System.IO.Directory.Exists(directory)) return new string[0];
            return System.IO.Directory.GetFiles(directory, "*" + suffix).Select(f => ItemNames.Join(folder, Path.GetFileName(f))).ToList();
        }

        public IDisposable Lock(string purpose, DateTimeOffset taken)
        {
            EnsureCreated();
            return FileLock.Acquire(DirectoryPath, PathOf(ItemNames.Lock), purpose, taken);
        }

        public IDisposable LockForReading() => FileLock.AcquireForReading(DirectoryPath, PathOf(ItemNames.Lock));
    }
}
