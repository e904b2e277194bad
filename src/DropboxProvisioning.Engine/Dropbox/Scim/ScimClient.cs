using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.Scim
{
    /// <summary>
    /// Dropbox's SCIM 2.0 endpoint (https://www.dropbox.com/scim/v2 for the Entra gallery app), spoken
    /// as Entra speaks it: filters on userName, startIndex/count paging, PATCH with Add/Replace/Remove.
    /// </summary>
    public sealed class ScimClient : IDropboxTarget
    {
        public const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
        public const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
        public const string PatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
        public const int MaxPageSize = 1000;
        private const string MediaType = "application/scim+json";

        private readonly HttpClient _http;
        private readonly string _base;

        public ScimClient(HttpClient http, Uri tenantUrl)
        {
            _http = http;
            _base = tenantUrl.ToString().TrimEnd('/');
            TenantUrl = tenantUrl;
        }

        public Uri TenantUrl { get; }

        public DropboxApiKind Kind => DropboxApiKind.Scim;
        public Uri Endpoint => TenantUrl;
        public int CreateBatchSize => 1;
        public string DisplayName => "SCIM";
        public string InvitedRemovedInstead => "Dropbox does not suspend invited users: the invited account was deleted instead.";
        public string DeclinedBecause => "";
        public JObject NewResource(string resource) => new JObject { ["schemas"] = new JArray(resource == "Groups" ? GroupSchema : UserSchema) };
        public JObject ReplaceOperation(string path, JToken value) => Operation("Replace", path, value);
        public JObject MembersOperation(string op, IEnumerable<string> memberIds) =>
            Operation(op, "members", new JArray(memberIds.Select(m => new JObject { ["value"] = m })));

        public Task TestAsync(CancellationToken cancellationToken) => ListUsersAsync(1, 1, null, cancellationToken);

        public async Task<JObject> FindAsync(string resource, string attribute, string value, CancellationToken cancellationToken)
        {
            // A value no Dropbox account can hold matches nothing: it is not asked about (a 10,000-character filter is refused
            // whole, and one such user would stop every cycle), and the user's own write then fails alone, with Dropbox's reason.
            if (value == null || (resource == "Users" && value.Length > DropboxLimits.MaxLength(attribute))) return null;
            var page = await ListAsync(resource, 1, 2, ScimFilter.Equal(attribute, value), null, cancellationToken).ConfigureAwait(false);
            return page.Resources.Count > 0 ? page.Resources[0] : null;
        }

        public async Task<IReadOnlyList<TargetCreateResult>> CreateUsersAsync(IReadOnlyList<JObject> bodies, CancellationToken cancellationToken)
        {
            var results = new List<TargetCreateResult>();
            foreach (var body in bodies)
            {
                try { results.Add(new TargetCreateResult { Created = await CreateAsync("Users", body, cancellationToken).ConfigureAwait(false) }); }
                catch (ScimException e) when (!e.IsCredentialFailure) { results.Add(new TargetCreateResult { Error = e }); }
            }
            return results;
        }

        public Task<ScimListPage> ListUsersAsync(int startIndex, int count, string filter, CancellationToken cancellationToken) =>
            ListAsync("Users", startIndex, count, filter, null, cancellationToken);

        public Task<ScimListPage> ListGroupsAsync(int startIndex, int count, string filter, CancellationToken cancellationToken) =>
            ListAsync("Groups", startIndex, count, filter, "members", cancellationToken);

        public async Task<ScimListPage> ListAsync(string resource, int startIndex, int count, string filter, string excludedAttributes, CancellationToken cancellationToken)
        {
            var query = $"startIndex={startIndex}&count={count}";
            if (filter != null) query += "&filter=" + Uri.EscapeDataString(filter);
            if (excludedAttributes != null) query += "&excludedAttributes=" + excludedAttributes;
            var body = await SendAsync(HttpMethod.Get, $"{resource}?{query}", null, cancellationToken).ConfigureAwait(false);
            var items = new List<JObject>();
            var resources = body?["Resources"];
            if (resources != null && resources.Type != JTokenType.Null && !(resources is JArray))
                throw InvalidShape(HttpMethod.Get, resource, "Resources is not an array");
            if (resources is JArray array)
                foreach (var item in array)
                {
                    if (!(item is JObject o)) throw InvalidShape(HttpMethod.Get, resource, "a resource is not an object");
                    CheckResource(o, HttpMethod.Get, resource);
                    items.Add(o);
                }
            var total = Integer(body?["totalResults"]);
            var start = Integer(body?["startIndex"]);
            if ((body?["totalResults"] != null && body["totalResults"].Type != JTokenType.Null && total == null) || total < 0)
                throw InvalidShape(HttpMethod.Get, resource, "totalResults is not a count");
            return new ScimListPage(total ?? items.Count, start ?? startIndex, items, total, start);
        }

        /// <summary>
        /// Pages through a whole resource type with the largest page the endpoint allows, and checks that the pages hold
        /// together before any of it is acted on (RFC 7644 §3.4.2.4): each page starts where it was asked to, holds no more
        /// than asked, repeats no id, and the pages add up to totalResults. A page shorter than asked is not the end while
        /// totalResults says more follow (a server may cap count); past totalResults one more page is asked for, which must
        /// be empty, so that a server that reports too small a total is caught rather than believed. Anything else stops the
        /// listing with DropboxListingInconsistent: acting on half a listing would re-create or adopt accounts wrongly.
        /// </summary>
        public async Task ListAllAsync(string resource, Action<JObject> onItem, CancellationToken cancellationToken)
        {
            var excluded = resource == "Groups" ? "members" : null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var start = 1;
            int? total = null;
            var listed = 0;
            while (true)
            {
                var probe = total != null && start > total.Value;
                var page = await ListAsync(resource, start, probe ? 1 : MaxPageSize, null, excluded, cancellationToken).ConfigureAwait(false);
                if (page.ReportedStartIndex != null && page.ReportedStartIndex != start && !(probe && page.Resources.Count == 0))
                    throw Inconsistent(resource, $"asked for startIndex {start}, it answered a page with startIndex {page.ReportedStartIndex}");
                if (page.Resources.Count > (probe ? 1 : MaxPageSize))
                    throw Inconsistent(resource, $"asked for at most {(probe ? 1 : MaxPageSize)} at startIndex {start}, it answered {page.Resources.Count}");
                foreach (var item in page.Resources)
                {
                    var id = Text(item["id"]);
                    if (id != null && !seen.Add(id))
                        throw Inconsistent(resource, $"the page at startIndex {start} repeats '{id}', listed before (the server may not honour startIndex)");
                }
                if (probe)
                {
                    if (page.Resources.Count > 0)
                        throw Inconsistent(resource, $"totalResults said {total}, but the server answered more past it (it may report a page's size as the total)");
                    return;
                }
                if (page.ReportedTotalResults != null)
                {
                    if (total != null && total != page.ReportedTotalResults)
                        throw Inconsistent(resource, $"totalResults changed from {total} to {page.ReportedTotalResults} between pages (Dropbox may have changed while it was read)");
                    total = page.ReportedTotalResults;
                }
                foreach (var item in page.Resources) onItem(item);
                listed += page.Resources.Count;
                start += page.Resources.Count;
                if (page.Resources.Count == 0)
                {
                    if (total != null && listed < total.Value)
                        throw Inconsistent(resource, $"totalResults says {total}, but the pages ended after {listed}");
                    return;
                }
                if (total != null && listed > total.Value)
                    throw Inconsistent(resource, $"totalResults says {total}, but the pages held {listed}");
            }
        }

        private ScimException Inconsistent(string resource, string problem) =>
            new ScimException("DropboxListingInconsistent", DbxErrorCategory.InvalidResult,
                $"Dropbox's SCIM listing of {resource} does not hold together: {problem}. Nothing was written in this cycle; the listing is read again next cycle. " +
                "If this persists, check that the SCIM endpoint pages as RFC 7644 §3.4.2.4 says (startIndex, count, totalResults).",
                0, null, problem, target: TenantUrl);

        public Task<JObject> GetAsync(string resource, string id, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Get, $"{resource}/{Uri.EscapeDataString(id)}", null, cancellationToken);

        public Task<JObject> CreateAsync(string resource, JObject body, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Post, resource, body, cancellationToken);

        /// <summary>PATCH; returns the resource when Dropbox sends it back, null for 204 No Content.</summary>
        public Task<JObject> PatchAsync(string resource, string id, IEnumerable<JObject> operations, CancellationToken cancellationToken)
        {
            var body = new JObject
            {
                ["schemas"] = new JArray(PatchSchema),
                ["Operations"] = new JArray(operations),
            };
            return SendAsync(new HttpMethod("PATCH"), $"{resource}/{Uri.EscapeDataString(id)}", body, cancellationToken);
        }

        public Task DeleteAsync(string resource, string id, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Delete, $"{resource}/{Uri.EscapeDataString(id)}", null, cancellationToken);

        public static JObject Operation(string op, string path, JToken value)
        {
            var operation = new JObject { ["op"] = op };
            if (path != null) operation["path"] = path;
            if (value != null) operation["value"] = value;
            return operation;
        }

        private async Task<JObject> SendAsync(HttpMethod method, string relative, JObject body, CancellationToken cancellationToken)
        {
            var uri = new Uri(_base + "/" + relative);
            var request = new HttpRequestMessage(method, uri);
            request.Headers.Accept.ParseAdd(MediaType);
            if (body != null)
                request.Content = new StringContent(body.ToString(Formatting.None), Encoding.UTF8, MediaType);

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException e) when (e.Message.StartsWith("Too many redirects", StringComparison.Ordinal))
            {
                throw new ScimException("DropboxRedirectLoop", DbxErrorCategory.InvalidResult, $"Dropbox redirected {method} {uri.AbsolutePath} too many times.", 0, null, e.Message, e, TenantUrl);
            }
            catch (HttpRequestException e)
            {
                throw new ScimException("DropboxUnreachable", DbxErrorCategory.ConnectionError, $"Could not reach Dropbox at {TenantUrl.GetLeftPart(UriPartial.Authority)}: {e.Message}", 0, null, e.Message, e, TenantUrl);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ScimException("DropboxTimeout", DbxErrorCategory.OperationStopped, $"Dropbox did not answer {method} {uri.AbsolutePath} in time.", 0, null, "timeout", e, TenantUrl);
            }

            using (response)
            {
                // JSON is UTF-8 (RFC 8259): read the bytes as such, whatever charset the Content-Type claims.
                var bytes = response.Content == null ? new byte[0] : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                var text = new UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF');
                if (!response.IsSuccessStatusCode) throw Failure(response.StatusCode, text, method, uri);
                if (response.StatusCode == HttpStatusCode.NoContent || string.IsNullOrWhiteSpace(text)) return null;
                JObject resource;
                try
                {
                    resource = Serialization.JsonText.ParseObject(text);
                }
                catch (JsonException e)
                {
                    throw new ScimException("DropboxInvalidResponse", DbxErrorCategory.InvalidResult, $"Dropbox answered {method} {uri.AbsolutePath} with a body that is not JSON.", (int)response.StatusCode, null, e.Message, e, TenantUrl);
                }
                if (!relative.StartsWith("Users?", StringComparison.Ordinal) && !relative.StartsWith("Groups?", StringComparison.Ordinal))
                    CheckResource(resource, method, uri.AbsolutePath);
                return resource;
            }
        }

        /// <summary>The fields the engine reads as text must be text: a resource of another shape is refused here, not deep in a cycle.</summary>
        private void CheckResource(JObject resource, HttpMethod method, string what)
        {
            foreach (var name in new[] { "id", "userName", "externalId", "displayName" })
            {
                var value = resource[name];
                if (value != null && value.Type != JTokenType.Null && value.Type != JTokenType.String)
                    throw InvalidShape(method, what, $"{name} is not a string");
            }
        }

        private ScimException InvalidShape(HttpMethod method, string what, string problem) =>
            new ScimException("DropboxInvalidResponse", DbxErrorCategory.InvalidResult, $"Dropbox answered {method} {what} with JSON of another shape: {problem}.", 0, null, problem, target: TenantUrl);

        /// <summary>A string value's text; null when missing or not a string.</summary>
        internal static string Text(JToken token) => token is JValue value && value.Type == JTokenType.String ? (string)value : null;

        /// <summary>An integer value (or a string of digits), null when missing or of another kind.</summary>
        internal static int? Integer(JToken token)
        {
            if (!(token is JValue value)) return null;
            if (value.Type == JTokenType.Integer) return value.Value is long l && l >= int.MinValue && l <= int.MaxValue ? (int?)l : value.Value is int i ? i : (int?)null;
            if (value.Type == JTokenType.String && int.TryParse((string)value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed)) return parsed;
            return null;
        }

        private ScimException Failure(HttpStatusCode status, string text, HttpMethod method, Uri uri)
        {
            string scimType = null, detail = null;
            try
            {
                var error = Serialization.JsonText.ParseObject(text);
                scimType = Text(error["scimType"]);
                detail = Text(error["detail"]);
            }
            catch (JsonException) { }
            var code = (int)status;
            detail = DropboxLimits.Shorten(detail);
            scimType = DropboxLimits.Shorten(scimType);
            var message = $"Dropbox answered {code}{(scimType == null ? "" : " " + scimType)} to {method} {DropboxLimits.Shorten(uri.AbsolutePath)}" + (detail == null ? "." : ": " + detail);
            switch (code)
            {
                case 401:
                    return new ScimException("DropboxUnauthorized", DbxErrorCategory.AuthenticationError,
                        $"Dropbox refused the secret token (401) at {TenantUrl}. Check -SecretToken, and that the token belongs to a Dropbox team admin.", code, scimType, detail, target: TenantUrl);
                case 403:
                    return new ScimException("DropboxForbidden", DbxErrorCategory.PermissionDenied, message + " The token's account needs Dropbox team admin permissions.", code, scimType, detail, target: TenantUrl);
                case 404:
                    return new ScimException("DropboxNotFound", DbxErrorCategory.ObjectNotFound, message, code, scimType, detail, target: uri.AbsolutePath);
                case 409:
                    return new ScimException("DropboxConflict", DbxErrorCategory.ResourceExists, message, code, scimType, detail, target: uri.AbsolutePath);
                case 429:
                    return new ScimException("DropboxThrottled", DbxErrorCategory.LimitsExceeded, message, code, scimType, detail, target: uri.AbsolutePath);
                default:
                    return code >= 500
                        ? new ScimException("DropboxServerError", DbxErrorCategory.ResourceUnavailable, message, code, scimType, detail, target: uri.AbsolutePath)
                        : new ScimException("DropboxRejected", DbxErrorCategory.InvalidData, message, code, scimType, detail, target: uri.AbsolutePath);
            }
        }
    }
}
