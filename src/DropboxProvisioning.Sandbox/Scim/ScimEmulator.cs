using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// Dropbox's SCIM 2.0 endpoint (https://www.dropbox.com/scim/v2), as the Entra provisioning service uses it:
    /// /Users, /Groups and the discovery documents, behind the team's SCIM bearer token. It is a view of
    /// <see cref="SandboxTenant.Dropbox"/>: every change lands in the one team model.
    /// </summary>
    internal sealed class ScimEmulator : IServiceEmulator
    {
        private const string Prefix = "/scim/v2";
        private readonly SandboxTenant _tenant;

        public ScimEmulator(SandboxTenant tenant) { _tenant = tenant; }

        public string Service => "scim";

        public bool CanHandle(string path) =>
            path.Equals(Prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase);

        public JToken RateLimitedBody(int retryAfterSeconds, string reason = null) => ScimException.Body(429, null,
            $"Too many requests to the Dropbox SCIM API; retry after {retryAfterSeconds.ToString(CultureInfo.InvariantCulture)} second(s).");

        public async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var team = _tenant.Dropbox;
            try
            {
                if (!Authorized(request, team))
                {
                    var denied = ScimResponses.Error(new ScimException(HttpStatusCode.Unauthorized, null,
                        "The SCIM token is missing or not valid for this team."));
                    denied.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"Dropbox SCIM\"");
                    return denied;
                }

                var uri = request.RequestUri;
                var segments = uri.AbsolutePath.Substring(Prefix.Length).Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries)
                    .Select(Uri.UnescapeDataString).ToArray();
                var baseUrl = uri.Scheme + "://" + uri.Authority + Prefix;
                var method = request.Method.Method.ToUpperInvariant();
                var body = await ReadBody(request).ConfigureAwait(false);
                var scim = new ScimRequest(method, segments.Length > 1 ? segments[1] : null, ScimRequest.ParseQuery(uri.Query), body, baseUrl);
                var resource = segments.Length == 0 ? "" : segments[0].ToLowerInvariant();

                if (segments.Length > 2) throw ScimException.NotFound($"No endpoint at {uri.AbsolutePath}.");
                switch (resource)
                {
                    case "users": return List(scim, s => new ScimUsersEndpoint(team).Handle(s));
                    case "groups": return List(scim, s => new ScimGroupsEndpoint(team).Handle(s));
                    case "serviceproviderconfig" when segments.Length == 1:
                        return Discovery(method, ScimDiscovery.ServiceProviderConfig(baseUrl));
                    case "resourcetypes":
                        return Discovery(method, Document(ScimDiscovery.ResourceTypes(baseUrl), scim.Id));
                    case "schemas":
                        return Discovery(method, Document(ScimDiscovery.Schemas(baseUrl), scim.Id));
                    default:
                        throw ScimException.NotFound($"No endpoint at {uri.AbsolutePath}.");
                }
            }
            catch (ScimException e)
            {
                return ScimResponses.Error(e);
            }
            catch (DropboxTeamException e)
            {
                return ScimResponses.Error(ScimResponses.FromTeam(e));
            }
        }

        /// <summary>
        /// A collection GET with the options' paging limits and faults (<see cref="SandboxOptions.ScimMaxResults"/>,
        /// <see cref="SandboxOptions.ScimListingFault"/>); any other request as it is.
        /// </summary>
        private HttpResponseMessage List(ScimRequest request, Func<ScimRequest, HttpResponseMessage> handle)
        {
            var options = _tenant.Options;
            if (request.Method != "GET" || request.Id != null || (options.ScimMaxResults <= 0 && options.ScimListingFault == ScimListingFault.None))
                return handle(request);
            var query = request.Query.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
            var asked = request.Paging().Item1;
            if (options.ScimMaxResults > 0)
                query["count"] = Math.Min(request.Paging().Item2, options.ScimMaxResults).ToString(CultureInfo.InvariantCulture);
            if (options.ScimListingFault == ScimListingFault.RepeatsFirstPage || options.ScimListingFault == ScimListingFault.IgnoresStartIndex)
                query["startIndex"] = "1";
            var response = handle(new ScimRequest(request.Method, request.Id, query, request.Body, request.BaseUrl));
            if (options.ScimListingFault == ScimListingFault.None || !response.IsSuccessStatusCode) return response;
            var page = JObject.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            if (options.ScimListingFault == ScimListingFault.RepeatsFirstPage) page["startIndex"] = asked;
            if (options.ScimListingFault == ScimListingFault.TotalIsPageSize) page["totalResults"] = page["itemsPerPage"];
            return ScimResponses.Document(page);
        }

        private static bool Authorized(HttpRequestMessage request, DropboxTeam team)
        {
            var auth = request.Headers.Authorization;
            return auth != null && string.Equals(auth.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
                && !string.IsNullOrEmpty(team.ScimToken) && string.Equals(auth.Parameter?.Trim(), team.ScimToken, StringComparison.Ordinal);
        }

        private static async Task<JToken> ReadBody(HttpRequestMessage request)
        {
            if (request.Content == null) return null;
            var text = await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(text)) return null;
            var media = request.Content.Headers.ContentType?.MediaType;
            if (media != null && !media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                && !media.Equals(ScimSchemas.MediaType, StringComparison.OrdinalIgnoreCase))
                throw new ScimException(HttpStatusCode.UnsupportedMediaType, null, $"Send {ScimSchemas.MediaType} (or application/json), not {media}.");
            try
            {
                // Dates stay strings: a SCIM value is compared and echoed as the client wrote it.
                using (var reader = new JsonTextReader(new System.IO.StringReader(text)) { DateParseHandling = DateParseHandling.None, MaxDepth = 64 })
                {
                    var token = JToken.ReadFrom(reader);
                    if (reader.Read()) throw new JsonReaderException("Additional content after the JSON value.");
                    return token;
                }
            }
            catch (JsonException e)
            {
                throw ScimException.BadRequest("invalidSyntax", "The request body is not valid JSON: " + e.Message);
            }
        }

        private static HttpResponseMessage Discovery(string method, JToken document)
        {
            if (method != "GET") return ScimResponses.MethodNotAllowed(method, "discovery endpoints");
            return ScimResponses.Document(document);
        }

        /// <summary>/ResourceTypes and /Schemas: the ListResponse, or one entry by id.</summary>
        private static JToken Document(JArray entries, string id)
        {
            if (id == null)
                return new JObject
                {
                    ["schemas"] = new JArray(ScimSchemas.ListResponse),
                    ["totalResults"] = entries.Count, ["startIndex"] = 1, ["itemsPerPage"] = entries.Count,
                    ["Resources"] = entries,
                };
            return entries.FirstOrDefault(e => string.Equals((string)e["id"], id, StringComparison.OrdinalIgnoreCase))
                ?? throw ScimException.NotFound($"No entry has the id {id}.");
        }
    }
}
