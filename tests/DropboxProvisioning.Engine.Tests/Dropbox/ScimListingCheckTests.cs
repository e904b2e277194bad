using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Http;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Dropbox
{
    /// <summary>ScimClient.ListAllAsync checks every page (RFC 7644 §3.4.2.4) before anything is handed on.</summary>
    public sealed class ScimListingCheckTests
    {
        /// <summary>A server whose pages are made by a function of (startIndex, count) → (totalResults, reported startIndex, ids).</summary>
        private sealed class Pages : HttpMessageHandler
        {
            private readonly Func<int, int, (int? Total, int? Start, IEnumerable<string> Ids)> _page;
            public int Calls;
            public Pages(Func<int, int, (int? Total, int? Start, IEnumerable<string> Ids)> page) { _page = page; }
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Calls++;
                var query = request.RequestUri.Query.TrimStart('?').Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
                var (total, start, ids) = _page(int.Parse(query["startIndex"]), int.Parse(query["count"]));
                var body = new JObject { ["schemas"] = new JArray("urn:ietf:params:scim:api:messages:2.0:ListResponse"), ["Resources"] = new JArray(ids.Select(id => new JObject { ["id"] = id, ["userName"] = id + "@contoso.com" })) };
                if (total != null) body["totalResults"] = total;
                if (start != null) body["startIndex"] = start;
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent(body.ToString(), Encoding.UTF8, "application/scim+json") });
            }
        }

        private static IEnumerable<string> Range(int from, int count, int total) => Enumerable.Range(from, Math.Max(0, Math.Min(count, total - from + 1))).Select(i => "u" + i);

        private static async Task<(List<string> Listed, Exception Error, int Calls)> List(Func<int, int, (int?, int?, IEnumerable<string>)> page)
        {
            var pages = new Pages(page);
            using var http = HttpPipeline.Create(null, pages, TimeSpan.FromSeconds(10));
            var scim = new ScimClient(http, new Uri("https://www.dropbox.com/scim/v2"));
            var listed = new List<string>();
            Exception error = null;
            try { await scim.ListAllAsync("Users", u => listed.Add((string)u["id"]), default); }
            catch (ScimException e) { error = e; }
            return (listed, error, pages.Calls);
        }

        [Fact]
        public async Task Short_pages_are_followed_to_totalResults_and_one_empty_page_past_it_ends_the_listing()
        {
            var (listed, error, calls) = await List((start, count) => (2500, start, Range(start, Math.Min(count, 300), 2500)));
            Assert.Null(error);
            Assert.Equal(2500, listed.Distinct().Count());
            Assert.Equal(10, calls); // 9 pages of at most 300, and the empty one past the total
        }

        [Fact]
        public async Task Without_totalResults_the_listing_goes_on_to_an_empty_page()
        {
            var (listed, error, _) = await List((start, count) => (null, start, Range(start, 40, 100)));
            Assert.Null(error);
            Assert.Equal(100, listed.Count);
        }

        [Theory]
        [InlineData("startIndex")]
        [InlineData("repeat")]
        [InlineData("capped total")]
        [InlineData("total changes")]
        [InlineData("ends early")]
        [InlineData("more than the total")]
        public async Task A_listing_that_does_not_hold_together_is_DropboxListingInconsistent(string how)
        {
            Func<int, int, (int?, int?, IEnumerable<string>)> page;
            switch (how)
            {
                case "startIndex": page = (start, count) => (50, 1, Range(1, 10, 50)); break;
                case "repeat": page = (start, count) => (50, start, Range(Math.Max(1, start - 1), 10, 50)); break;
                case "capped total": page = (start, count) => (10, start, Range(start, 10, 50)); break;
                case "total changes": page = (start, count) => (start == 1 ? 50 : 51, start, Range(start, 10, 50)); break;
                case "ends early": page = (start, count) => (50, start, start > 20 ? Enumerable.Empty<string>() : Range(start, 10, 50)); break;
                default: page = (start, count) => (5, start, Range(start, 7, 7)); break;
            }
            var (_, error, _) = await List(page);
            var e = Assert.IsType<ScimException>(error);
            Assert.Equal("DropboxListingInconsistent", e.Condition);
        }
    }
}
