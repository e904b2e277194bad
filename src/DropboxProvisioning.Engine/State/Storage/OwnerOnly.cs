using System;
using System.IO;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// Keeps the job's files to their owner on Unix, the way ssh keeps its keys: files are created mode 600 from their
    /// first byte (never created readable and narrowed afterwards, when another user could already have opened them),
    /// directories are 700, and a file the engine reads or writes in place is never a symbolic link (a planted link
    /// would make it read or overwrite whatever the link names). On Windows the user profile's ACLs keep other users out.
    /// </summary>
    public static class OwnerOnly
    {
        private const int FileMode600 = 0x180, DirectoryMode700 = 0x1C0, GroupOrOtherWrite = 0x12 /* 0022 */;

        [DllImport("libc", SetLastError = true, EntryPoint = "chmod")]
        private static extern int Chmod(string path, uint mode);

        [DllImport("libc", EntryPoint = "umask")]
        private static extern uint Umask(uint mask);

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        // .NET 7 and later (PowerShell 7.3+) create a file with its mode and read a mode directly; older runtimes fall back
        // to a umask around the creation. Found by reflection: the engine is built for netstandard2.0.
        private static readonly Type StreamOptions = Type.GetType("System.IO.FileStreamOptions");
        private static readonly ConstructorInfo StreamWithOptions = StreamOptions == null ? null : typeof(FileStream).GetConstructor(new[] { typeof(string), StreamOptions });
        private static readonly MethodInfo GetMode = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
        private static readonly object UmaskGate = new object();

        /// <summary>Sets mode 600 (700 for a directory); false when it could not (the file is another user's).</summary>
        public static bool Apply(string path, bool directory = false)
        {
            if (IsWindows) return true;
            try
            {
                return Chmod(path, directory ? (uint)DirectoryMode700 : FileMode600) == 0;
            }
            catch (DllNotFoundException) { return true; }
            catch (EntryPointNotFoundException) { return true; }
        }

        /// <summary>Opens a file, creating it with mode 600 when it does not exist, so that no other user ever can open it.</summary>
        public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share = FileShare.None, int bufferSize = 4096, FileOptions options = FileOptions.None)
        {
            if (IsWindows) return new FileStream(path, mode, access, share, bufferSize, options);
            if (StreamWithOptions != null)
            {
                var settings = Activator.CreateInstance(StreamOptions);
                void Set(string name, object value) => StreamOptions.GetProperty(name).SetValue(settings, value);
                Set("Mode", mode);
                Set("Access", access);
                Set("Share", share);
                Set("BufferSize", bufferSize);
                Set("Options", options);
                var unixMode = StreamOptions.GetProperty("UnixCreateMode");
                unixMode.SetValue(settings, Enum.ToObject(Nullable.GetUnderlyingType(unixMode.PropertyType), FileMode600));
                try
                {
                    return (FileStream)StreamWithOptions.Invoke(new[] { path, settings });
                }
                catch (TargetInvocationException e) when (e.InnerException != null)
                {
                    ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                    throw;
                }
            }
            lock (UmaskGate)
            {
                uint previous;
                try { previous = Umask(0x3F /* 077 */); }
                catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException) { return new FileStream(path, mode, access, share, bufferSize, options); }
                try { return new FileStream(path, mode, access, share, bufferSize, options); }
                finally { Umask(previous); }
            }
        }

        /// <summary>
        /// True when the path itself is a symbolic link (whether or not what it names exists). Unix only: on Windows a
        /// reparse point is also a cloud placeholder (OneDrive), and only privileged users may create links there.
        /// </summary>
        public static bool IsSymlink(string path)
        {
            if (IsWindows) return false;
            try
            {
                var info = new FileInfo(path);
                var attributes = info.Attributes;
                return (int)attributes != -1 && (attributes & FileAttributes.ReparsePoint) != 0;
            }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        }

        /// <summary>Refuses a state file, lock or credential that is a symbolic link.</summary>
        public static void RefuseSymlink(string path, string what)
        {
            if (!IsSymlink(path)) return;
            throw new DbxException("StateFileIsSymlink", DbxErrorCategory.SecurityError,
                $"The {what} '{path}' is a symbolic link. The engine never reads or writes its files through a link (someone who can write the directory could point it anywhere); it was left as it is.", target: path)
            {
                RecommendedAction = $"Replace the link with the file itself, or give the real directory as -StatePath.",
            };
        }

        /// <summary>
        /// The state directory is made owner-only (700). One that other users may write, and that this user cannot
        /// tighten (it is someone else's), is refused: another user could plant links or replace files in it.
        /// </summary>
        public static void SecureDirectory(string path)
        {
            if (IsWindows) return;
            // The system's shared temporary directory is never made owner-only: that would lock every other user and service
            // out of it (as root the chmod succeeds; apt, for one, then fails). It is refused as a state directory instead.
            if (IsSharedDirectory(path))
                throw new DbxException("StateDirectoryShared", DbxErrorCategory.SecurityError,
                    $"The state directory '{path}' is a shared directory that every user may write (like /tmp): the state's files would not be safe there, and the module does not change its mode.", target: path)
                {
                    RecommendedAction = $"Give a directory of the job's own as -StatePath, e.g. '{Path.Combine(path, "DropboxProvisioning")}'.",
                };
            if (Apply(path, directory: true)) return;
            var mode = ModeOf(path);
            if ((mode & GroupOrOtherWrite) == 0) return;
            throw new DbxException("StateDirectoryInsecure", DbxErrorCategory.SecurityError,
                $"The state directory '{path}' can be written by other users (mode {Convert.ToString(mode & 0xFFF, 8)}) and this user cannot make it owner-only. Its files would not be safe there.", target: path)
            {
                RecommendedAction = $"Use a state directory of your own (-StatePath), or have its owner run: chmod 700 '{path}'.",
            };
        }

        /// <summary>The system's shared temporary directories (the runtime's temporary path, /tmp, /var/tmp, /dev/shm) themselves.</summary>
        private static bool IsSharedDirectory(string path)
        {
            var full = Path.GetFullPath(path).TrimEnd('/');
            var temp = Path.GetFullPath(Path.GetTempPath()).TrimEnd('/');
            return full == temp || full == "/tmp" || full == "/var/tmp" || full == "/dev/shm";
        }

        /// <summary>The Unix mode bits, or 0 where the runtime cannot read them (before .NET 7).</summary>
        private static int ModeOf(string path)
        {
            try { return GetMode == null ? 0 : Convert.ToInt32(GetMode.Invoke(null, new object[] { path })); }
            catch (TargetInvocationException) { return 0; }
        }
    }
}
