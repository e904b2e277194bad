using System;
using System.IO;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// Why a file of the state directory could not be written, told apart: a full disk, a read-only file system, a
    /// directory this user may not write, or anything else. Never "another cycle is running" (only a held lock is that).
    /// </summary>
    public static class StateWriteError
    {
        // errno on Linux and macOS (.NET puts it in HResult), Win32 codes on Windows.
        private const int Enospc = 28, Edquot = 122, EdquotMac = 69, Erofs = 30, Eacces = 13, Eperm = 1;
        private const int ErrorDiskFull = 0x70, ErrorHandleDiskFull = 0x27, ErrorWriteProtect = 0x13, ErrorAccessDenied = 0x5;

        public static DbxException For(string path, string doing, Exception e)
        {
            if (e is DbxException known) return known;
            var code = e.HResult;
            var win32 = (code & 0xFFFF0000) == 0x80070000 ? code & 0xFFFF : -1;
            if (code == Enospc || code == Edquot || code == EdquotMac || win32 == ErrorDiskFull || win32 == ErrorHandleDiskFull)
                return new DbxException("StateDiskFull", DbxErrorCategory.ResourceUnavailable,
                    $"The disk that holds '{path}' is full: {doing} failed ({e.Message}). What was saved before is intact.", e, path)
                { RecommendedAction = "Free space on that disk (or move the state directory with -StatePath), then run the command again." };
            if (code == Erofs || win32 == ErrorWriteProtect)
                return new DbxException("StateReadOnly", DbxErrorCategory.PermissionDenied,
                    $"'{path}' is on a read-only file system: {doing} failed ({e.Message}).", e, path)
                { RecommendedAction = "Use a state directory on a writable disk (-StatePath), or remount the disk read-write." };
            if (e is UnauthorizedAccessException || code == Eacces || code == Eperm || win32 == ErrorAccessDenied)
                return new DbxException("StateAccessDenied", DbxErrorCategory.PermissionDenied,
                    $"This user may not write '{path}': {doing} failed ({e.Message}).", e, path)
                { RecommendedAction = "Run as the user who owns the state directory, or give -StatePath a directory of your own." };
            return new DbxException("StateSaveFailed", DbxErrorCategory.ResourceUnavailable, $"{Capitalized(doing)} failed for '{path}': {e.Message}", e, path);
        }

        private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        /// <summary>True for the error of a lock another process holds (EWOULDBLOCK, or a Windows sharing violation).</summary>
        public static bool IsLockHeld(IOException e)
        {
            const int Ewouldblock = 11, EwouldblockMac = 35, SharingViolation = unchecked((int)0x80070020), LockViolation = unchecked((int)0x80070021);
            return e.HResult == Ewouldblock || e.HResult == EwouldblockMac || e.HResult == SharingViolation || e.HResult == LockViolation;
        }
    }
}
