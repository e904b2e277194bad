using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Security;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// The state in an Azure Blob Storage container (through Azure.Storage.Blobs, with the SDK's own retries), for jobs whose
    /// machine is thrown away after each run (Azure Automation). Each item is a blob under the prefix; the lock is a lease
    /// on cycle.lock (<see cref="BlobLease"/>). Every write is conditional on the ETag this instance last read or wrote
    /// (If-Match), or on there being no blob (If-None-Match: *) when there was none, so two jobs that both write never
    /// overwrite each other: the second gets StateChangedElsewhere and what the first saved stays.
    /// </summary>
    public sealed class BlobContainerStorage : IStateStorage
    {
        /// <summary>The largest block one Append Block takes on every service version.</summary>
        internal const int MaxAppendBlock = 4 * 1024 * 1024;

        private readonly BlobContainerClient _container;
        private readonly string _prefix;
        private readonly Shared _shared;

        /// <summary>What every view of one container shares: the versions seen, the container check, the lease.</summary>
        private sealed class Shared
        {
            /// <summary>Blob name to the ETag last read or written; null: it did not exist when last looked at.</summary>
            public readonly ConcurrentDictionary<string, ETag?> Versions = new ConcurrentDictionary<string, ETag?>(StringComparer.Ordinal);
            public volatile bool ContainerChecked;
            public ISecretProtector Protector;
            public TimeSpan LeaseDuration;
        }

        private BlobContainerStorage(BlobContainerClient container, string prefix, string location, Shared shared)
        {
            _container = container;
            _prefix = prefix.Length == 0 ? "" : prefix.TrimEnd('/') + "/";
            Location = location;
            _shared = shared;
        }

        /// <summary>The container of <see cref="BlobStateOptions.Uri"/>, reached with the credential given.</summary>
        public static BlobContainerStorage Open(BlobStateOptions options)
        {
            var location = BlobStateLocation.Parse(options.Uri);
            var clientOptions = new BlobClientOptions();
            clientOptions.Retry.MaxRetries = options.MaxRetries;
            clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
            clientOptions.RetryPolicy = new LastTryRetryPolicy(options.MaxRetries);
            var given = (options.AccountKey != null ? 1 : 0) + (options.SasToken != null ? 1 : 0) + (options.ManagedIdentity ? 1 : 0);
            if (given != 1)
                throw new DbxException(given == 0 ? "MissingStateStorageCredential" : "AmbiguousStateStorageCredential", DbxErrorCategory.InvalidArgument,
                    given == 0 ? $"-StateStorageUri '{location.Display}' needs a credential: -ManagedIdentity, -StateStorageSasToken or -StateStorageAccountKey."
                               : "Give one credential for the state storage: -ManagedIdentity, -StateStorageSasToken or -StateStorageAccountKey, not several.", target: location.Display);
            BlobContainerClient client;
            if (options.AccountKey != null)
            {
                if (SecureStrings.IsBlank(options.AccountKey))
                    throw new DbxException("EmptyStateStorageAccountKey", DbxErrorCategory.InvalidArgument, "The storage account key is empty or only whitespace.");
                client = new BlobContainerClient(location.ContainerUri, new StorageSharedKeyCredential(location.Account, SecureStrings.Reveal(options.AccountKey)), clientOptions);
            }
            else if (options.SasToken != null)
            {
                if (SecureStrings.IsBlank(options.SasToken))
                    throw new DbxException("EmptyStateStorageSasToken", DbxErrorCategory.InvalidArgument, "The SAS token is empty or only whitespace.");
                client = new BlobContainerClient(location.ContainerUri, new AzureSasCredential(SecureStrings.Reveal(options.SasToken).Trim().TrimStart('?')), clientOptions);
            }
            else
            {
                if (location.ContainerUri.Scheme != Uri.UriSchemeHttps)
                    throw new DbxException("StateStorageManagedIdentityNeedsHttps", DbxErrorCategory.SecurityError,
                        $"A managed identity's token is sent only over https; '{location.Display}' is http. Use -StateStorageAccountKey or -StateStorageSasToken for a local emulator.", target: location.Display);
                client = new BlobContainerClient(location.ContainerUri, new ManagedIdentityStorageCredential(options.ManagedIdentityClientId), clientOptions);
            }
            var shared = new Shared
            {
                Protector = options.ProtectionKey == null ? null : new KeyProtector(options.ProtectionKey),
                LeaseDuration = options.LeaseDuration,
            };
            return new BlobContainerStorage(client, location.Prefix, location.Display, shared);
        }

        public string Location { get; }
        public bool IsLocal => false;
        public ISecretProtector SecretProtector => _shared.Protector;
        internal TimeSpan LeaseDuration => _shared.LeaseDuration;

        public string PathOf(string name) => Location.TrimEnd('/') + "/" + name;

        public IStateStorage Under(string folder) =>
            new BlobContainerStorage(_container, _prefix + folder.Trim('/'), PathOf(folder.Trim('/')), _shared);

        private string BlobName(string name) => _prefix + name;

        internal BlobClient Blob(string name) => _container.GetBlobClient(BlobName(name));

        internal DbxException Failure(RequestFailedException e, string name, string doing) => BlobStorageErrors.For(e, Location, PathOf(name), doing);

        /// <summary>The container must exist (it is never created: see <see cref="BlobStorageErrors.ContainerNotFound"/>); checked once.</summary>
        public void EnsureCreated()
        {
            if (_shared.ContainerChecked) return;
            bool exists;
            try { exists = _container.Exists().Value; }
            catch (RequestFailedException e) { throw Failure(e, "", "checking the container"); }
            if (!exists) throw BlobStorageErrors.ContainerNotFound(Location, null);
            _shared.ContainerChecked = true;
        }

        public Stream OpenRead(string name, string family, string what)
        {
            try
            {
                var download = Blob(name).DownloadStreaming();
                _shared.Versions[BlobName(name)] = download.Value.Details.ETag;
                return download.Value.Content;
            }
            catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode != "ContainerNotFound")
            {
                _shared.Versions[BlobName(name)] = null;
                return null;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw BlobStorageErrors.ContainerNotFound(Location, e);
            }
            catch (RequestFailedException e)
            {
                var failure = Failure(e, name, "reading the " + what);
                throw new DbxException(family + "Unreadable", failure.Category, $"The {what} '{PathOf(name)}' cannot be read: {failure.Message}", e, PathOf(name))
                {
                    RecommendedAction = failure.RecommendedAction,
                };
            }
        }

        /// <summary>The condition of a write: the version last seen, or no blob when none was (or nothing was read).</summary>
        private BlobRequestConditions Expected(string name) =>
            _shared.Versions.TryGetValue(BlobName(name), out var version) && version.HasValue
                ? new BlobRequestConditions { IfMatch = version.Value }
                : new BlobRequestConditions { IfNoneMatch = ETag.All };

        public void Write(string name, string what, Action<Stream> write, bool unconditional = false)
        {
            EnsureCreated();
            // Spooled to an owner-only temporary file first: a large state is never held whole in memory, and the upload
            // (one Put Blob, or blocks committed at once) replaces the blob in one step.
            var spool = Path.Combine(Path.GetTempPath(), "dbx-upload-" + Guid.NewGuid().ToString("N") + ".tmp");
            using (var stream = OwnerOnly.Open(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 65536, FileOptions.DeleteOnClose))
            {
                write(stream);
                stream.Flush();
                stream.Position = 0;
                Upload(name, what, stream, unconditional ? null : Expected(name));
            }
        }

        private void Upload(string name, string doing, Stream content, BlobRequestConditions conditions)
        {
            try
            {
                var info = Blob(name).Upload(content, new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = ContentType(name) } });
                _shared.Versions[BlobName(name)] = info.Value.ETag;
            }
            catch (RequestFailedException e) when (BlobStorageErrors.IsConflict(e))
            {
                throw BlobStorageErrors.ChangedElsewhere(PathOf(name), doing, e);
            }
            catch (RequestFailedException e)
            {
                throw Failure(e, name, doing);
            }
        }

        private static string ContentType(string name) => name.EndsWith(".jsonl", StringComparison.Ordinal) ? "application/jsonl" : name.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "text/plain";

        /// <summary>
        /// For items that stay small (pending-writes.jsonl holds only what the saved state does not settle): the blob as it is
        /// plus the new bytes, written back on the condition that nobody changed it since, so nothing another job appended is
        /// ever lost. Both ways go through an owner-only spool file, as <see cref="Write"/> does: between two saves of a large
        /// cycle's state the item grows, and neither its download nor its upload is ever held whole in memory.
        /// </summary>
        public void Append(string name, string what, byte[] bytes)
        {
            EnsureCreated();
            var spool = Path.Combine(Path.GetTempPath(), "dbx-append-" + Guid.NewGuid().ToString("N") + ".tmp");
            using (var stream = OwnerOnly.Open(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 65536, FileOptions.DeleteOnClose))
            {
                ETag? found = null;
                try
                {
                    var download = Blob(name).DownloadStreaming();
                    found = download.Value.Details.ETag;
                    using (var content = download.Value.Content) content.CopyTo(stream, 65536);
                }
                catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode != "ContainerNotFound") { }
                catch (RequestFailedException e) { throw Failure(e, name, what); }
                if (_shared.Versions.TryGetValue(BlobName(name), out var seen) && !Equals(seen, found))
                    throw BlobStorageErrors.ChangedElsewhere(PathOf(name), what, null);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush();
                stream.Position = 0;
                Upload(name, what, stream, found.HasValue ? new BlobRequestConditions { IfMatch = found.Value } : new BlobRequestConditions { IfNoneMatch = ETag.All });
            }
        }

        public Stream OpenAppend(string name, string what)
        {
            EnsureCreated();
            return new BlobAppendStream(this, name, what);
        }

        /// <summary>Appends to an append blob (a cycle's log), creating it first; each block is conditional on the ETag after the last one.</summary>
        internal void AppendBlocks(string name, string doing, byte[] buffer, int count)
        {
            var blob = _container.GetAppendBlobClient(BlobName(name));
            var key = BlobName(name);
            try
            {
                if (!_shared.Versions.TryGetValue(key, out var version) || !version.HasValue)
                {
                    try
                    {
                        _shared.Versions[key] = blob.Create(new AppendBlobCreateOptions
                        {
                            Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All },
                            HttpHeaders = new BlobHttpHeaders { ContentType = ContentType(name) },
                        }).Value.ETag;
                    }
                    catch (RequestFailedException e) when (e.Status == 409)
                    {
                        // The same cycle's log, opened again (on-demand runs, approvals): continue after what is there.
                        _shared.Versions[key] = blob.GetProperties().Value.ETag;
                    }
                }
                for (var offset = 0; offset < count; offset += MaxAppendBlock)
                {
                    var length = Math.Min(MaxAppendBlock, count - offset);
                    using (var block = new MemoryStream(buffer, offset, length, writable: false))
                        _shared.Versions[key] = blob.AppendBlock(block, new AppendBlobAppendBlockOptions
                        {
                            Conditions = new AppendBlobRequestConditions { IfMatch = _shared.Versions[key].Value },
                        }).Value.ETag;
                }
            }
            catch (RequestFailedException e) when (BlobStorageErrors.IsConflict(e))
            {
                throw BlobStorageErrors.ChangedElsewhere(PathOf(name), doing, e);
            }
            catch (RequestFailedException e)
            {
                throw Failure(e, name, doing);
            }
        }

        public bool Exists(string name)
        {
            try { return Blob(name).Exists().Value; }
            catch (RequestFailedException e) { throw Failure(e, name, "looking for " + name); }
        }

        public void Delete(string name, string what)
        {
            var key = BlobName(name);
            var conditions = _shared.Versions.TryGetValue(key, out var version) && version.HasValue ? new BlobRequestConditions { IfMatch = version.Value } : null;
            try
            {
                Blob(name).DeleteIfExists(DeleteSnapshotsOption.IncludeSnapshots, conditions);
                _shared.Versions[key] = null;
            }
            catch (RequestFailedException e) when (BlobStorageErrors.IsConflict(e))
            {
                throw BlobStorageErrors.ChangedElsewhere(PathOf(name), what, e);
            }
            catch (RequestFailedException e)
            {
                throw Failure(e, name, what);
            }
        }

        public IReadOnlyList<string> List(string folder, string suffix)
        {
            var prefix = _prefix + (string.IsNullOrEmpty(folder) ? "" : folder.TrimEnd('/') + "/");
            try
            {
                return _container.GetBlobsByHierarchy(BlobTraits.None, BlobStates.None, "/", prefix)
                    .Where(item => item.IsBlob && item.Blob.Name.EndsWith(suffix, StringComparison.Ordinal))
                    .Select(item => item.Blob.Name.Substring(_prefix.Length))
                    .ToList();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw BlobStorageErrors.ContainerNotFound(Location, e);
            }
            catch (RequestFailedException e)
            {
                throw Failure(e, folder, "listing " + folder);
            }
        }

        public IDisposable Lock(string purpose, DateTimeOffset taken)
        {
            EnsureCreated();
            return BlobLease.Acquire(this, purpose, taken);
        }

        public IDisposable LockForReading() => BlobLease.Check(this);
    }
}
