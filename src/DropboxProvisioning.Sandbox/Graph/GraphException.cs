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

        /// <summary>A delta or skip token Graph no longer knows: the client must start a full synchronization again.</summary>
        public static GraphException SyncStateNotFound() =>
            new GraphException(HttpStatusCode.Gone, "syncStateNotFound",
                "The sync state generation is not found. The delta token is expired and data must be synchronized again.");
    }
}
