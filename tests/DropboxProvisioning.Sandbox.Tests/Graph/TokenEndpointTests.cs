using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Graph
{
    public class TokenEndpointTests
    {
        private static SandboxTenant NewTenant() => new SandboxTenant(new DirectoryModel(), new DropboxTeam());

        private static FormUrlEncodedContent Form(params (string, string)[] fields)
        {
            var list = new List<KeyValuePair<string, string>>();
            foreach (var (k, v) in fields) list.Add(new KeyValuePair<string, string>(k, v));
            return new FormUrlEncodedContent(list);
        }

        private static async Task<(HttpStatusCode Status, JObject Body)> PostToken(SandboxTenant tenant, string tenantId, string secret, string clientId = SandboxCredentials.ClientId)
        {
            var client = new HttpClient(tenant.CreateHandler());
            var response = await client.PostAsync($"https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token", Form(
                ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret),
                ("scope", "https://graph.microsoft.com/.default")));
            return (response.StatusCode, JObject.Parse(await response.Content.ReadAsStringAsync()));
        }

        [Fact]
        public async Task Client_secret_gets_a_token_that_graph_accepts()
        {
            var tenant = NewTenant();
            var (status, body) = await PostToken(tenant, SandboxCredentials.TenantId, SandboxCredentials.ClientSecret);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Bearer", (string)body["token_type"]);
            Assert.Equal(3599, (int)body["expires_in"]);
            Assert.Equal(3599, (int)body["ext_expires_in"]);

            var graph = new HttpClient(tenant.CreateHandler());
            graph.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (string)body["access_token"]);
            var response = await graph.GetAsync("https://graph.microsoft.com/v1.0/users");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        [Fact]
        public async Task Wrong_secret_unknown_tenant_and_unknown_client_answer_like_entra()
        {
            var tenant = NewTenant();
            var (status, body) = await PostToken(tenant, SandboxCredentials.TenantId, "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("invalid_client", (string)body["error"]);
            Assert.StartsWith("AADSTS7000215: Invalid client secret provided.", (string)body["error_description"]);
            Assert.Equal(7000215, (int)body["error_codes"][0]);

            (status, body) = await PostToken(tenant, "11111111-2222-3333-4444-555555555555", SandboxCredentials.ClientSecret);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(90002, (int)body["error_codes"][0]);

            (status, body) = await PostToken(tenant, SandboxCredentials.TenantId, SandboxCredentials.ClientSecret, clientId: Guid.Empty.ToString());
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("unauthorized_client", (string)body["error"]);
            Assert.Equal(700016, (int)body["error_codes"][0]);
        }

        [Fact]
        public async Task Certificate_assertion_signed_by_a_registered_certificate_gets_a_token()
        {
            var tenant = NewTenant();
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=sandbox-app", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var endpoint = $"https://login.microsoftonline.com/{SandboxCredentials.TenantId}/oauth2/v2.0/token";
            var assertion = Jwt(rsa, cert, endpoint);

            async Task<HttpResponseMessage> Send(string jwt) => await new HttpClient(tenant.CreateHandler()).PostAsync(endpoint, Form(
                ("grant_type", "client_credentials"), ("client_id", SandboxCredentials.ClientId),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", jwt),
                ("scope", "https://graph.microsoft.com/.default")));

            var refused = await Send(assertion); // not registered yet
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("AADSTS700027", await refused.Content.ReadAsStringAsync());

            tenant.Directory.RegisterCertificate(cert);
            var accepted = await Send(assertion);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

            using var otherKey = RSA.Create(2048);
            var forged = await Send(Jwt(otherKey, cert, endpoint));
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        [Fact]
        public async Task Managed_identity_endpoint_issues_a_graph_token()
        {
            var tenant = NewTenant();
            var client = new HttpClient(tenant.CreateHandler());
            var missing = await client.GetAsync("http://localhost/msi/token?resource=https://graph.microsoft.com&api-version=2019-08-01");
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

            var request = new HttpRequestMessage(HttpMethod.Get, "http://localhost/msi/token?resource=https://graph.microsoft.com&api-version=2019-08-01");
            request.Headers.Add("X-IDENTITY-HEADER", "anything");
            var response = await client.SendAsync(request);
            var body = JObject.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Bearer", (string)body["token_type"]);
            Assert.True(long.Parse((string)body["expires_on"]) > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            Assert.True(tenant.Directory.ValidateAccessToken((string)body["access_token"]));
        }

        private static string Jwt(RSA key, X509Certificate2 cert, string audience)
        {
            static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var header = new JObject { ["alg"] = "RS256", ["typ"] = "JWT", ["x5t"] = B64(cert.GetCertHash()) };
            var payload = new JObject
            {
                ["aud"] = audience, ["iss"] = SandboxCredentials.ClientId, ["sub"] = SandboxCredentials.ClientId,
                ["jti"] = Guid.NewGuid().ToString(), ["nbf"] = now, ["exp"] = now + 600,
            };
            var signed = B64(Encoding.UTF8.GetBytes(header.ToString(Newtonsoft.Json.Formatting.None))) + "." + B64(Encoding.UTF8.GetBytes(payload.ToString(Newtonsoft.Json.Formatting.None)));
            return signed + "." + B64(key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
    }
}
