using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using DropboxProvisioning.Security;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// The Automation account's managed identity as an Azure SDK credential for Storage: the same IDENTITY_ENDPOINT and
    /// IDENTITY_HEADER protocol the module already uses for Graph (<see cref="ManagedIdentityTokenSource"/>), for the
    /// resource https://storage.azure.com. The identity needs the role Storage Blob Data Contributor on the container.
    /// </summary>
    public sealed class ManagedIdentityStorageCredential : TokenCredential
    {
        private readonly string _clientId;
        private readonly object _gate = new object();
        private ManagedIdentityTokenSource _source;
        private string _resource;

        public ManagedIdentityStorageCredential(string clientId = null) { _clientId = clientId; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var source = SourceFor(ResourceOf(requestContext.Scopes));
            var token = await source.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            return new AccessToken(token, source.RenewAt);
        }

        /// <summary>"https://storage.azure.com/.default" is the resource https://storage.azure.com.</summary>
        internal static string ResourceOf(string[] scopes)
        {
            var scope = scopes != null && scopes.Length > 0 ? scopes[0] : "https://storage.azure.com/.default";
            return scope.EndsWith("/.default", StringComparison.Ordinal) ? scope.Substring(0, scope.Length - "/.default".Length) : scope;
        }

        private ManagedIdentityTokenSource SourceFor(string resource)
        {
            lock (_gate)
            {
                if (_source == null || _resource != resource)
                {
                    _source = ManagedIdentityTokenSource.FromEnvironment(Http.HttpPipeline.Create(null, Http.HttpPipeline.NetworkHandler(), TimeSpan.FromSeconds(100)), resource, _clientId);
                    _resource = resource;
                }
                return _source;
            }
        }
    }
}
