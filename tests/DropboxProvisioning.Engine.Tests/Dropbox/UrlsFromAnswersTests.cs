using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox.Api;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Dropbox.TeamApi;
using DropboxProvisioning.Http;
using DropboxProvisioning.Security;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Dropbox
{
    /// <summary>
    /// URLs in Dropbox's answers (a SCIM Location header and meta.location, a Team API async job id shaped like a link) are
    /// never followed: every request goes to the configured endpoint, so no answer can send the token elsewhere.
    /// </summary>
    public sealed class UrlsFromAnswersTests
    {
        private sealed class Recorder : HttpMessageHandler
        {
            private readonly Func<HttpRequestMessage, int, HttpResponseMessage> _answer;
            public readonly List<(Uri Uri, string Body)> Asked = new List<(Uri, string)>();
            public Recorder(Func<HttpRequestMessage, int, HttpResponseMessage> answer) { _answer = answer; }
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Asked.Add((request.RequestUri, request.Content == null ? null : await request.Content.ReadAsStringAsync()));
                var response = _answer(request, Asked.Count);
                response.RequestMessage = request;
                return response;
            }
        }

        private static HttpResponseMessage Json(HttpStatusCode status, JObject body, string mediaType = "application/json") =>
            new HttpResponseMessage(status) { Content = new StringContent(body.ToString(), Encoding.UTF8, mediaType) };

        private static SecureString Secret(string text)
        {
            var secret = new SecureString();
            foreach (var c in text) secret.AppendChar(c);
            return secret;
        }

        [Fact]
        public async Task A_SCIM_Location_elsewhere_is_never_followed()
        {
            const string foreign = "https://attacker.example/scim/v2/Users/u1";
            var handler = new Recorder((request, n) =>
            {
                var user = new JObject { ["schemas"] = new JArray(ScimClient.UserSchema), ["id"] = "u1", ["userName"] = "a@contoso.com", ["meta"] = new JObject { ["location"] = foreign } };
                var response = Json(request.Method == HttpMethod.Post ? HttpStatusCode.Created : HttpStatusCode.OK, user, "application/scim+json");
                response.Headers.Location = new Uri(foreign);
                return response;
            });
            using var http = HttpPipeline.Create(null, handler, TimeSpan.FromSeconds(10));
            var scim = new ScimClient(http, new Uri("https://www.dropbox.com/scim/v2"));
            var created = await scim.CreateAsync("Users", new JObject { ["userName"] = "a@contoso.com" }, default);
            await scim.PatchAsync("Users", (string)created["id"], new[] { ScimClient.Operation("replace", "active", false) }, default);
            await scim.GetAsync("Users", (string)created["id"], default);
            Assert.Equal(3, handler.Asked.Count);
            Assert.All(handler.Asked, a => Assert.Equal("www.dropbox.com", a.Uri.Host));
        }

        [Fact]
        public async Task A_Team_API_job_id_shaped_like_a_link_is_polled_at_the_configured_API_only()
        {
            var handler = new Recorder((request, n) => n == 1
                ? Json(HttpStatusCode.OK, new JObject { [".tag"] = "async_job_id", ["async_job_id"] = "https://attacker.example/2/team/members/add/job_status/get_v2" })
                : Json(HttpStatusCode.OK, new JObject
                {
                    [".tag"] = "complete",
                    ["complete"] = new JArray(new JObject { [".tag"] = "success", ["profile"] = new JObject { ["team_member_id"] = "dbmid:1", ["email"] = "a@contoso.com" } }),
                }));
            using var http = HttpPipeline.Create(null, handler, TimeSpan.FromSeconds(10));
            var api = new DropboxApiClient(http, new Uri("https://api.dropboxapi.com"), new StaticTokenSource(Secret("token")), (wait, ct) => Task.CompletedTask);
            var team = new TeamApiClient(api, (wait, ct) => Task.CompletedTask);
            var added = await team.AddMembersAsync(new[] { new TeamMemberAdd { Email = "a@contoso.com", GivenName = "A", Surname = "B" } }, default);
            Assert.NotNull(Assert.Single(added).Member);
            Assert.Equal(2, handler.Asked.Count);
            Assert.All(handler.Asked, a => Assert.Equal("api.dropboxapi.com", a.Uri.Host));
            Assert.Equal("/2/team/members/add/job_status/get_v2", handler.Asked[1].Uri.AbsolutePath);
            Assert.Equal("https://attacker.example/2/team/members/add/job_status/get_v2", (string)JObject.Parse(handler.Asked[1].Body)["async_job_id"]);
        }
    }
}
