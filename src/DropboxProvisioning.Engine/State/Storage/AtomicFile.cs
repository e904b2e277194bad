using System;
using System.IO;
using System.Text;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// Writes a file so that a crash at any instant leaves either the old or the new content, never a mix:
    /// write a sibling temporary file, flush it to disk, then rename it over the original.
    /// </summary>
    public static class AtomicFile
    {
        public static void WriteAllText(string path, string content)
        {
            var bytes = new UTF8Encoding(false).GetBytes(content);
            Write(path, stream => stream.Write(bytes, 0, bytes.Length));
        }

        /// <summary>Streams the content into the file: a large state is never held as one string or buffer.</summary>
        public static void Write(string path, Action<Stream> write)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            System.IO.Directory.CreateDirectory(directory);
            OwnerOnly.RefuseSymlink(path, "file"); // the rename would replace a link, and the user meant the file it names
            RemoveAbandoned(directory, Path.GetFileName(path));
            var temporary = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                // Owner-only from its first byte: created mode 600, never narrowed afterwards.
                using (var stream = OwnerOnly.Open(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536, FileOptions.WriteThrough))
                {
                    write(stream);
                    stream.Flush(true);
                }
                if (File.Exists(path)) File.Replace(temporary, path, null, ignoreMetadataErrors: true);
                else File.Move(temporary, path);
            }
            finally
            {
                try { if (File.Exists(temporary)) File.Delete(temporary); }
                catch (IOException) { } // the write's own error matters, not this one
                catch (UnauthorizedAccessException) { }
            }
        }

        /// <summary>How long a temporary file must have been left alone before it counts as abandoned.</summary>
        internal static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

        /// <summary>
        /// Deletes the temporary files a killed process left beside the file: old, and not held open by a writer
        /// (a writer holds its temporary file exclusively until it renames it).
        /// </summary>
        private static void RemoveAbandoned(string directory, string name)
        {
            try
            {
                foreach (var file in System.IO.Directory.EnumerateFiles(directory, "." + name + ".*.tmp"))
                {
                    try
                    {
                        // The machine's clock, not the connection's: the file system stamped the file by it, and a pinned
                        // clock would take a writer's fresh file for an old one (or the reverse).
                        if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) < AbandonedAfter || OwnerOnly.IsSymlink(file)) continue;
                        using (new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None)) { }
                        File.Delete(file);
                    }
                    catch (IOException) { } // held by a writer, or gone already
                    catch (UnauthorizedAccessException) { }
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
