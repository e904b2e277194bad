using System;
using System.Net;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>An error Graph answers with: thrown anywhere in a request's handling, rendered once by the emulator.</summary>
    internal sealed class GraphException : Exception
    {
        public GraphException(HttpStatusCode status, string code, string message) : base(message)
        {
            Status = status;
            Code = code;
        }

        public HttpStatusCode Status { get; }
        public string Code { get; }

        public static GraphException BadRequest(string message, string code = "BadRequest") =>
            new GraphException(HttpStatusCode.BadRequest, code, message);

        public static GraphException NotFound(string id) =>
            new GraphException(HttpStatusCode.NotFound, "Request_ResourceNotFound",
                $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

        /// <summary>
        /// A delta or skip token Graph no longer knows (expired after 7 days, or never issued): 400 syncStateNotFound, as
        /// delta-query-overview ("Token duration") and Graph's error codes say. The client must start a full synchronization.
        /// </summary>
        public static GraphException SyncStateNotFound() =>
            new GraphException(HttpStatusCode.BadRequest, "syncStateNotFound",
                "The sync state generation is not found. The delta token is expired and data must be synchronized again.");

        /// <summary>A synchronization reset (delta-query-overview, "Synchronization reset"): 410 Gone, with a Location to start over.</summary>
        public static GraphException SyncReset() =>
            new GraphException(HttpStatusCode.Gone, "resyncRequired", "A resync is required: the application must restart with a full synchronization.");

        /// <summary>A query option delta does not take (delta-query-overview: $expand, $top and $orderby are not supported; $filter only by id).</summary>
        public static GraphException UnsupportedQuery(string message) =>
            new GraphException(HttpStatusCode.BadRequest, "Request_UnsupportedQuery", message);
    }
}
