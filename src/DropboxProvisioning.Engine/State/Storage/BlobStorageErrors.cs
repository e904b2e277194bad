using System;
using Azure;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>What Azure Storage's refusals mean for the job's state, each with its own id and what to do about it.</summary>
    internal static class BlobStorageErrors
    {
        public const string Contributor = "Storage Blob Data Contributor";

        /// <summary>A refusal of a conditional write (412, or 409 for a blob that should not have existed).</summary>
        public static bool IsConflict(RequestFailedException e) =>
            e.Status == 412 || (e.Status == 409 && (e.ErrorCode == "BlobAlreadyExists" || e.ErrorCode == "LeaseIdMissing" || e.ErrorCode == "LeaseIdMismatchWithBlobOperation"));

        public static DbxException ChangedElsewhere(string path, string doing, Exception inner) =>
            new DbxException("StateChangedElsewhere", DbxErrorCategory.ResourceBusy,
                $"{Capitalized(doing)} was refused: '{path}' changed since this session read it (another job wrote it). Nothing was overwritten, and what the other job saved is intact.", inner, path)
            {
                RecommendedAction = "Make sure one job at a time works on this state (one schedule, one runbook), then run the command again: it reads the current state first.",
            };

        public static DbxException For(RequestFailedException e, string location, string path, string doing)
        {
            switch (e.Status)
            {
                case 403 when e.ErrorCode == "AuthenticationFailed":
                    return new DbxException("StateStorageAuthenticationFailed", DbxErrorCategory.AuthenticationError,
                        $"Azure Storage refused the credential for '{location}' while {doing} ({e.ErrorCode}).", e, location)
                    { RecommendedAction = "Check -StateStorageAccountKey or -StateStorageSasToken (the account's key, or a SAS that has not expired and was signed for this account)." };
                case 403 when e.ErrorCode == "AuthorizationFailure":
                    // A signature that does not verify (Azurite's answer to a wrong key), or the account's network rules.
                    return new DbxException("StateStorageAccessDenied", DbxErrorCategory.PermissionDenied,
                        $"Azure Storage refused the request for '{location}' while {doing} ({e.Status} {e.ErrorCode}): the credential was not accepted, or the account's network rules keep this job out.", e, location)
                    {
                        RecommendedAction = $"Check -StateStorageAccountKey or -StateStorageSasToken; with -ManagedIdentity, give the identity the role {Contributor} on the container; and check the storage account's Networking settings (firewall, private endpoint).",
                    };
                case 401:
                case 403:
                    return new DbxException("StateStorageAccessDenied", DbxErrorCategory.PermissionDenied,
                        $"Azure Storage denied access to '{location}' while {doing} ({e.Status} {e.ErrorCode}).", e, location)
                    {
                        RecommendedAction = $"Give the identity the role {Contributor} on the container or its storage account (Access control (IAM) > Add role assignment), or use a SAS with read, add, create, write, delete and list permissions.",
                    };
                case 404 when e.ErrorCode == "ContainerNotFound":
                    return ContainerNotFound(location, e);
                case 0:
                    return new DbxException("StateStorageUnreachable", DbxErrorCategory.ConnectionError,
                        $"Azure Storage at '{location}' could not be reached while {doing}: {Innermost(e).Message}", e, location)
                    { RecommendedAction = "Check the account name in -StateStorageUri, the network (firewall, private endpoint) between this job and the storage account, and that this machine trusts the endpoint's TLS certificate." };
                default:
                    return new DbxException("StateStorageFailed", DbxErrorCategory.ResourceUnavailable,
                        $"Azure Storage refused {doing} for '{path}': {e.Status} {e.ErrorCode}.", e, path);
            }
        }

        /// <summary>
        /// The container is never created by the module: a mistyped name would otherwise start an empty state, and a job
        /// with an empty state runs as a new one (an initial cycle that adopts, and suspends no leaver).
        /// </summary>
        public static DbxException ContainerNotFound(string location, Exception inner) =>
            new DbxException("StateStorageContainerNotFound", DbxErrorCategory.ObjectNotFound,
                $"The blob container of '{location}' does not exist. The module does not create it: a mistyped name would start an empty state, which runs as a new job.", inner, location)
            {
                RecommendedAction = "Create the container once (Azure portal, New-AzStorageContainer, or az storage container create), or correct -StateStorageUri.",
            };

        /// <summary>What went wrong at the bottom (a refused connection, an untrusted certificate), not Azure.Core's "see inner exception".</summary>
        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
