using System;
using System.Collections.Generic;
using System.IO;

namespace DropboxProvisioning.Connection
{
    /// <summary>
    /// The temporary state directories of sandbox connections, each removed when the last connection using it goes
    /// (Disconnect-DbxTenant, the end of its runspace) or, at the latest, when the process ends: a day of rehearsals
    /// must not leave a directory per connection in the temporary folder.
    /// </summary>
    internal static class TemporaryStateDirectories
    {
        private static readonly Dictionary<string, int> Holders = new Dictionary<string, int>(StringComparer.Ordinal);
        private static bool _exitHooked;

        public static void Hold(string path)
        {
            lock (Holders)
            {
                Holders.TryGetValue(path, out var count);
                Holders[path] = count + 1;
                if (_exitHooked) return;
                _exitHooked = true;
                AppDomain.CurrentDomain.ProcessExit += (_, __) =>
                {
                    string[] left;
                    lock (Holders) { left = new string[Holders.Count]; Holders.Keys.CopyTo(left, 0); Holders.Clear(); }
                    foreach (var directory in left) Remove(directory);
                };
            }
        }

        public static void Release(string path)
        {
            lock (Holders)
            {
                if (!Holders.TryGetValue(path, out var count)) return;
                if (count > 1) { Holders[path] = count - 1; return; }
                Holders.Remove(path);
            }
            Remove(path);
        }

        private static void Remove(string path)
        {
            try { if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true); }
            catch (IOException) { } // a file still open elsewhere: the temporary folder's own cleanup takes it later
            catch (UnauthorizedAccessException) { }
        }
    }
}
