using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Http;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Http
{
    /// <summary>When the retry handler gives up, the last answer comes back as an answer, never as a foreign exception.</summary>
    public sealed class RetriesExhaustedTests
    {
        private sealed class Always : HttpMessageHandler
        {
            private readonly int _status;
            public int Calls;
            public Always(int status) { _status = status; }
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref Calls);
                var response = new HttpResponseMessage((HttpStatusCode)_status)
                {
                    RequestMessage = request,
                    Content = new StringContent("{\"status\":\"" + _status + "\",\"detail\":\"slow down\",\"error\":{\"code\":\"TooManyRequests\",\"message\":\"slow down\"}}", Encoding.UTF8, "application/json"),
                };
                response.Headers.TryAddWithoutValidation("Retry-After", "0");
                return Task.FromResult(response);
            }
        }

        [Theory]
        [InlineData(429)]
        [InlineData(503)]
        [InlineData(504)]
        public async Task The_last_answer_is_handed_back_after_the_last_retry(int status)
        {
            var final = new Always(status);
            using var http = HttpPipeline.Create(null, final, TimeSpan.FromSeconds(10));
            var response = await http.GetAsync("https://www.dropbox.com/scim/v2/Users");
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal(HttpPipeline.MaxRetries + 1, final.Calls);
            Assert.Contains("slow down", await response.Content.ReadAsStringAsync());
            Assert.True(response.Headers.Contains("X-Dbx-Retries-Exhausted"));
        }

        [Fact]
        public async Task The_SCIM_client_reports_a_throttled_request_as_its_own_error()
        {
            using var http = HttpPipeline.Create(null, new Always(429), TimeSpan.FromSeconds(10));
            var scim = new ScimClient(http, new Uri("https://www.dropbox.com/scim/v2"));
            var e = await Assert.ThrowsAsync<ScimException>(() => scim.CreateAsync("Users", new Newtonsoft.Json.Linq.JObject(), default));
            Assert.Equal("DropboxThrottled", e.Condition);
            Assert.Equal(429, e.StatusCode);
            Assert.Equal("slow down", e.Detail);
        }

        [Fact]
        public async Task The_Graph_client_reports_a_throttled_request_as_its_own_error()
        {
            using var http = HttpPipeline.Create(null, new Always(429), TimeSpan.FromSeconds(10));
            var graph = new GraphDirectoryClient(http, new Uri("https://graph.microsoft.com"));
            var e = await Assert.ThrowsAsync<DbxException>(() => graph.GetUserAsync("x", "id", default));
            Assert.Equal("GraphThrottled", e.Condition);
        }
    }
}

namespace DropboxProvisioning.Engine.Tests.Http
{
    /// <summary>Paging links are followed only on Graph's own host: a bearer token never goes elsewhere.</summary>
    public sealed class GraphLinkTests
    {
        private sealed class Pages : HttpMessageHandler
        {
            public readonly System.Collections.Generic.List<Uri> Asked = new System.Collections.Generic.List<Uri>();
            private readonly string _next;
            public Pages(string next) { _next = next; }
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Asked.Add(request.RequestUri);
                var body = Asked.Count == 1 ? "{\"value\":[{\"id\":\"1\"}],\"@odata.nextLink\":\"" + _next + "\"}" : "{\"value\":[]}";
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, "application/json") });
            }
        }

        [Theory]
        [InlineData("https://attacker.example/v1.0/users?$skiptoken=x", "GraphForeignLink")]
        [InlineData("http://graph.microsoft.com/v1.0/users?$skiptoken=x", "GraphForeignLink")]
        [InlineData("/v1.0/users?$skiptoken=x", "GraphInvalidResponse")]
        [InlineData("not a link", "GraphInvalidResponse")]
        public async Task A_nextLink_elsewhere_is_refused_and_not_followed(string next, string condition)
        {
            var pages = new Pages(next);
            using var http = HttpPipeline.Create(null, pages, TimeSpan.FromSeconds(10));
            var graph = new GraphDirectoryClient(http, new Uri("https://graph.microsoft.com"));
            var e = await Assert.ThrowsAsync<DbxException>(() => graph.ListUsersAsync("id", _ => { }, default));
            Assert.Equal(condition, e.Condition);
            Assert.Single(pages.Asked);
        }

        [Fact]
        public async Task A_nextLink_on_the_same_host_is_followed()
        {
            var pages = new Pages("https://graph.microsoft.com/v1.0/users?$skiptoken=x");
            using var http = HttpPipeline.Create(null, pages, TimeSpan.FromSeconds(10));
            var graph = new GraphDirectoryClient(http, new Uri("https://graph.microsoft.com"));
            await graph.ListUsersAsync("id", _ => { }, default);
            Assert.Equal(2, pages.Asked.Count);
        }
    }
}
