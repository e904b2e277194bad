using System;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using DropboxProvisioning.Dropbox.OAuth;

namespace DropboxProvisioning.Connection
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    /// <summary>How Graph is authenticated.</summary>
    public enum GraphAuthentication : long { ClientSecret, Certificate, ManagedIdentity, AccessToken, Sandbox }

    /// <summary>Everything Connect-DbxTenant gathers for a connection.</summary>
    public sealed class ConnectionOptions
    {
        public static readonly Uri DefaultGraphEndpoint = new Uri("https://graph.microsoft.com");
        public static readonly Uri DefaultAuthorityHost = new Uri("https://login.microsoftonline.com");

        /// <summary>Which Dropbox API provisions: SCIM 2.0 (TenantUrl, SecretToken) or the Team API v2 (AppKey, RefreshToken).</summary>
        public Dropbox.DropboxApiKind Api { get; set; } = Dropbox.DropboxApiKind.Scim;

        /// <summary>Team API: the team-scoped Dropbox app's key.</summary>
        public string AppKey { get; set; }

        /// <summary>Team API: the app's refresh token (OAuth 2, token_access_type=offline).</summary>
        public SecureString RefreshToken { get; set; }

        /// <summary>Team API: the code Dropbox showed after Allow on the link <see cref="ConnectionFactory.BeginTeamApiAuthorization"/> made; exchanged for the refresh token.</summary>
        public string AuthorizationCode { get; set; }

        /// <summary>Team API: Dropbox API v2's root.</summary>
        public Uri ApiRoot { get; set; } = DropboxOAuth.DefaultApiRoot;

        /// <summary>Dropbox's SCIM base URL (https://www.dropbox.com/scim/v2).</summary>
        public Uri TenantUrl { get; set; }
        public SecureString SecretToken { get; set; }

        public string TenantId { get; set; }
        public string ClientId { get; set; }
        public SecureString ClientSecret { get; set; }
        public X509Certificate2 Certificate { get; set; }
        public SecureString GraphAccessToken { get; set; }
        public GraphAuthentication Authentication { get; set; }

        /// <summary>The enterprise app (service principal) that represents Dropbox in Entra ID.</summary>
        public string ServicePrincipalId { get; set; }

        /// <summary>
        /// A managed identity endpoint to use when the environment publishes none (IDENTITY_ENDPOINT, IDENTITY_HEADER win when
        /// set, as in Azure Automation): a served sandbox's (<see cref="ServedSandbox"/>); null elsewhere.
        /// </summary>
        public Uri ManagedIdentityEndpoint { get; set; }

        /// <summary>The X-IDENTITY-HEADER value for <see cref="ManagedIdentityEndpoint"/>.</summary>
        public SecureString ManagedIdentityHeader { get; set; }

        public Uri GraphEndpoint { get; set; } = DefaultGraphEndpoint;
        public Uri AuthorityHost { get; set; } = DefaultAuthorityHost;

        /// <summary>Where the state lives; null for the per-user default.</summary>
        public string StatePath { get; set; }

        /// <summary>The state in an Azure Blob Storage container (-StateStorageUri) instead of a directory; null for the directory.</summary>
        public State.Storage.BlobStateOptions BlobState { get; set; }

        /// <summary>The storage opened for these options (one per connection, so its versions and lease are the connection's).</summary>
        internal State.Storage.IStateStorage Storage { get; set; }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>
        /// The one clock the connection goes by: its cycles (quarantine, escrow, held deletions), request pacing's
        /// Retry-After dates, tokens' expiry, the lock's and the state's stamps; null for the machine's clock.
        /// </summary>
        public Time.IClock Clock { get; set; }
    }
}
