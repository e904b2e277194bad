using System;
using System.IO;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// One cycle at a time per job's state: the medium's own lock (<see cref="Storage.IStateStorage.Lock"/>), an
    /// exclusively opened file in a local directory, a blob lease in a container. Either is let go when its holder dies.
    /// </summary>
    public sealed class CycleLock : IDisposable
    {
        private IDisposable _held;

        private CycleLock(IDisposable held) { _held = held; }

        /// <summary>The lock file of a local state directory.</summary>
        public static string PathFor(StateStore store) => store.Storage.PathOf(Storage.ItemNames.Lock);

        /// <param name="clock">Stamps when the lock was taken (the connection's clock); null for the machine's.</param>
        public static CycleLock Acquire(StateStore store, string purpose, Time.IClock clock = null) =>
            new CycleLock(store.Storage.Lock(purpose, (clock ?? Time.SystemClock.Instance).UtcNow));

        /// <summary>The lock for a look that writes nothing (-WhatIf): a cycle running elsewhere is still refused, and nothing is written.</summary>
        public static CycleLock AcquireForReading(StateStore store) => new CycleLock(store.Storage.LockForReading());

        public void Dispose()
        {
            var held = _held;
            _held = null;
            held?.Dispose();
        }
    }
}
