using System;
using System.IO;
using System.Runtime.InteropServices;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// Restricts a file or directory to its owner on Unix (mode 600/700), the way ssh keeps its keys.
    /// On Windows the user profile's ACLs already keep other users out.
    /// </summary>
    public static class OwnerOnly
    {
        [DllImport("libc", SetLastError = true, EntryPoint = "chmod")]
        private static extern int Chmod(string path, uint mode);

        public static void Apply(string path, bool directory = false)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            try
            {
                Chmod(path, directory ? 0x1C0u /* 0700 */ : 0x180u /* 0600 */);
            }
            catch (DllNotFoundException) { }
            catch (EntryPointNotFoundException) { }
        }
    }
}
