using System;
using System.Net.Http;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Connection
{
    /// <summary>
    /// A tested connection to one Entra tenant and one Dropbox team, with the state directory of the job
    /// between them. It holds no secret in plain text: token sources keep them as SecureString.
    /// </summary>
    public sealed class DbxConnection : IDisposable
    {
        private readonly HttpClient[] _clients;

        internal DbxConnection(ConnectionOptions options, GraphDirectoryClient graph, IDropboxTarget target, StateStore store, string servicePrincipalName, params HttpClient[] clients)
        {
            TenantId = options.TenantId;
            TenantUrl = target.Endpoint;
            Api = target.Kind;
            GraphEndpoint = options.GraphEndpoint;
            ServicePrincipalId = options.ServicePrincipalId;
            ServicePrincipalName = servicePrincipalName;
            Authentication = options.Authentication;
            ClientId = options.ClientId;
            Graph = graph;
            Target = target;
            Store = store;
            Clock = options.Clock ?? Time.SystemClock.Instance;
            ConnectedAt = Clock.UtcNow.ToLocalTime();
            _clients = clients;
        }

        public string TenantId { get; }
        public Uri TenantUrl { get; }
        public Uri GraphEndpoint { get; }
        public string ServicePrincipalId { get; }
        public string ServicePrincipalName { get; }
        public string ClientId { get; }
        public GraphAuthentication Authentication { get; }
        public DateTimeOffset ConnectedAt { get; }
        public string StatePath => Store.DirectoryPath;

        /// <summary>True for the built-in sandbox tenant.</summary>
        public bool IsSandbox => Authentication == GraphAuthentication.Sandbox;

        /// <summary>The sandbox behind this connection (SandboxTenant), so a rehearsal can change its directory; null for a real tenant.</summary>
        public object Sandbox { get; internal set; }

        internal GraphDirectoryClient Graph { get; }

        /// <summary>Entra ID as a cycle reads it.</summary>
        internal IDirectoryClient Directory => Graph;

        /// <summary>The clock everything on this connection goes by (<see cref="ConnectionOptions.Clock"/>): cycles, pacing, tokens, stamps.</summary>
        internal Time.IClock Clock { get; }
        /// <summary>The SCIM client when the connection provisions over SCIM; null for the Team API.</summary>
        internal ScimClient Scim => Target as ScimClient;

        /// <summary>Where the cycle writes: the SCIM endpoint or the Team API.</summary>
        internal IDropboxTarget Target { get; }

        /// <summary>Scim or TeamApi.</summary>
        public DropboxApiKind Api { get; }
        public StateStore Store { get; }

        /// <summary>Paces every request to Dropbox at the job's MaxRequestsPerSecond.</summary>
        internal Http.RequestPacer Pacer { get; set; }

        /// <summary>True for a sandbox connection whose state lives in a temporary directory, removed when it is disposed.</summary>
        public bool HasTemporaryState => _temporaryState;
        private volatile bool _temporaryState;

        /// <summary>Takes a share of the temporary state directory (a sandbox connection's, or one made from it): it is removed with the last share.</summary>
        internal void HoldTemporaryState()
        {
            if (_temporaryState) return;
            _temporaryState = true;
            TemporaryStateDirectories.Hold(StatePath);
        }

        public void Dispose()
        {
            foreach (var client in _clients) client?.Dispose();
            if (!_temporaryState) return;
            _temporaryState = false;
            TemporaryStateDirectories.Release(StatePath);
        }

        public override string ToString() => $"{(IsSandbox ? "Sandbox" : TenantId)} -> {TenantUrl}{(Api == DropboxApiKind.TeamApi ? " (Team API)" : "")}";
    }
}
