using System;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>The error of a lock another cycle holds (CycleRunning), the same whatever the medium.</summary>
    internal static class LockHeld
    {
        public static DbxException Error(string location, string holder, string recovery, Exception inner) =>
            new DbxException("CycleRunning", DbxErrorCategory.ResourceBusy,
                $"Another cycle is already working on the state in '{location}'{(string.IsNullOrEmpty(holder) ? "" : " (" + holder + ")")}. Wait for it to end; {recovery}.",
                inner, location);
    }
}
