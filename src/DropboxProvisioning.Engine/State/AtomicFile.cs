using System;
using System.IO;
using System.Text;

namespace DropboxProvisioning.State
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
            var temporary = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536, FileOptions.WriteThrough))
                {
                    write(stream);
                    stream.Flush(true);
                }
                OwnerOnly.Apply(temporary);
                if (File.Exists(path)) File.Replace(temporary, path, null, ignoreMetadataErrors: true);
                else File.Move(temporary, path);
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
        }
    }
}
