using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Directory
{
    /// <summary>What a cycle reads from Entra ID (and the one write it makes, a notification), whatever serves it.</summary>
    public interface IDirectoryClient
    {
        /// <summary>The Graph v1.0 root that relative addresses are resolved against.</summary>
        Uri Root { get; }

        Task<JObject> GetUserAsync(string id, string select, CancellationToken cancellationToken);
        Task<JObject> GetGroupAsync(string id, string select, CancellationToken cancellationToken);
        Task<string> ListAssignmentsAsync(string servicePrincipalId, Action<JObject> onItem, CancellationToken cancellationToken);
        Task<string> ListGroupMembersAsync(string groupId, Action<JObject> onItem, CancellationToken cancellationToken);

        /// <summary>One delta round of "users" or "groups" from <paramref name="deltaLink"/> (null: from the start); returns the next delta link.</summary>
        Task<string> DeltaAsync(string resource, string select, string deltaLink, Action<JObject> onItem, CancellationToken cancellationToken);

        /// <summary>POSTs JSON to a Graph address (sendMail).</summary>
        Task<HttpResponseMessage> PostAsync(Uri uri, HttpContent content, CancellationToken cancellationToken);
    }
}
