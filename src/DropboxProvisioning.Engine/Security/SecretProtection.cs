using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
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

    /// <summary>
    /// A secret in an item of the job's state, protected by the medium's <see cref="ISecretProtector"/>: the platform's in a
    /// local directory (DPAPI, or an owner-only file), the admin's key in a blob container (<see cref="KeyProtector"/>);
    /// a container without a key stores no secret at all (<c>StateSecretNeedsProtectionKey</c>).
    /// </summary>
    public static class ProtectedSecretFile
    {
        public static ISecretProtector ForPlatform() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? (ISecretProtector)new DpapiProtector() : new OwnerOnlyFileProtector();

        public static void Write(string path, SecureString secret, ISecretProtector protector = null) =>
            Write(Local(path, out var name), name, secret, protector);

        /// <summary>The secret, or null when there is no file.</summary>
        public static SecureString Read(string path, ISecretProtector protector = null) => Read(Local(path, out var name), name, protector);

        private static State.Storage.IStateStorage Local(string path, out string name)
        {
            var full = Path.GetFullPath(path);
            name = Path.GetFileName(full);
            return new State.Storage.LocalDirectoryStorage(Path.GetDirectoryName(full));
        }

        public static void Write(State.Storage.IStateStorage storage, string name, SecureString secret, ISecretProtector protector = null)
        {
            protector = protector ?? ProtectorOf(storage, name);
            var data = protector.Protect(Encoding.UTF8.GetBytes(SecureStrings.Reveal(secret)));
            var json = new UTF8Encoding(false).GetBytes(new JObject { ["protection"] = protector.Kind, ["data"] = Convert.ToBase64String(data) }.ToString());
            // A credential given again replaces the stored one, whoever wrote it.
            storage.Write(name, "saving " + name, stream => stream.Write(json, 0, json.Length), unconditional: true);
            if (storage.IsLocal) OwnerOnly.Apply(storage.PathOf(name));
        }

        /// <summary>The secret, or null when there is none.</summary>
        public static SecureString Read(State.Storage.IStateStorage storage, string name, ISecretProtector protector = null)
        {
            var path = storage.PathOf(name);
            var stream = storage.OpenRead(name, "ActivityCredential", "credential file");
            if (stream == null) return null;
            try
            {
                string text;
                using (stream)
                using (var reader = new StreamReader(stream, new UTF8Encoding(false)))
                    text = reader.ReadToEnd();
                protector = protector ?? ProtectorOf(storage, name);
                JObject json;
                using (var reader = new StrictJsonReader(new StringReader(text)))
                    json = JObject.Load(reader);
                // Exactly what Write puts there: a file of another shape is damage, not a credential to guess at.
                foreach (var property in json.Properties())
                    if ((property.Name != "protection" && property.Name != "data") || property.Value.Type != JTokenType.String)
                        throw new DbxException("ActivityCredentialUnreadable", DbxErrorCategory.SecurityError,
                            $"The stored Dropbox credential in {path} is not valid at $.{property.Name}: only the text keys protection and data belong there. Authorize again.", target: path);
                if (json["protection"] == null || json["data"] == null)
                    throw new DbxException("ActivityCredentialUnreadable", DbxErrorCategory.SecurityError,
                        $"The stored Dropbox credential in {path} is not valid at $.{(json["protection"] == null ? "protection" : "data")}: the key is missing. Authorize again.", target: path);
                if ((string)json["protection"] != protector.Kind)
                    throw new DbxException("ActivityCredentialUnreadable", DbxErrorCategory.SecurityError,
                        $"The stored Dropbox credential in {path} was protected with {(string)json["protection"]}, which this platform cannot read ({protector.Kind}). Authorize again.", target: path);
                var bytes = protector.Unprotect(Convert.FromBase64String((string)json["data"]));
                return SecureStrings.FromText(Encoding.UTF8.GetString(bytes));
            }
            catch (Exception e) when (!(e is DbxException))
            {
                throw new DbxException("ActivityCredentialUnreadable", DbxErrorCategory.SecurityError,
                    $"The stored Dropbox credential in {path} cannot be read ({e.GetType().Name}); authorize again with Connect-DbxActivity.", e, path);
            }
        }

        /// <summary>The medium's protector; a container without the admin's key refuses to hold a secret.</summary>
        private static ISecretProtector ProtectorOf(State.Storage.IStateStorage storage, string name) =>
            storage.SecretProtector ?? throw new DbxException("StateSecretNeedsProtectionKey", DbxErrorCategory.SecurityError,
                $"'{storage.PathOf(name)}' would hold a Dropbox secret (a refresh token or a pending authorization), and a blob container stores none in plain text. Nothing was stored.", target: storage.Location)
            {
                RecommendedAction = "Pass -RefreshToken (a SecureString, e.g. an Automation credential's password) with every connection, or give -StateProtectionKey (a key of your own, e.g. an encrypted Automation variable) to keep it protected in the container.",
            };
    }
}
