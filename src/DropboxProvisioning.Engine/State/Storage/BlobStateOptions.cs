using System;
using System.Security;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>How to reach a job's state in Azure Blob Storage (-StateStorageUri and its credential).</summary>
    public sealed class BlobStateOptions
    {
        /// <summary>https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;[/&lt;prefix&gt;], or path-style on loopback (Azurite).</summary>
        public string Uri { get; set; }

        /// <summary>The storage account's key (Shared Key; Azurite's devstoreaccount1 key).</summary>
        public SecureString AccountKey { get; set; }

        /// <summary>A SAS token (with or without the leading '?').</summary>
        public SecureString SasToken { get; set; }

        /// <summary>The Automation account's managed identity (it needs Storage Blob Data Contributor on the container).</summary>
        public bool ManagedIdentity { get; set; }

        /// <summary>A user-assigned managed identity's client id; null for the system-assigned one.</summary>
        public string ManagedIdentityClientId { get; set; }

        /// <summary>The admin's key that protects refresh tokens stored in the container; null: none is stored there.</summary>
        public SecureString ProtectionKey { get; set; }

        /// <summary>
        /// How long the cycle's lease lasts between renewals. Azure allows 15 to 60 s for a lease that expires by itself;
        /// 60 s in use (a killed job's lease is gone within a minute), shorter only for tests.
        /// </summary>
        internal TimeSpan LeaseDuration { get; set; } = DefaultLeaseDuration();

        /// <summary>60 s; DBX_STATE_LEASE_SECONDS (15 to 60) shortens it for the kill tests' child processes only.</summary>
        private static TimeSpan DefaultLeaseDuration()
        {
            var text = Environment.GetEnvironmentVariable("DBX_STATE_LEASE_SECONDS");
            return int.TryParse(text, out var seconds) && seconds >= 15 && seconds <= 60 ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromSeconds(60);
        }

        /// <summary>The SDK's retries of a failed request (exponential, from 0.8 s); fewer only for tests of failures.</summary>
        internal int MaxRetries { get; set; } = 5;
    }
}
