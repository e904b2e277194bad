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
    public sealed partial class GraphDirectoryClient : IDirectoryClient
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

        public Task<HttpResponseMessage> PostAsync(Uri uri, HttpContent content, CancellationToken cancellationToken) => _http.PostAsync(uri, content, cancellationToken);

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
        /// A link Graph no longer knows fails with condition GraphDeltaExpired (any of the forms Graph documents): start over.
        /// A stored link is checked like every link taken from outside: on the configured Graph host and scheme, or refused
        /// before anything (the bearer token above all) is sent.
        /// </summary>
        public Task<string> DeltaAsync(string resource, string select, string deltaLink, Action<JObject> onItem, CancellationToken cancellationToken) =>
            ListAsync(deltaLink != null ? StoredLink(resource, deltaLink) : new Uri(_root, $"{resource}/delta?$select={select}"), onItem, cancellationToken);

        /// <summary>A delta link read from the state: absolute, on the configured host and scheme, and a link to this resource's delta.</summary>
        private Uri StoredLink(string resource, string deltaLink)
        {
            var property = resource == "groups" ? "GroupsDeltaLink" : "UsersDeltaLink";
            var fix = " Run Restart-DbxProvisioning -Scope Watermark so that the next cycle starts from a fresh initial read.";
            if (!Uri.TryCreate(deltaLink, UriKind.Absolute, out var link) || (link.Scheme != Uri.UriSchemeHttps && link.Scheme != Uri.UriSchemeHttp))
                throw new DbxException("GraphDeltaLinkInvalid", DbxErrorCategory.InvalidData,
                    $"The state's {property} is not an absolute http(s) URL; it was not followed." + fix, target: property);
            if (!SameOrigin(link))
                throw new DbxException("GraphForeignDeltaLink", DbxErrorCategory.SecurityError,
                    $"The state's {property} points to {Origin(link)}, not to the configured Microsoft Graph ({Origin(_root)}); it was not followed and no token was sent." + fix, target: property);
            if (!link.AbsolutePath.StartsWith(_root.AbsolutePath + resource + "/", StringComparison.OrdinalIgnoreCase))
                throw new DbxException("GraphDeltaLinkInvalid", DbxErrorCategory.InvalidData,
                    $"The state's {property} is not a link to {resource}/delta ({link.AbsolutePath}); it was not followed." + fix, target: property);
            return link;
        }

        /// <summary>Same scheme, host and port as the configured Graph endpoint.</summary>
        private bool SameOrigin(Uri link) =>
            string.Equals(link.Scheme, _root.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(link.IdnHost, _root.IdnHost, StringComparison.OrdinalIgnoreCase)
            && link.Port == _root.Port;

        private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

        /// <summary>A deltaLink for "from now on", without reading anything (Graph's $deltatoken=latest).</summary>
        public async Task<string> LatestDeltaLinkAsync(string resource, string select, CancellationToken cancellationToken)
        {
            var uri = new Uri(_root, $"{resource}/delta?$select={select}&$deltatoken=latest");
            var page = await GetAsync(uri, cancellationToken).ConfigureAwait(false);
            return Link(page, "@odata.deltaLink", uri)?.ToString();
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
                var from = next;
                var page = await ReadAsync(next, body => ReadPage(body, from, onItem), cancellationToken).ConfigureAwait(false);
                var delta = Link(page, "@odata.deltaLink", next);
                if (delta != null) return delta.ToString();
                next = Link(page, "@odata.nextLink", next);
            }
            return null;
        }

        private static readonly JsonLoadSettings LoadSettings = new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Ignore };

        /// <summary>
        /// Reads a collection page item by item, handing each over as soon as it is read: a page of groups with
        /// all their members is never held as one tree. Returns the page without its items (the paging links).
        /// </summary>
        private static JObject ReadPage(System.IO.Stream body, Uri uri, Action<JObject> onItem)
        {
            var envelope = new JObject();
            try
            {
                using (var reader = Serialization.JsonText.Reader(Utf8Reader(body)))
                {
                    if (!reader.Read() || reader.TokenType != JsonToken.StartObject) throw InvalidShape(uri, "the page is not an object");
                    while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                    {
                        var name = (string)reader.Value;
                        if (!reader.Read()) break;
                        if (name != "value") { envelope[name] = JToken.ReadFrom(reader, LoadSettings); continue; }
                        if (reader.TokenType == JsonToken.Null) continue;
                        if (reader.TokenType != JsonToken.StartArray) throw InvalidShape(uri, "value is not an array");
                        while (reader.Read() && reader.TokenType != JsonToken.EndArray)
                        {
                            if (reader.TokenType != JsonToken.StartObject) throw InvalidShape(uri, "an item is not an object");
                            var item = JObject.Load(reader, LoadSettings);
                            CheckEntity(item, uri);
                            onItem(item);
                        }
                    }
                    if (reader.TokenType != JsonToken.EndObject) throw new JsonReaderException("the page ends before its closing brace");
                    EnsureEnd(reader);
                }
            }
            catch (JsonException e)
            {
                throw NotJson(uri, e);
            }
            return envelope;
        }

        // JSON is UTF-8 (RFC 8259): read the bytes as such, whatever charset the Content-Type claims; a BOM is skipped.
        private static System.IO.TextReader Utf8Reader(System.IO.Stream body)
        {
            var reader = new System.IO.StreamReader(body, new System.Text.UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 16384);
            if (reader.Peek() == 0xFEFF) reader.Read();
            return reader;
        }

        public async Task<JObject> GetAsync(Uri uri, CancellationToken cancellationToken)
        {
            var result = await ReadAsync(uri, body =>
            {
                try
                {
                    using (var reader = Serialization.JsonText.Reader(Utf8Reader(body)))
                    {
                        var read = JObject.Load(reader, LoadSettings);
                        EnsureEnd(reader);
                        return read;
                    }
                }
                catch (JsonException e)
                {
                    throw NotJson(uri, e);
                }
            }, cancellationToken).ConfigureAwait(false);
            if (result["value"] == null) CheckEntity(result, uri);
            return result;
        }

        /// <summary>
        /// GET with Graph's paging preference; the body of a successful answer read by <paramref name="read"/> from the
        /// response's own buffer (not copied into an array of its own: a large tenant's pages would each leave one of
        /// several hundred kilobytes on the large-object heap), or the failure as a DbxException.
        /// </summary>
        private async Task<T> ReadAsync<T>(Uri uri, Func<System.IO.Stream, T> read, CancellationToken cancellationToken)
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
            catch (InvalidOperationException e) when (e.Message.StartsWith("Too many redirects", StringComparison.Ordinal))
            {
                throw new DbxException("GraphRedirectLoop", DbxErrorCategory.InvalidResult, $"Microsoft Graph redirected {uri.GetLeftPart(UriPartial.Path)} too many times.", e, uri.GetLeftPart(UriPartial.Path));
            }
            using (response)
            {
                // JSON is UTF-8 (RFC 8259): read the bytes as such, whatever charset the Content-Type claims.
                if (!response.IsSuccessStatusCode)
                {
                    var bytes = response.Content == null ? new byte[0] : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    throw Failure(response.StatusCode, new System.Text.UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF'), uri);
                }
                if (response.Content == null) return read(new System.IO.MemoryStream(new byte[0], writable: false));
                using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                    return read(body);
            }
        }

        /// <summary>
        /// A paging link: absolute, and on the same scheme and host as the page that gave it, so that a bad or hostile
        /// answer can never send the next request (and its bearer token) elsewhere. Null when absent.
        /// </summary>
        private Uri Link(JObject page, string name, Uri from)
        {
            var token = page[name];
            if (token == null || token.Type == JTokenType.Null) return null;
            var text = token.Type == JTokenType.String ? (string)token : null;
            if (text == null || !Uri.TryCreate(text, UriKind.Absolute, out var link) || (link.Scheme != Uri.UriSchemeHttps && link.Scheme != Uri.UriSchemeHttp))
                throw InvalidShape(from, $"{name} is not an absolute URL");
            if (!SameOrigin(link))
                throw new DbxException("GraphForeignLink", DbxErrorCategory.SecurityError,
                    $"Microsoft Graph answered {from.GetLeftPart(UriPartial.Path)} with a {name} to another host ({link.GetLeftPart(UriPartial.Authority)}); it was not followed.", target: from.GetLeftPart(UriPartial.Path));
            return link;
        }

        /// <summary>The fields the engine reads as text must be text: an entity of another shape is refused here, not deep in a cycle.</summary>
        private static void CheckEntity(JObject entity, Uri from)
        {
            foreach (var name in new[] { "id", "displayName", "userPrincipalName", "principalType", "principalId", "appRoleId", "@odata.type" })
            {
                var value = entity[name];
                if (value != null && value.Type != JTokenType.Null && value.Type != JTokenType.String && value.Type != JTokenType.Guid)
                    throw InvalidShape(from, $"{name} is not a string");
            }
        }

        /// <summary>Nothing but comments may follow the body's closing brace.</summary>
        private static void EnsureEnd(JsonReader reader)
        {
            while (reader.Read()) if (reader.TokenType != JsonToken.Comment) throw new JsonReaderException("content after the closing brace");
        }

        private static DbxException NotJson(Uri from, JsonException e) =>
            new DbxException("GraphInvalidResponse", DbxErrorCategory.InvalidResult,
                $"Microsoft Graph answered {from.GetLeftPart(UriPartial.Path)} with a body that is not JSON: {e.Message}", e, from.GetLeftPart(UriPartial.Path));

        private static DbxException InvalidShape(Uri from, string problem) =>
            new DbxException("GraphInvalidResponse", DbxErrorCategory.InvalidResult,
                $"Microsoft Graph answered {from.GetLeftPart(UriPartial.Path)} with JSON of another shape: {problem}.", target: from.GetLeftPart(UriPartial.Path));

        private static string Text(JToken token) => token is JValue value && value.Type == JTokenType.String ? (string)value : null;

        /// <summary>
        /// Graph's codes for a delta or skip token it no longer honours (delta-query-overview, "Token duration": a 40X error
        /// with a code such as syncStateNotFound; the error-code list adds resyncRequired). The case varies in the wild.
        /// A 410 Gone (a synchronization reset) means the same whatever its code.
        /// </summary>
        private static bool IsExpiredSyncState(string code) =>
            string.Equals(code, "syncStateNotFound", StringComparison.OrdinalIgnoreCase) || string.Equals(code, "resyncRequired", StringComparison.OrdinalIgnoreCase);

        private static DbxException Failure(HttpStatusCode status, string text, Uri uri)
        {
            string code = null, message = null;
            try
            {
                var error = Serialization.JsonText.ParseObject(text)["error"] as JObject;
                code = Text(error?["code"]);
                message = Text(error?["message"]);
            }
            catch (JsonException) { }
            var path = uri.GetLeftPart(UriPartial.Path);
            var detail = $"Microsoft Graph answered {(int)status} {code} for {path}" + (message == null ? "." : ": " + message);
            if ((int)status >= 400 && (int)status < 500 && IsExpiredSyncState(code))
                return new DbxException("GraphDeltaExpired", DbxErrorCategory.InvalidOperation, detail, target: path);
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
