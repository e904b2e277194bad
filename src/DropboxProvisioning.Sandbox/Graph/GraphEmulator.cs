using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    internal sealed class GraphEmulator : IServiceEmulator
    {
        private readonly SandboxTenant _tenant;
        public GraphEmulator(SandboxTenant tenant) { _tenant = tenant; }
        public string Service => "graph";
        public bool CanHandle(string path) => false;
        public JToken RateLimitedBody(int retryAfterSeconds) => null;
        public Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken) => throw new NotImplementedException();
    }
}
