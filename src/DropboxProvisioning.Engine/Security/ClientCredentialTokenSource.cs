using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Security
{
    /// <summary>
    /// OAuth 2 client credentials against Microsoft Entra ID (v2.0 token endpoint), with a client secret
    /// or a certificate (RS256 client assertion). Tokens are cached until five minutes before they expire.
    /// </summary>
    public sealed class ClientCredentialTokenSource : IAccessTokenSource
    {
        private readonly HttpClient _http;
        private readonly Uri _tokenEndpoint;
        private readonly string _clientId;
        private readonly SecureString _secret;
        private readonly X509Certificate2 _certificate;
        private readonly string _scope;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private string _token;
        private DateTimeOffset _expires;

        /// <summary>Decides when the token has expired, and stamps the client assertion (the connection's clock).</summary>
        internal Time.IClock Clock { get; set; } = Time.SystemClock.Instance;

        private ClientCredentialTokenSource(HttpClient http, Uri authorityHost, string tenantId, string clientId, string scope, SecureString secret, X509Certificate2 certificate)
        {
            _http = http;
            _tokenEndpoint = new Uri(authorityHost, $"/{Uri.EscapeDataString(tenantId)}/oauth2/v2.0/token");
            _clientId = clientId;
            _scope = scope;
            _secret = secret?.Copy();
            _secret?.MakeReadOnly();
            _certificate = certificate;
        }

        /// <param name="clock">The connection's clock; null for the machine's.</param>
        public static ClientCredentialTokenSource WithSecret(HttpClient http, Uri authorityHost, string tenantId, string clientId, string scope, SecureString secret, Time.IClock clock = null)
            => new ClientCredentialTokenSource(http, authorityHost, tenantId, clientId, scope, secret, null) { Clock = clock ?? Time.SystemClock.Instance };

        /// <param name="clock">The connection's clock; null for the machine's.</param>
        public static ClientCredentialTokenSource WithCertificate(HttpClient http, Uri authorityHost, string tenantId, string clientId, string scope, X509Certificate2 certificate, Time.IClock clock = null)
            => new ClientCredentialTokenSource(http, authorityHost, tenantId, clientId, scope, null, certificate) { Clock = clock ?? Time.SystemClock.Instance };

        public bool CanRenew => true;

        public void Invalidate() { _token = null; }

        public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            if (_token != null && Clock.UtcNow < _expires) return _token;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_token != null && Clock.UtcNow < _expires) return _token;
                var form = new List<KeyValuePair<string, string>>
                {
                    new KeyValuePair<string, string>("grant_type", "client_credentials"),
                    new KeyValuePair<string, string>("client_id", _clientId),
                    new KeyValuePair<string, string>("scope", _scope),
                };
                if (_certificate != null)
                {
                    form.Add(new KeyValuePair<string, string>("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
                    form.Add(new KeyValuePair<string, string>("client_assertion", ClientAssertion()));
                }
                else
                {
                    form.Add(new KeyValuePair<string, string>("client_secret", SecureStrings.Reveal(_secret)));
                }

                HttpResponseMessage response;
                try
                {
                    response = await _http.PostAsync(_tokenEndpoint, new FormUrlEncodedContent(form), cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException e)
                {
                    throw new DbxException("GraphTokenUnreachable", DbxErrorCategory.ConnectionError,
                        $"Could not reach the Microsoft Entra token endpoint {_tokenEndpoint.GetLeftPart(UriPartial.Authority)}: {e.Message}", e, _tokenEndpoint);
                }
                catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new DbxException("GraphTokenTimeout", DbxErrorCategory.OperationStopped,
                        $"The Microsoft Entra token endpoint {_tokenEndpoint.GetLeftPart(UriPartial.Authority)} did not answer in time.", e, _tokenEndpoint);
                }
                using (response)
                {
                    var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    JObject body = null;
                    try { body = Serialization.JsonText.ParseObject(text); } catch (Newtonsoft.Json.JsonException) { }
                    var token = body?["access_token"] as JValue;
                    if (response.IsSuccessStatusCode && (token == null || token.Type != JTokenType.String || string.IsNullOrWhiteSpace((string)token)))
                        throw new DbxException("GraphTokenInvalidResponse", DbxErrorCategory.InvalidResult,
                            $"The Microsoft Entra token endpoint answered HTTP {(int)response.StatusCode} without an access token (the answer was {(body == null ? "not JSON" : "JSON of another shape")}).", target: _tokenEndpoint);
                    if (!response.IsSuccessStatusCode)
                    {
                        var description = Text(body?["error_description"]) ?? Text(body?["error"]) ?? $"HTTP {(int)response.StatusCode}";
                        throw new DbxException("GraphAuthenticationFailed", DbxErrorCategory.AuthenticationError,
                            $"Microsoft Entra ID refused the client credentials of application {_clientId}: {FirstLine(description)}", target: _clientId);
                    }
                    _token = (string)token;
                    var expiresIn = body["expires_in"] as JValue;
                    var lifetime = expiresIn != null && long.TryParse(Convert.ToString(expiresIn.Value, System.Globalization.CultureInfo.InvariantCulture), out var seconds)
                        ? (int)Math.Min(Math.Max(seconds, 0), int.MaxValue) : 3599;
                    _expires = Clock.UtcNow.AddSeconds(Math.Max(60, lifetime - 300));
                    return _token;
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>A string property's text; null when it is missing or not a string (an answer of another shape).</summary>
        private static string Text(JToken token) => token is JValue value && value.Type == JTokenType.String ? (string)value : null;

        private static string FirstLine(string text)
        {
            var end = text.IndexOfAny(new[] { '\r', '\n' });
            return end < 0 ? text : text.Substring(0, end);
        }

        /// <summary>The signed JWT Entra accepts in place of a secret (x5t = certificate thumbprint, base64url).</summary>
        private string ClientAssertion()
        {
            var now = Clock.UtcNow.ToUnixTimeSeconds();
            var header = new JObject { ["alg"] = "RS256", ["typ"] = "JWT", ["x5t"] = Base64Url(_certificate.GetCertHash()) };
            var claims = new JObject
            {
                ["aud"] = _tokenEndpoint.ToString(),
                ["iss"] = _clientId,
                ["sub"] = _clientId,
                ["jti"] = Guid.NewGuid().ToString(),
                ["nbf"] = now,
                ["exp"] = now + 600,
            };
            var unsigned = Base64Url(Encoding.UTF8.GetBytes(header.ToString(Newtonsoft.Json.Formatting.None))) + "." +
                           Base64Url(Encoding.UTF8.GetBytes(claims.ToString(Newtonsoft.Json.Formatting.None)));
            using (var rsa = _certificate.GetRSAPrivateKey())
            {
                if (rsa == null)
                    throw new DbxException("CertificateWithoutPrivateKey", DbxErrorCategory.InvalidArgument,
                        $"Certificate {_certificate.Thumbprint} has no RSA private key this process can use.", target: _certificate.Thumbprint);
                var signature = rsa.SignData(Encoding.ASCII.GetBytes(unsigned), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return unsigned + "." + Base64Url(signature);
            }
        }

        private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
