using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Security;

namespace DropboxProvisioning.Commands.Connection
{
    /// <summary>
    /// <para type="synopsis">Connects to an Entra ID tenant and a Dropbox team (or to the built-in sandbox) and tests both.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "DbxTenant", DefaultParameterSetName = SandboxSet)]
    [OutputType(typeof(DbxConnection))]
    public sealed class ConnectDbxTenantCommand : DbxCmdlet
    {
        private const string SandboxSet = "Sandbox";
        private const string SecretSet = "ClientSecret";
        private const string CertificateSet = "Certificate";
        private const string ManagedIdentitySet = "ManagedIdentity";
        private const string AccessTokenSet = "AccessToken";

        /// <summary>Connect to a generated rehearsal tenant served in-process.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SandboxSet)]
        public SwitchParameter Sandbox { get; set; }

        /// <summary>How many Entra users the sandbox tenant has.</summary>
        [Parameter(ParameterSetName = SandboxSet)]
        [ValidateRange(1, 1000000)]
        public int SandboxUserCount { get; set; } = 50;

        /// <summary>The seed of the sandbox tenant: the same seed gives the same tenant.</summary>
        [Parameter(ParameterSetName = SandboxSet)]
        public int SandboxSeed { get; set; } = 1;

        /// <summary>Dropbox's SCIM base URL, https://www.dropbox.com/scim/v2.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string TenantUrl { get; set; }

        /// <summary>The Dropbox secret token.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString SecretToken { get; set; }

        /// <summary>The Entra tenant id or verified domain.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string TenantId { get; set; }

        /// <summary>The application (client) id that reads Entra ID.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [ValidateNotNullOrEmpty]
        public string ClientId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [ValidateNotNull]
        public SecureString ClientSecret { get; set; }

        /// <summary>A certificate in CurrentUser\My or LocalMachine\My, by thumbprint.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [ValidatePattern("^[0-9A-Fa-f]{40}$")]
        public string CertificateThumbprint { get; set; }

        /// <summary>The Automation account's managed identity.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
        public SwitchParameter ManagedIdentity { get; set; }

        /// <summary>A Graph access token already obtained elsewhere.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString GraphAccessToken { get; set; }

        /// <summary>The object id of the Dropbox for Business enterprise app (service principal).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string ServicePrincipalId { get; set; }

        /// <summary>Microsoft Graph's root for national clouds (https://graph.microsoft.us...).</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateNotNullOrEmpty]
        public string GraphEndpoint { get; set; }

        /// <summary>The Entra sign-in root for national clouds (https://login.microsoftonline.us...).</summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [ValidateNotNullOrEmpty]
        public string AuthorityHost { get; set; }

        /// <summary>The job's state directory. Default: per user for a real tenant; a new temporary directory for the sandbox.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string StatePath { get; set; }

        protected override void EndProcessing()
        {
            var options = new ConnectionOptions();
            Func<System.Net.Http.HttpMessageHandler> transport = null;
            SandboxTenant sandbox = null;

            if (ParameterSetName == SandboxSet)
            {
                sandbox = TenantGenerator.Generate(new TenantProfile { Users = SandboxUserCount, Seed = SandboxSeed });
                transport = sandbox.CreateHandler;
                options.TenantUrl = new Uri("https://www.dropbox.com/scim/v2");
                options.SecretToken = SecureStrings.FromText(SandboxCredentials.ScimToken);
                options.TenantId = SandboxCredentials.TenantId;
                options.ClientId = SandboxCredentials.ClientId;
                options.ClientSecret = SecureStrings.FromText(SandboxCredentials.ClientSecret);
                options.ServicePrincipalId = SandboxCredentials.ServicePrincipalId;
                options.Authentication = GraphAuthentication.Sandbox;
                options.StatePath = StatePath != null ? Resolve(StatePath)
                    : Path.Combine(Path.GetTempPath(), "DropboxProvisioning-sandbox-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            }
            else
            {
                options.TenantUrl = ParseUrl(TenantUrl, "TenantUrl");
                // The engine checks these for client secret and certificate sign-in; with a managed identity or
                // an access token they are optional, but when given they must be well formed too.
                if (ClientId != null && !Guid.TryParse(ClientId, out _))
                    ThrowTerminating("InvalidClientId", ErrorCategory.InvalidArgument, $"-ClientId '{ClientId}' is not an application (client) id GUID.", ClientId);
                if (TenantId != null && !Guid.TryParse(TenantId, out _) && !TenantName.IsMatch(TenantId))
                    ThrowTerminating("InvalidTenantId", ErrorCategory.InvalidArgument,
                        $"-TenantId '{TenantId}' is not an Entra tenant id: give its GUID or a verified domain such as contoso.onmicrosoft.com.", TenantId);
                options.SecretToken = SecretToken;
                options.TenantId = TenantId;
                options.ClientId = ClientId;
                options.ClientSecret = ClientSecret;
                options.GraphAccessToken = GraphAccessToken;
                options.ServicePrincipalId = ServicePrincipalId;
                if (GraphEndpoint != null) options.GraphEndpoint = ParseUrl(GraphEndpoint, "GraphEndpoint");
                if (AuthorityHost != null) options.AuthorityHost = ParseUrl(AuthorityHost, "AuthorityHost");
                options.StatePath = StatePath == null ? null : Resolve(StatePath);
                switch (ParameterSetName)
                {
                    case CertificateSet:
                        options.Authentication = GraphAuthentication.Certificate;
                        options.Certificate = FindCertificate(CertificateThumbprint);
                        break;
                    case ManagedIdentitySet: options.Authentication = GraphAuthentication.ManagedIdentity; break;
                    case AccessTokenSet: options.Authentication = GraphAuthentication.AccessToken; break;
                    default: options.Authentication = GraphAuthentication.ClientSecret; break;
                }
                if (options.TenantId == null) options.TenantId = "managed";
            }

            WriteVerbose($"Testing the connection to Microsoft Graph ({options.GraphEndpoint}) and Dropbox ({options.TenantUrl}).");
            var connection = RunEngine((observer, cancel) => ConnectionFactory.ConnectAsync(options, transport, cancel));
            connection.Sandbox = sandbox;
            RunspaceSessions<DbxConnection>.Current = connection;
            WriteVerbose($"Connected. State is kept in {connection.StatePath}.");
            WriteObject(connection);
        }

        private static readonly System.Text.RegularExpressions.Regex TenantName =
            new System.Text.RegularExpressions.Regex(@"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}\.[A-Za-z]{2,}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        private Uri ParseUrl(string text, string parameter)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
                ThrowTerminating("InvalidUrl", ErrorCategory.InvalidArgument, $"-{parameter} '{text}' is not an absolute http(s) URL.", text);
            return uri;
        }

        private X509Certificate2 FindCertificate(string thumbprint)
        {
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                try
                {
                    using (var store = new X509Store(StoreName.My, location))
                    {
                        store.Open(OpenFlags.ReadOnly);
                        var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
                        if (found.Count > 0) return found[0];
                    }
                }
                catch (System.Security.Cryptography.CryptographicException) { }
            }
            ThrowTerminating("CertificateNotFound", ErrorCategory.ObjectNotFound, $"No certificate with thumbprint {thumbprint} is in CurrentUser\\My or LocalMachine\\My.", thumbprint);
            return null;
        }
    }
}
