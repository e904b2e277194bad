using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Scim
{
    /// <summary>A sandbox with an HttpClient pointed at its SCIM endpoint, speaking as the Entra provisioning service does.</summary>
    internal sealed class ScimClient : IDisposable
    {
        public ScimClient(SandboxOptions options = null, string token = SandboxCredentials.ScimToken, HttpMessageHandler handler = null,
            Uri baseUri = null, SandboxTenant tenant = null)
        {
            Tenant = tenant ?? new SandboxTenant(new DirectoryModel(), new DropboxTeam(), options);
            Team = Tenant.Dropbox;
            Http = new HttpClient(handler ?? Tenant.CreateHandler()) { BaseAddress = new Uri((baseUri?.ToString() ?? "https://www.dropbox.com/scim/v2").TrimEnd('/') + "/") };
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        public DropboxTeam Team { get; }
        public SandboxTenant Tenant { get; }
        public HttpClient Http { get; }

        public static string Query(string filter) => Uri.EscapeDataString(filter);

        public async Task<(HttpResponseMessage Response, JObject Body)> Send(string method, string path, object body = null, string contentType = "application/scim+json")
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body != null)
            {
                var json = body is string s ? s : JToken.FromObject(body).ToString();
                request.Content = new StringContent(json, Encoding.UTF8, contentType);
            }
            var response = await Http.SendAsync(request);
            var text = response.Content == null ? "" : await response.Content.ReadAsStringAsync();
            return (response, string.IsNullOrWhiteSpace(text) ? null : JObject.Parse(text));
        }

        public Task<(HttpResponseMessage Response, JObject Body)> Get(string path) => Send("GET", path);

        public async Task<JObject> CreateUser(string email, string given = "Ada", string family = "Lovelace", string externalId = null)
        {
            var user = new JObject
            {
                ["schemas"] = new JArray("urn:ietf:params:scim:schemas:core:2.0:User"),
                ["userName"] = email,
                ["active"] = true,
                ["name"] = new JObject { ["givenName"] = given, ["familyName"] = family },
                ["emails"] = new JArray(new JObject { ["value"] = email, ["type"] = "work", ["primary"] = true }),
            };
            if (externalId != null) user["externalId"] = externalId;
            var (response, body) = await Send("POST", "Users", user);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return body;
        }

        public async Task<JObject> CreateGroup(string name, params string[] memberIds)
        {
            var group = new JObject
            {
                ["schemas"] = new JArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
                ["displayName"] = name,
                ["members"] = new JArray(Array.ConvertAll(memberIds, id => (object)new JObject { ["value"] = id })),
            };
            var (response, body) = await Send("POST", "Groups", group);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return body;
        }

        public static JObject Patch(params JObject[] operations) => new JObject
        {
            ["schemas"] = new JArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
            ["Operations"] = new JArray(operations),
        };

        public static JObject Op(string op, string path, JToken value)
        {
            var o = new JObject { ["op"] = op };
            if (path != null) o["path"] = path;
            if (value != null) o["value"] = value;
            return o;
        }

        public void Dispose() => Http.Dispose();
    }
}
