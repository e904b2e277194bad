using System;
using System.Collections.Generic;
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

        public Task TestAsync(CancellationToken cancellationToken) => ListUsersAsync(1, 1, null, cancellationToken);

        public async Task<JObject> FindAsync(string resource, string attribute, string value, CancellationToken cancellationToken)
        {
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
            if (body?["Resources"] is JArray array)
                foreach (var item in array) if (item is JObject o) items.Add(o);
            return new ScimListPage((int?)body?["totalResults"] ?? items.Count, (int?)body?["startIndex"] ?? startIndex, items);
        }

        /// <summary>Pages through a whole resource type with the largest page the endpoint allows.</summary>
        public async Task ListAllAsync(string resource, Action<JObject> onItem, CancellationToken cancellationToken)
        {
            var start = 1;
            while (true)
            {
                var page = await ListAsync(resource, start, MaxPageSize, null, resource == "Groups" ? "members" : null, cancellationToken).ConfigureAwait(false);
                foreach (var item in page.Resources) onItem(item);
                start += page.Resources.Count;
                if (page.Resources.Count == 0 || start > page.TotalResults) return;
            }
        }

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
                var text = response.Content == null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (!response.IsSuccessStatusCode) throw Failure(response.StatusCode, text, method, uri);
                if (response.StatusCode == HttpStatusCode.NoContent || string.IsNullOrWhiteSpace(text)) return null;
                try
                {
                    return JObject.Parse(text);
                }
                catch (JsonException e)
                {
                    throw new ScimException("DropboxInvalidResponse", DbxErrorCategory.InvalidResult, $"Dropbox answered {method} {uri.AbsolutePath} with a body that is not JSON.", (int)response.StatusCode, null, e.Message, e, TenantUrl);
                }
            }
        }

        private ScimException Failure(HttpStatusCode status, string text, HttpMethod method, Uri uri)
        {
            string scimType = null, detail = null;
            try
            {
                var error = JObject.Parse(text);
                scimType = (string)error["scimType"];
                detail = (string)error["detail"];
            }
            catch (JsonException) { }
            var code = (int)status;
            var message = $"Dropbox answered {code}{(scimType == null ? "" : " " + scimType)} to {method} {uri.AbsolutePath}" + (detail == null ? "." : ": " + detail);
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
