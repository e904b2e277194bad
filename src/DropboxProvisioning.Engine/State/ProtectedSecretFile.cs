using System;
using System.IO;
using System.Security;
using System.Text;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Security;
using DropboxProvisioning.State.Storage;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// A secret in an item of the job's state, protected by the medium's <see cref="ISecretProtector"/>: the platform's in a
    /// local directory (DPAPI, or an owner-only file), the admin's key in a blob container (<see cref="KeyProtector"/>);
    /// a container without a key stores no secret at all (<c>StateSecretNeedsProtectionKey</c>).
    /// </summary>
    public static class ProtectedSecretFile
    {
        public static ISecretProtector ForPlatform() => SecretProtectors.ForPlatform();

        public static void Write(string path, SecureString secret, ISecretProtector protector = null) =>
            Write(Local(path, out var name), name, secret, protector);

        /// <summary>The secret, or null when there is no file.</summary>
        public static SecureString Read(string path, ISecretProtector protector = null) => Read(Local(path, out var name), name, protector);

        private static Storage.IStateStorage Local(string path, out string name)
        {
            var full = Path.GetFullPath(path);
            name = Path.GetFileName(full);
            return new Storage.LocalDirectoryStorage(Path.GetDirectoryName(full));
        }

        public static void Write(Storage.IStateStorage storage, string name, SecureString secret, ISecretProtector protector = null)
        {
            protector = protector ?? ProtectorOf(storage, name);
            var data = protector.Protect(Encoding.UTF8.GetBytes(SecureStrings.Reveal(secret)));
            var json = new UTF8Encoding(false).GetBytes(new JObject { ["protection"] = protector.Kind, ["data"] = Convert.ToBase64String(data) }.ToString());
            // A credential given again replaces the stored one, whoever wrote it.
            storage.Write(name, "saving " + name, stream => stream.Write(json, 0, json.Length), unconditional: true);
            if (storage.IsLocal) OwnerOnly.Apply(storage.PathOf(name));
        }

        /// <summary>The secret, or null when there is none.</summary>
        public static SecureString Read(Storage.IStateStorage storage, string name, ISecretProtector protector = null)
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
        private static ISecretProtector ProtectorOf(Storage.IStateStorage storage, string name) =>
            storage.SecretProtector ?? throw new DbxException("StateSecretNeedsProtectionKey", DbxErrorCategory.SecurityError,
                $"'{storage.PathOf(name)}' would hold a Dropbox secret (a refresh token or a pending authorization), and a blob container stores none in plain text. Nothing was stored.", target: storage.Location)
            {
                RecommendedAction = "Pass -RefreshToken (a SecureString, e.g. an Automation credential's password) with every connection, or give -StateProtectionKey (a key of your own, e.g. an encrypted Automation variable) to keep it protected in the container.",
            };
    }
}
