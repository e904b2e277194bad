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

        public static CycleLock Acquire(StateStore store, string purpose) => new CycleLock(store.Storage.Lock(purpose));

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
