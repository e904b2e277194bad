using System;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Serving;

namespace DropboxProvisioning.TestSupport
{
    /// <summary>
    /// A sandbox served over real HTTP on 127.0.0.1 (the sandbox's own <see cref="LoopbackListener"/>, as dbxhost serves
    /// it), on a free port from the moment it is made, so that tests and benchmarks cross a socket exactly as the engine
    /// does against the real services.
    /// </summary>
    public sealed class LoopbackServer : IDisposable
    {
        private readonly LoopbackListener _listener;

        public LoopbackServer(SandboxTenant tenant)
        {
            _listener = new LoopbackListener(tenant);
            _listener.Start(0);
        }

        /// <summary>http://127.0.0.1:port, the root every emulated service hangs off.</summary>
        public Uri BaseUri => _listener.BaseUri;

        public Uri GraphEndpoint => BaseUri;
        public Uri AuthorityHost => BaseUri;
        public Uri ScimUrl => new Uri(BaseUri, "/scim/v2");

        /// <summary>
        /// Called once for every request answered, with its method, path and status, before the response is sent:
        /// benchmarks count requests with it (the sandbox's journal keeps only the latest 100,000). Must be thread-safe.
        /// </summary>
        public Action<string, string, int> Served { get => _listener.Served; set => _listener.Served = value; }

        public void Dispose() => _listener.Dispose();
    }
}
