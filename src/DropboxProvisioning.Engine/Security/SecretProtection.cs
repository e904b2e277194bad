using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Security
{
    /// <summary>Protects a secret at rest (a refresh token in the state directory).</summary>
    public interface ISecretProtector
    {
        /// <summary>Recorded beside the data: "dpapi-currentuser" or "owner-only-file".</summary>
        string Kind { get; }
        byte[] Protect(byte[] data);
        byte[] Unprotect(byte[] data);
    }

    /// <summary>
    /// Windows DPAPI, current-user scope (CryptProtectData/CryptUnprotectData of crypt32, as
    /// System.Security.Cryptography.ProtectedData calls them): only this Windows user on this machine can read it back.
    /// Called directly so that the module needs no extra package.
    /// </summary>
    public sealed class DpapiProtector : ISecretProtector
    {
        private static readonly byte[] Entropy = Encoding.UTF8.GetBytes("DropboxProvisioning.Activity.v1");

        public string Kind => "dpapi-currentuser";

        public byte[] Protect(byte[] data) => Transform(data, protect: true);
        public byte[] Unprotect(byte[] data) => Transform(data, protect: false);

        [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
        private struct DataBlob { public int Size; public IntPtr Data; }

        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern bool CryptProtectData(ref DataBlob data, string description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob output);

        [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
        private static extern bool CryptUnprotectData(ref DataBlob data, IntPtr description, ref DataBlob entropy, IntPtr reserved, IntPtr prompt, int flags, ref DataBlob output);

        [DllImport("kernel32.dll")]
        private static extern IntPtr LocalFree(IntPtr memory);

        private static byte[] Transform(byte[] data, bool protect)
        {
            const int UiForbidden = 0x1;
            var input = Pin(data); var entropy = Pin(Entropy); var output = new DataBlob();
            try
            {
                var ok = protect
                    ? CryptProtectData(ref input, "DropboxProvisioning", ref entropy, IntPtr.Zero, IntPtr.Zero, UiForbidden, ref output)
                    : CryptUnprotectData(ref input, IntPtr.Zero, ref entropy, IntPtr.Zero, IntPtr.Zero, UiForbidden, ref output);
                if (!ok) throw new Win32Exception(Marshal.GetLastWin32Error());
                var result = new byte[output.Size];
                Marshal.Copy(output.Data, result, 0, output.Size);
                return result;
            }
            finally
            {
                Marshal.FreeHGlobal(input.Data); Marshal.FreeHGlobal(entropy.Data);
                if (output.Data != IntPtr.Zero) LocalFree(output.Data);
            }
        }

        private static DataBlob Pin(byte[] bytes)
        {
            var blob = new DataBlob { Size = bytes.Length, Data = Marshal.AllocHGlobal(Math.Max(1, bytes.Length)) };
            Marshal.Copy(bytes, 0, blob.Data, bytes.Length);
            return blob;
        }
    }

    /// <summary>Linux and macOS: no user keyring is assumed; the file itself is made owner-only (mode 600), as ssh keeps its keys.</summary>
    public sealed class OwnerOnlyFileProtector : ISecretProtector
    {
        public string Kind => "owner-only-file";
        public byte[] Protect(byte[] data) => (byte[])data.Clone();
        public byte[] Unprotect(byte[] data) => (byte[])data.Clone();
    }

    /// <summary>The platform's protector for a secret in a local state directory.</summary>
    public static class SecretProtectors
    {
        /// <summary>DPAPI (current user) on Windows, an owner-only file elsewhere.</summary>
        public static ISecretProtector ForPlatform() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? (ISecretProtector)new DpapiProtector() : new OwnerOnlyFileProtector();
    }
}
