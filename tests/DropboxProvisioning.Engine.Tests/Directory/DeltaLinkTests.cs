using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Http;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Directory
{
    /// <summary>Delta links: every documented form of "this link is no longer valid", and stored links that leave Graph.</summary>
    public sealed class DeltaLinkTests
    {
        private sealed class Answer : HttpMessageHandler
        {
            private readonly int _status;
            private readonly string _code;
            public readonly List<Uri> Asked = new List<Uri>();
            public Answer(int status, string code) { _status = status; _code = code; }
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Asked.Add(request.RequestUri);
                var body = "{\"error\":{\"code\":\"" + _code + "\",\"message\":\"The sync state generation is not found.\"}}";
                return Task.FromResult(new HttpResponseMessage((HttpStatusCode)_status) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, "application/json") });
            }
        }

        private static async Task<DbxException> Delta(HttpMessageHandler handler, string link)
        {
            using var http = HttpPipeline.Create(null, handler, TimeSpan.FromSeconds(10));
            var graph = new GraphDirectoryClient(http, new Uri("https://graph.microsoft.com"));
            return await Assert.ThrowsAsync<DbxException>(() => graph.DeltaAsync("users", "id", link, _ => { }, default));
        }

        [Theory]
        [InlineData(400, "syncStateNotFound")]
        [InlineData(400, "SyncStateNotFound")]
        [InlineData(400, "resyncRequired")]
        [InlineData(404, "syncStateNotFound")]
        [InlineData(410, "resyncRequired")]
        [InlineData(410, "anything")]
        public async Task Every_documented_form_of_an_expired_delta_link_is_GraphDeltaExpired(int status, string code)
        {
            var e = await Delta(new Answer(status, code), "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc");
            Assert.Equal("GraphDeltaExpired", e.Condition);
        }

        [Fact]
        public async Task Another_400_is_not_taken_for_an_expired_link()
        {
            var e = await Delta(new Answer(400, "Request_BadRequest"), "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc");
            Assert.Equal("GraphRequestFailed", e.Condition);
        }

        [Theory]
        [InlineData("https://attacker.example/v1.0/users/delta?$deltatoken=abc", "GraphForeignDeltaLink")]
        [InlineData("http://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc", "GraphForeignDeltaLink")]
        [InlineData("https://graph.microsoft.com:8443/v1.0/users/delta?$deltatoken=abc", "GraphForeignDeltaLink")]
        [InlineData("https://graph.microsoft.com/v1.0/servicePrincipals/x/appRoleAssignedTo", "GraphDeltaLinkInvalid")]
        [InlineData("/v1.0/users/delta?$deltatoken=abc", "GraphDeltaLinkInvalid")]
        [InlineData("file:///etc/passwd", "GraphDeltaLinkInvalid")]
        public async Task A_stored_delta_link_off_the_Graph_host_or_resource_is_refused_before_any_request(string link, string condition)
        {
            var handler = new Answer(200, "unused");
            var e = await Delta(handler, link);
            Assert.Equal(condition, e.Condition);
            Assert.Empty(handler.Asked);
        }
    }
}
