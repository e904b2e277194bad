using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Directory
{
    /// <summary>
    /// Reads Entra ID through Microsoft Graph v1.0: users, groups, members, the Dropbox service principal's
    /// app role assignments, and delta rounds. Pages are followed through @odata.nextLink to the end.
    /// </summary>
    public sealed class GraphDirectoryClient
    {
        public const int MaxPageSize = 999;
        private readonly HttpClient _http;
        private readonly Uri _root;

        /// <param name="graphEndpoint">https://graph.microsoft.com, a national cloud, or the sandbox's loopback address.</param>
        public GraphDirectoryClient(HttpClient http, Uri graphEndpoint)
        {
            _http = http;
            _root = new Uri(graphEndpoint.GetLeftPart(UriPartial.Authority) + graphEndpoint.AbsolutePath.TrimEnd('/') + "/v1.0/");
        }

        public Uri Root => _root;

        /// <summary>The authenticated HTTP pipeline, for the few writes Graph gets (sendMail).</summary>
        internal HttpClient Http => _http;

        public Task<JObject> GetServicePrincipalAsync(string id, CancellationToken cancellationToken) =>
            GetAsync(new Uri(_root, $"servicePrincipals/{Uri.EscapeDataString(id)}?$select=id,appId,displayName,appRoles"), cancellationToken);

        public Task<JObject> GetUserAsync(string id, string select, CancellationToken cancellationToken) =>
            GetAsync(new Uri(_root, $"users/{Uri.EscapeDataString(id)}?$select={select}"), cancellationToken);

        public Task<JObject> GetGroupAsync(string id, string select, CancellationToken cancellationToken) =>
            GetAsync(new Uri(_root, $"groups/{Uri.EscapeDataString(id)}?$select={select}"), cancellationToken);

        /// <summary>Every app role assignment granted on the service principal (users and groups).</summary>
        public Task<string> ListAssignmentsAsync(string servicePrincipalId, Action<JObject> onItem, CancellationToken cancellationToken) =>
            ListAsync(new Uri(_root, $"servicePrincipals/{Uri.EscapeDataString(servicePrincipalId)}/appRoleAssignedTo?$top={MaxPageSize}"), onItem, cancellationToken);

        public Task<string> ListUsersAsync(string select, Action<JObject> onItem, CancellationToken cancellationToken) =>
            ListAsync(new Uri(_root, $"users?$select={select}&$top={MaxPageSize}"), onItem, cancellationToken);

        public Task<string> ListGroupsAsync(string select, Action<JObject> onItem, CancellationToken cancellationToken) =>
            ListAsync(new Uri(_root, $"groups?$select={select}&$top={MaxPageSize}"), onItem, cancellationToken);

        public Task<string> ListGroupMembersAsync(string groupId, Action<JObject> onItem, CancellationToken cancellationToken) =>
            ListAsync(new Uri(_root, $"groups/{Uri.EscapeDataString(groupId)}/members?$select=id&$top={MaxPageSize}"), onItem, cancellationToken);

        /// <summary>
        /// A users/delta or groups/delta round: from the start (with <paramref name="select"/>) when
        /// <paramref name="deltaLink"/> is null, else from the stored link. Returns the new deltaLink.
        /// A link Graph no longer knows fails with condition GraphDeltaExpired (410): start over.
        /// </summary>
        public Task<string> DeltaAsync(string resource, string select, string deltaLink, Action<JObject> onItem, CancellationToken cancellationToken) =>
            ListAsync(deltaLink != null ? new Uri(deltaLink) : new Uri(_root, $"{resource}/delta?$select={select}"), onItem, cancellationToken);

        /// <summary>A deltaLink for "from now on", without reading anything (Graph's $deltatoken=latest).</summary>
        public async Task<string> LatestDeltaLinkAsync(string resource, string select, CancellationToken cancellationToken)
        {
            var page = await GetAsync(new Uri(_root, $"{resource}/delta?$select={select}&$deltatoken=latest"), cancellationToken).ConfigureAwait(false);
            return (string)page["@odata.deltaLink"];
        }

        /// <summary>
        /// Follows a collection through all of its pages, handing each item over as it arrives so that a
        /// large tenant is never held twice. Returns the @odata.deltaLink when the collection is a delta round.
        /// </summary>
        public async Task<string> ListAsync(Uri first, Action<JObject> onItem, CancellationToken cancellationToken)
        {
            var next = first;
            while (next != null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = await GetAsync(next, cancellationToken).ConfigureAwait(false);
                if (page["value"] is JArray items)
                {
                    foreach (var item in items)
                        if (item is JObject o) onItem(o);
                }
                var delta = (string)page["@odata.deltaLink"];
                if (delta != null) return delta;
                var link = (string)page["@odata.nextLink"];
                next = link == null ? null : new Uri(link);
            }
            return null;
        }

        public async Task<JObject> GetAsync(Uri uri, CancellationToken cancellationToken)
        {
            HttpResponseMessage response;
            try
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                // Delta rounds take their page size from this header rather than $top.
                request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=" + MaxPageSize);
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new DbxException("GraphUnreachable", DbxErrorCategory.ConnectionError, $"Could not reach Microsoft Graph at {uri.GetLeftPart(UriPartial.Authority)}: {e.Message}", e, uri.GetLeftPart(UriPartial.Path));
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DbxException("GraphTimeout", DbxErrorCategory.OperationStopped, $"Microsoft Graph did not answer {uri.GetLeftPart(UriPartial.Path)} in time.", e, uri.GetLeftPart(UriPartial.Path));
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (!response.IsSuccessStatusCode) throw Failure(response.StatusCode, text, uri);
                try
                {
                    return JObject.Parse(text);
                }
                catch (JsonException e)
                {
                    throw new DbxException("GraphInvalidResponse", DbxErrorCategory.InvalidResult, $"Microsoft Graph answered {uri.GetLeftPart(UriPartial.Path)} with a body that is not JSON: {e.Message}", e, uri.GetLeftPart(UriPartial.Path));
                }
            }
        }

        private static DbxException Failure(HttpStatusCode status, string text, Uri uri)
        {
            string code = null, message = null;
            try
            {
                var error = JObject.Parse(text)["error"];
                code = (string)error?["code"];
                message = (string)error?["message"];
            }
            catch (JsonException) { }
            var path = uri.GetLeftPart(UriPartial.Path);
            var detail = $"Microsoft Graph answered {(int)status} {code} for {path}" + (message == null ? "." : ": " + message);
            switch (status)
            {
                case HttpStatusCode.Unauthorized:
                    return new DbxException("GraphUnauthorized", DbxErrorCategory.AuthenticationError, detail, target: path);
                case HttpStatusCode.Forbidden:
                    return new DbxException("GraphForbidden", DbxErrorCategory.PermissionDenied,
                        detail + " The application needs the Graph application permissions User.Read.All, Group.Read.All and Application.Read.All.", target: path);
                case HttpStatusCode.NotFound:
                    return new DbxException("GraphNotFound", DbxErrorCategory.ObjectNotFound, detail, target: path);
                case HttpStatusCode.Gone:
                    return new DbxException("GraphDeltaExpired", DbxErrorCategory.InvalidOperation, detail, target: path);
                case (HttpStatusCode)429:
                    return new DbxException("GraphThrottled", DbxErrorCategory.LimitsExceeded, detail, target: path);
                default:
                    return new DbxException("GraphRequestFailed", DbxErrorCategory.InvalidResult, detail, target: path);
            }
        }
    }
}
