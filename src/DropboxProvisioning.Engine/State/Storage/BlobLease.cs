using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// The container's lock: a lease on the blob cycle.lock, taken when a cycle starts, renewed while it runs and released
    /// when it ends. A lease of 60 s (the longest Azure lets expire by itself) is renewed every 20 s: a third of its
    /// length, so that one renewal lost to a network fault (after the SDK's own retries) still leaves a second chance before
    /// it lapses, while a job killed mid-cycle holds it at most a minute, after which the next job takes over.
    /// The holder (process, machine, time, purpose) is kept in the blob's metadata for the CycleRunning message.
    /// </summary>
    internal sealed class BlobLease : IDisposable
    {
        private const string HolderKey = "holder";
        private readonly BlobContainerStorage _storage;
        private readonly BlobLeaseClient _lease;
        private readonly Timer _timer;
        private readonly object _gate = new object();
        private bool _released;

        /// <summary>Renewals that failed in a row (the lease may have lapsed; the next writes are still guarded by their ETags).</summary>
        internal int FailedRenewals { get; private set; }
        internal int Renewals { get; private set; }

        private BlobLease(BlobContainerStorage storage, BlobLeaseClient lease)
        {
            _storage = storage;
            _lease = lease;
            var every = TimeSpan.FromTicks(storage.LeaseDuration.Ticks / 3);
            _timer = new Timer(_ => Renew(), null, every, every);
        }

        public string LeaseId => _lease.LeaseId;

        public static BlobLease Acquire(BlobContainerStorage storage, string purpose, DateTimeOffset taken)
        {
            var blob = storage.Blob(ItemNames.Lock);
            try
            {
                // The lock blob exists from the first cycle on; creating it is the only write before the lease.
                blob.Upload(new MemoryStream(new byte[0]), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } });
            }
            catch (RequestFailedException e) when (e.Status == 409 || e.Status == 412) { } // there already, perhaps leased
            catch (RequestFailedException e) { throw storage.Failure(e, ItemNames.Lock, "taking the state's lock"); }
            var lease = blob.GetBlobLeaseClient();
            try
            {
                lease.Acquire(storage.LeaseDuration);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                throw Held(storage, e);
            }
            catch (RequestFailedException e) { throw storage.Failure(e, ItemNames.Lock, "taking the state's lock"); }
            var held = new BlobLease(storage, lease);
            try
            {
                blob.SetMetadata(new Dictionary<string, string> { [HolderKey] = $"{Process.GetCurrentProcess().Id} {Environment.MachineName} {taken:o} {purpose}" },
                    new BlobRequestConditions { LeaseId = lease.LeaseId });
            }
            catch (RequestFailedException e)
            {
                held.Dispose();
                throw storage.Failure(e, ItemNames.Lock, "taking the state's lock");
            }
            return held;
        }

        /// <summary>-WhatIf: reads the lock blob's properties only; a leased one means a cycle is running.</summary>
        public static IDisposable Check(BlobContainerStorage storage)
        {
            BlobProperties properties;
            try { properties = storage.Blob(ItemNames.Lock).GetProperties().Value; }
            catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode != "ContainerNotFound") { return null; } // no cycle ever ran here
            catch (RequestFailedException e) when (e.Status == 404) { throw BlobStorageErrors.ContainerNotFound(storage.Location, e); }
            catch (RequestFailedException e) { throw storage.Failure(e, ItemNames.Lock, "looking at the state's lock"); }
            if (properties.LeaseState == LeaseState.Leased)
                throw LockHeld.Error(storage.Location, Holder(properties), "a lease left by a job that was stopped or killed expires by itself within a minute", null);
            return null;
        }

        private static Errors.DbxException Held(BlobContainerStorage storage, Exception e)
        {
            string holder = null;
            try { holder = Holder(storage.Blob(ItemNames.Lock).GetProperties().Value); } catch (RequestFailedException) { }
            return LockHeld.Error(storage.Location, holder, "a lease left by a job that was stopped or killed expires by itself within a minute", e);
        }

        private static string Holder(BlobProperties properties) =>
            properties.Metadata != null && properties.Metadata.TryGetValue(HolderKey, out var holder) ? holder : null;

        private void Renew()
        {
            if (!Monitor.TryEnter(_gate)) return; // the previous renewal is still being retried
            try
            {
                if (_released) return;
                _lease.Renew();
                Renewals++;
                FailedRenewals = 0;
            }
            catch (RequestFailedException)
            {
                FailedRenewals++; // tried again at the next tick; a lapsed lease leaves every later write guarded by its ETag
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_released) return;
                _released = true;
            }
            _timer.Dispose();
            try { _lease.Release(); }
            catch (RequestFailedException) { } // lapsed or broken already: it expires by itself within the lease's length
        }
    }
}
