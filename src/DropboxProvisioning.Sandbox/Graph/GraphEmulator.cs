using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>
    /// Microsoft Graph v1.0 over the sandbox directory: users, groups, members, the Dropbox service principal and
    /// its app role assignments, delta queries and sendMail, and the writes an admin makes in Entra (GraphEmulator.Writes).
    /// Requires a bearer token from the token endpoint whose roles hold the route's permissions. Paths: /v1.0/...; see the
    /// Handle* methods for the routes.
    /// </summary>
    internal sealed partial class GraphEmulator : IServiceEmulator
    {
        private const string Root = "/v1.0/";
        private readonly SandboxTenant _tenant;
        private readonly GraphDelta _delta;

        public GraphEmulator(SandboxTenant tenant)
        {
            _tenant = tenant;
            _delta = new GraphDelta(tenant.Directory) { MembersPerItem = () => tenant.Options.GraphMembersPerDeltaItem };
        }

        public string Service => "graph";

        private DirectoryModel Directory => _tenant.Directory;

        public bool CanHandle(string path) => path.StartsWith(Root, StringComparison.OrdinalIgnoreCase);

        public JToken RateLimitedBody(int retryAfterSeconds, string reason = null) =>
            GraphErrors.Body("TooManyRequests", "Too many requests are being made. Please retry after the time given in the Retry-After header.", Guid.NewGuid().ToString());

        public async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var requestId = ClientRequestId(request) ?? Guid.NewGuid().ToString();
            HttpResponseMessage response;
            try
            {
                var auth = request.Headers.Authorization;
                if (auth == null || string.IsNullOrEmpty(auth.Parameter))
                    response = GraphErrors.Unauthorized("Access token is empty.", requestId);
                else if (!string.Equals(auth.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || !Directory.ValidateAccessToken(auth.Parameter))
                    response = GraphErrors.Unauthorized(auth.Parameter.Count(c => c == '.') == 2
                        ? "Lifetime validation failed, the token is expired."
                        : "IDX14100: JWT is not well formed, there are no dots (.).", requestId);
                else if (RequiredPermissions(request).Any(permission => !Directory.TokenHasRole(auth.Parameter, permission)))
                    response = GraphErrors.Response(HttpStatusCode.Forbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", requestId);
                else
                    response = await RouteAsync(request, requestId).ConfigureAwait(false);
            }
            catch (GraphException e)
            {
                response = GraphErrors.Response(e.Status, e.Code, e.Message, requestId);
                if (e.Status == HttpStatusCode.Gone) // a new round from the start: the initial query, with an empty $deltatoken
                    response.Headers.TryAddWithoutValidation("Location", ODataQuery.Parse(request.RequestUri).BaseAddress + request.RequestUri.AbsolutePath + "?$deltatoken=");
            }
            response.Headers.TryAddWithoutValidation("request-id", requestId);
            response.Headers.TryAddWithoutValidation("client-request-id", requestId);
            return response;
        }

        private async Task<HttpResponseMessage> RouteAsync(HttpRequestMessage request, string requestId)
        {
            var path = request.RequestUri.AbsolutePath.Substring(Root.Length).TrimEnd('/');
            var segments = path.Split('/').Select(Uri.UnescapeDataString).ToArray();
            var query = ODataQuery.Parse(request.RequestUri);
            var method = request.Method.Method;
            var collection = segments[0].ToLowerInvariant();

            if (method == "POST" && collection == "users" && segments.Length == 3 && segments[2].Equals("sendMail", StringComparison.OrdinalIgnoreCase))
                return await HandleSendMailAsync(segments[1], request).ConfigureAwait(false);
            if (method == "PATCH" && collection == "users" && segments.Length == 2 && !IsDelta(segments[1]))
                return await HandleUpdateUserAsync(segments[1], request).ConfigureAwait(false);
            if (collection == "serviceprincipals" && segments.Length >= 3 && segments[2].Equals("appRoleAssignedTo", StringComparison.OrdinalIgnoreCase))
            {
                if (method == "POST" && segments.Length == 3) return await HandleAssignAsync(segments[1], request, query).ConfigureAwait(false);
                if (method == "DELETE" && segments.Length == 4) return HandleUnassign(segments[1], segments[3]);
            }
            if (collection == "groups" && segments.Length >= 4 && segments[2].Equals("members", StringComparison.OrdinalIgnoreCase) && segments[segments.Length - 1] == "$ref")
            {
                if (method == "POST" && segments.Length == 4) return await HandleAddMemberAsync(segments[1], request).ConfigureAwait(false);
                if (method == "DELETE" && segments.Length == 5) return HandleRemoveMember(segments[1], segments[3]);
            }
            if (method != "GET")
                throw new GraphException(HttpStatusCode.MethodNotAllowed, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");

            var prefer = request.Headers.TryGetValues("Prefer", out var values) ? string.Join(",", values) : null;
            switch (collection)
            {
                case "users":
                    if (segments.Length == 1) return ListUsers(query);
                    if (segments.Length == 2 && IsDelta(segments[1]))
                    {
                        // A new users/delta round starts a provisioning cycle: some invited Dropbox members have joined meanwhile.
                        if (query.SkipToken == null && !"latest".Equals(query.DeltaToken, StringComparison.OrdinalIgnoreCase) && _tenant.Options.InvitationsAcceptedPerCycle > 0)
                            _tenant.Dropbox.AcceptInvitations(Math.Min(1, _tenant.Options.InvitationsAcceptedPerCycle));
                        return _delta.Handle(ChangeTarget.User, query, prefer);
                    }
                    if (segments.Length == 2) return GetUser(segments[1], query);
                    if (segments.Length == 3 && segments[2].Equals("manager", System.StringComparison.OrdinalIgnoreCase)) return GetManager(segments[1], query);
                    break;
                case "groups":
                    if (segments.Length == 1) return ListGroups(query);
                    if (segments.Length == 2 && IsDelta(segments[1])) return _delta.Handle(ChangeTarget.Group, query, prefer);
                    if (segments.Length == 2) return GetGroup(segments[1], query);
                    if (segments.Length == 3 && segments[2].Equals("members", StringComparison.OrdinalIgnoreCase)) return ListMembers(segments[1], query);
                    if (segments.Length == 3 && segments[2].Equals("transitiveMembers", StringComparison.OrdinalIgnoreCase)) return ListTransitiveMembers(segments[1], query);
                    break;
                case "serviceprincipals":
                    if (segments.Length == 1) return ListServicePrincipals(query);
                    if (segments.Length == 2) return GetServicePrincipal(segments[1], query);
                    if (segments.Length == 3 && segments[2].Equals("appRoleAssignedTo", StringComparison.OrdinalIgnoreCase)) return ListAssignments(segments[1], query);
                    break;
            }
            throw GraphException.BadRequest($"Resource not found for the segment '{segments.Last()}'.");
        }

        /// <summary>
        /// The least application permissions a route needs, all of them (Graph's permissions reference and each API's page:
        /// user-update User.ReadWrite.All; serviceprincipal-post-approleassignedto AppRoleAssignment.ReadWrite.All and
        /// Application.Read.All; group-post-members and group-delete-members GroupMember.ReadWrite.All); none when unknown.
        /// </summary>
        private static string[] RequiredPermissions(HttpRequestMessage request)
        {
            var path = request.RequestUri.AbsolutePath;
            if (path.Length <= Root.Length) return NoPermissions;
            var segments = path.Substring(Root.Length).TrimEnd('/').Split('/');
            var write = request.Method != HttpMethod.Get && request.Method != HttpMethod.Head;
            switch (segments[0].ToLowerInvariant())
            {
                case "users":
                    if (segments.Length == 3 && segments[2].Equals("sendMail", StringComparison.OrdinalIgnoreCase)) return new[] { "Mail.Send" };
                    return new[] { write ? "User.ReadWrite.All" : "User.Read.All" };
                case "groups":
                    return new[] { write ? "GroupMember.ReadWrite.All" : "Group.Read.All" };
                case "serviceprincipals":
                    return write ? new[] { "AppRoleAssignment.ReadWrite.All", "Application.Read.All" } : new[] { "Application.Read.All" };
                default: return NoPermissions;
            }
        }

        private static readonly string[] NoPermissions = new string[0];

        private static bool IsDelta(string segment) =>
            segment.Equals("delta", StringComparison.OrdinalIgnoreCase) || segment.Equals("delta()", StringComparison.OrdinalIgnoreCase)
            || segment.Equals("microsoft.graph.delta", StringComparison.OrdinalIgnoreCase) || segment.Equals("microsoft.graph.delta()", StringComparison.OrdinalIgnoreCase);

        private static string ClientRequestId(HttpRequestMessage request) =>
            request.Headers.TryGetValues("client-request-id", out var values) ? values.FirstOrDefault() : null;

        /// <summary>{"@odata.context", "@odata.nextLink"?, "value"}: a page of a collection.</summary>
        private static HttpResponseMessage Collection(ODataQuery query, string contextFragment, IEnumerable<JObject> items, string nextLink) =>
            Collection(query, contextFragment, writer => { foreach (var item in items) item.WriteTo(writer); }, nextLink);

        /// <summary>A page written straight to text, without building a JSON tree of the whole page.</summary>
        private static HttpResponseMessage Collection(ODataQuery query, string contextFragment, Action<JsonWriter> writeItems, string nextLink)
        {
            var text = new StringWriter(CultureInfo.InvariantCulture);
            using (var writer = new JsonTextWriter(text))
            {
                writer.WriteStartObject();
                writer.WritePropertyName("@odata.context");
                writer.WriteValue(query.BaseAddress + "/v1.0/$metadata#" + contextFragment);
                if (nextLink != null)
                {
                    writer.WritePropertyName("@odata.nextLink");
                    writer.WriteValue(nextLink);
                }
                writer.WritePropertyName("value");
                writer.WriteStartArray();
                writeItems(writer);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(text.ToString(), Encoding.UTF8, "application/json") };
        }

        private static HttpResponseMessage Entity(ODataQuery query, string contextFragment, JObject item)
        {
            var body = new JObject { ["@odata.context"] = query.BaseAddress + "/v1.0/$metadata#" + contextFragment + "/$entity" };
            foreach (var property in item.Properties()) body.Add(property.Name, property.Value);
            return EmulatorResponse.Json(HttpStatusCode.OK, body);
        }

        private static string ContextFor(string collection, IReadOnlyList<string> select) =>
            select == null ? collection : collection + "(" + string.Join(",", select) + ")";

        /// <summary>"$skiptoken" for a keyed page: opaque, tied to the listing it continues.</summary>
        private static string SkipToken(string scope, long afterKey) => ODataQuery.EncodeToken(scope + ":" + afterKey.ToString(System.Globalization.CultureInfo.InvariantCulture));

        private static long AfterKey(ODataQuery query, string scope)
        {
            var raw = query.SkipToken;
            if (raw == null) return 0;
            var text = ODataQuery.DecodeToken(raw);
            if (text != null && text.StartsWith(scope + ":", StringComparison.Ordinal)
                && long.TryParse(text.Substring(scope.Length + 1), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var key) && key >= 0)
                return key;
            throw GraphException.BadRequest("'$skiptoken' is invalid: it does not belong to this query.", "Request_BadRequest");
        }

        private static string NextLink(ODataQuery query, string path, string scope, long? nextAfter) =>
            nextAfter == null ? null : query.Link(path, new[] { "$skiptoken" }, new KeyValuePair<string, string>("$skiptoken", SkipToken(scope, nextAfter.Value)));
    }
}
