using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Security
{
    /// <summary>
    /// The managed identity of an Azure Automation account (or App Service): the platform publishes
    /// IDENTITY_ENDPOINT and IDENTITY_HEADER, and hands out tokens for a resource on request.
    /// </summary>
    public sealed class ManagedIdentityTokenSource : IAccessTokenSource
    {
        private readonly HttpClient _http;
        private readonly Uri _endpoint;
        private readonly string _header;
        private readonly string _resource;
        private readonly string _clientId;
        private string _token;
        private DateTimeOffset _expires;

        /// <summary>Decides when the token has expired.</summary>
        internal Time.IClock Clock { get; set; } = Time.SystemClock.Instance;

        public ManagedIdentityTokenSource(HttpClient http, Uri endpoint, string identityHeader, string resource, string clientId = null)
        {
            _http = http;
            _endpoint = endpoint;
            _header = identityHeader;
            _resource = resource;
            _clientId = clientId;
        }

        /// <summary>Reads the endpoint from the environment Azure Automation sets up; fails clearly outside it.</summary>
        /// <param name="clock">The connection's clock; null for the machine's.</param>
        public static ManagedIdentityTokenSource FromEnvironment(HttpClient http, string resource, string clientId = null, Time.IClock clock = null)
        {
            var endpoint = Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT");
            var header = Environment.GetEnvironmentVariable("IDENTITY_HEADER");
            if (string.IsNullOrEmpty(endpoint) || string.IsNullOrEmpty(header) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
                throw new DbxException("ManagedIdentityUnavailable", DbxErrorCategory.ResourceUnavailable,
                    "No managed identity is available here: IDENTITY_ENDPOINT and IDENTITY_HEADER are not set. Use -ManagedIdentity in an Azure Automation runbook with a managed identity enabled.");
            return new ManagedIdentityTokenSource(http, uri, header, resource, clientId) { Clock = clock ?? Time.SystemClock.Instance };
        }

        /// <summary>When the cached token is to be renewed (five minutes before it expires).</summary>
        internal DateTimeOffset RenewAt => _expires;

        public bool CanRenew => true;
        public void Invalidate() { _token = null; }

        public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            if (_token != null && Clock.UtcNow < _expires) return _token;
            var query = $"resource={Uri.EscapeDataString(_resource)}&api-version=2019-08-01" + (_clientId == null ? "" : "&client_id=" + Uri.EscapeDataString(_clientId));
            var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(_endpoint) { Query = query }.Uri);
            request.Headers.TryAddWithoutValidation("X-IDENTITY-HEADER", _header);
            using (var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false))
            {
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                JObject body = null;
                try { body = Serialization.JsonText.ParseObject(text); } catch (Newtonsoft.Json.JsonException) { }
                if (!response.IsSuccessStatusCode || body?["access_token"] == null)
                    throw new DbxException("ManagedIdentityFailed", DbxErrorCategory.AuthenticationError,
                        $"The managed identity endpoint refused a token for {_resource}: HTTP {(int)response.StatusCode} {(string)body?["error_description"] ?? (string)body?["message"]}");
                _token = (string)body["access_token"];
                var expiresOn = (long?)body["expires_on"];
                _expires = expiresOn.HasValue ? DateTimeOffset.FromUnixTimeSeconds(expiresOn.Value).AddMinutes(-5) : Clock.UtcNow.AddMinutes(30);
                return _token;
            }
        }
    }
}
