using System.Management.Automation;
using System.Security;
using DropboxProvisioning.State.Storage;

namespace DropboxProvisioning.Commands.Infrastructure
{
    /// <summary>The state-in-a-blob-container parameters that Connect-DbxTenant and Connect-DbxActivity share, turned into engine options.</summary>
    internal static class StateStorageParameters
    {
        /// <summary>
        /// The options for -StateStorageUri, or null for a local directory. A storage credential or key without the URI is
        /// refused: it would otherwise be ignored, and the state would silently stay on this machine.
        /// </summary>
        public static BlobStateOptions From(DbxCmdlet cmdlet, string uri, SecureString sasToken, SecureString accountKey, SecureString protectionKey, bool managedIdentity, string clientId, string statePath)
        {
            if (uri == null)
            {
                if (sasToken != null || accountKey != null || protectionKey != null)
                    cmdlet.Fail("StateStorageUriMissing", ErrorCategory.InvalidArgument,
                        "-StateStorageSasToken, -StateStorageAccountKey and -StateProtectionKey apply to state in Azure Blob Storage: add -StateStorageUri https://<account>.blob.core.windows.net/<container>.", null);
                return null;
            }
            if (statePath != null)
                cmdlet.Fail("StateLocationAmbiguous", ErrorCategory.InvalidArgument, "Give either -StatePath (a directory) or -StateStorageUri (a blob container), not both.", uri);
            return new BlobStateOptions
            {
                Uri = uri, SasToken = sasToken, AccountKey = accountKey, ProtectionKey = protectionKey,
                ManagedIdentity = managedIdentity && sasToken == null && accountKey == null, ManagedIdentityClientId = clientId,
            };
        }
    }
}
