using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Http
{
    /// <summary>One emulated service (Graph, Dropbox SCIM, Dropbox API v2...) inside the sandbox.</summary>
    public interface IServiceEmulator
    {
        /// <summary>Name used in the journal and for rate limiting: "graph", "login", "scim", "dropbox-api".</summary>
        string Service { get; }

        /// <summary>True when the request's path belongs to this service.</summary>
        bool CanHandle(string path);

        /// <summary>The body the service sends with a 429, in its own error format.</summary>
        /// <param name="reason">Dropbox API v2's RateLimitReason tag (too_many_requests when null); other services have none.</param>
        JToken RateLimitedBody(int retryAfterSeconds, string reason = null);

        Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken);
    }
}
