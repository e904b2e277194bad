using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Http;
using DropboxProvisioning.Security;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Http
{
    /// <summary>
    /// The redirect rule over real sockets (a request that carries a secret is never redirected; a redirect is followed
    /// only within the same origin over https or loopback), and secrets kept out of error messages.
    /// </summary>
    public sealed class RedirectAndRedactionTests
    {
        private const string Secret = "s3cr3t-client-value-0123456789";

        [Fact]
        public async Task A_token_request_redirected_to_another_host_sends_it_nothing()
        {
            using var elsewhere = new ScriptedServer((_, response) => { response.StatusCode = 200; return "{\"access_token\":\"stolen\",\"expires_in\":3600}"; });
            using var authority = new ScriptedServer((_, response) =>
            {
                response.StatusCode = 307;
                response.RedirectLocation = new Uri(elsewhere.BaseUri, "/steal").ToString();
                return "";
            });
            using var http = HttpPipeline.Create(null, null, TimeSpan.FromSeconds(20));
            var tokens = ClientCredentialTokenSource.WithSecret(http, authority.BaseUri, "contoso.onmicrosoft.com", Guid.NewGuid().ToString(), "https://graph.microsoft.com/.default", SecureStrings.FromText(Secret));
            var e = await Assert.ThrowsAsync<DbxException>(() => tokens.GetTokenAsync(CancellationToken.None));
            Assert.Equal("RedirectRefused", e.Condition);
            Assert.Equal(DbxErrorCategory.SecurityError, e.Category);
            Assert.Contains(elsewhere.BaseUri.Authority, e.Message);
            Assert.Empty(elsewhere.Received);
            Assert.Contains(Secret, authority.Received.Single().Body); // sent where it was meant to go, and only there
        }

        [Fact]
        public async Task A_bearer_request_is_not_redirected_even_within_its_origin()
        {
            using var server = new ScriptedServer((request, response) =>
            {
                if (request.Path.StartsWith("/a")) { response.StatusCode = 302; response.RedirectLocation = "/b"; return ""; }
                response.StatusCode = 200;
                return "{}";
            });
            using var http = HttpPipeline.Create(new BearerTokenHandler(new StaticTokenSource(SecureStrings.FromText(Secret))), null, TimeSpan.FromSeconds(20));
            var e = await Assert.ThrowsAsync<DbxException>(() => http.GetAsync(new Uri(server.BaseUri, "/a")));
            Assert.Equal("RedirectRefused", e.Condition);
            Assert.Equal(new[] { "/a" }, server.Received.Select(r => r.Path));
        }

        [Fact]
        public async Task A_request_without_a_secret_follows_a_redirect_within_its_loopback_origin_only()
        {
            using var other = new ScriptedServer((_, response) => { response.StatusCode = 200; return "other"; });
            using var server = new ScriptedServer((request, response) =>
            {
                if (request.Path == "/a") { response.StatusCode = 301; response.RedirectLocation = "/b"; return ""; }
                if (request.Path == "/away") { response.StatusCode = 302; response.RedirectLocation = new Uri(other.BaseUri, "/x").ToString(); return ""; }
                response.StatusCode = 200;
                return "here";
            });
            using var http = HttpPipeline.Create(null, null, TimeSpan.FromSeconds(20));
            Assert.Equal("here", await http.GetStringAsync(new Uri(server.BaseUri, "/a")));
            Assert.Equal("RedirectRefused", (await Assert.ThrowsAsync<DbxException>(() => http.GetAsync(new Uri(server.BaseUri, "/away")))).Condition);
            Assert.Empty(other.Received);
        }

        [Fact]
        public async Task A_server_that_echoes_the_authorization_header_does_not_put_the_token_into_an_error()
        {
            const string token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.graph-token-value";
            using var server = new ScriptedServer((request, response) =>
            {
                response.StatusCode = 400;
                response.ContentType = "application/json";
                return "{\"error\":{\"code\":\"BadRequest\",\"message\":\"bad header " + request.Authorization + " and raw " + token + "\"}}";
            });
            using var http = HttpPipeline.Create(new BearerTokenHandler(new StaticTokenSource(SecureStrings.FromText(token))), null, TimeSpan.FromSeconds(20));
            var graph = new DropboxProvisioning.Directory.GraphDirectoryClient(http, server.BaseUri);
            var e = await Assert.ThrowsAnyAsync<DbxException>(() => graph.GetServicePrincipalAsync(Guid.NewGuid().ToString(), CancellationToken.None));
            Assert.DoesNotContain(token, e.ToString());
            Assert.DoesNotContain("graph-token-value", e.Message);
            Assert.Contains("bad header", e.Message);
        }

        [Theory]
        [InlineData("https://admin:Pa55word!x@scim.example.com/v2 failed", "Pa55word!x")]
        [InlineData("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012345")]
        [InlineData("{\"refresh_token\":\"rt-0123456789abcdef\"}", "rt-0123456789abcdef")]
        public void Secrets_are_masked_in_an_error_message(string message, string secret)
        {
            var e = new DbxException("X", DbxErrorCategory.InvalidResult, message, target: new Uri("https://admin:Pa55word!x@scim.example.com/v2"));
            Assert.DoesNotContain(secret, e.Message);
            Assert.DoesNotContain("Pa55word", e.Target.ToString());
        }

        [Fact]
        public void An_insecure_url_is_named_without_its_password()
        {
            var e = Assert.Throws<DbxException>(() => HttpPipeline.RequireSecureOrLoopback(new Uri("http://admin:Pa55word@scim.example.com/v2"), "Dropbox tenant URL"));
            Assert.Equal("InsecureUrl", e.Condition);
            Assert.DoesNotContain("Pa55word", e.Message);
            Assert.Contains("scim.example.com/v2", e.Message);
        }
    }
}
