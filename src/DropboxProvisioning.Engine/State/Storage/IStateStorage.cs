using System;
using System.Collections.Generic;
using System.IO;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// Where a job's state lives: a local directory (<see cref="LocalDirectoryStorage"/>) or an Azure Blob Storage
    /// container (<see cref="BlobContainerStorage"/>). Items are named by relative paths with '/' ("state.json",
    /// "logs/20250101T000000000_abc.jsonl"). Every method fails with a <see cref="Errors.DbxException"/> naming the item.
    /// A medium that other processes may write (a container) makes every write conditional on the version this instance
    /// last read or wrote, so that two writers never overwrite each other: the second gets StateChangedElsewhere.
    /// </summary>
    public interface IStateStorage
    {
        /// <summary>The directory path or the container's URI (with its prefix): for messages and -WhatIf targets.</summary>
        string Location { get; }

        /// <summary>True for a local directory (owner-only modes, symbolic links and DPAPI apply).</summary>
        bool IsLocal { get; }

        /// <summary>How a secret (a refresh token) is protected here; null when this medium must not hold one.</summary>
        Security.ISecretProtector SecretProtector { get; }

        /// <summary>The full name of one item, for messages.</summary>
        string PathOf(string name);

        /// <summary>The same medium under a sub-folder (the activity connector's "activity/" beside a sandbox job).</summary>
        IStateStorage Under(string folder);

        /// <summary>Makes the place exist (a directory, made owner-only) or checks that it does (a container).</summary>
        void EnsureCreated();

        /// <summary>
        /// Opens an item to read it whole, or null when there is none; <paramref name="family"/> names the errors
        /// (StateUnreadable, ConfigurationUnreadable...) and <paramref name="what"/> the item in their messages.
        /// </summary>
        Stream OpenRead(string name, string family, string what);

        /// <summary>Replaces an item atomically (readers see the old or the new content, never a mix).</summary>
        /// <param name="unconditional">Replace whatever is there (a credential given again), without comparing versions.</param>
        void Write(string name, string what, Action<Stream> write, bool unconditional = false);

        /// <summary>Appends bytes durably: when this returns they are stored.</summary>
        void Append(string name, string what, byte[] bytes);

        /// <summary>A stream that appends to an item; each Flush stores what was written (the provisioning log of a running cycle).</summary>
        Stream OpenAppend(string name, string what);

        /// <summary>True when the item exists.</summary>
        bool Exists(string name);

        /// <summary>Removes an item (nothing when there is none).</summary>
        void Delete(string name, string what);

        /// <summary>The names (relative to this storage, with the folder) of the items directly in a folder whose names end with <paramref name="suffix"/>.</summary>
        IReadOnlyList<string> List(string folder, string suffix);

        /// <summary>One cycle at a time: held until disposed; a holder that dies lets go by itself. A held lock is CycleRunning.</summary>
        /// <param name="taken">When the lock is taken, as the connection's clock tells it: it is written beside the holder for the error message.</param>
        IDisposable Lock(string purpose, DateTimeOffset taken);

        /// <summary>For a look that writes nothing (-WhatIf): refuses (CycleRunning) while a cycle holds the lock, and writes nothing.</summary>
        IDisposable LockForReading();
    }
}
