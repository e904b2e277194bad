using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Tests.Graph
{
    /// <summary>An HttpClient on a sandbox, signed in with a token from the sandbox's own token endpoint.</summary>
    internal static class GraphTestClient
    {
        public const string Host = "https://graph.microsoft.com";

        public static HttpClient Create(SandboxTenant tenant, bool signIn = true, string baseAddress = Host)
        {
            var client = new HttpClient(tenant.CreateHandler()) { BaseAddress = new Uri(baseAddress) };
            if (signIn)
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Directory.IssueAccessToken());
            return client;
        }

        public static async Task<JObject> GetJson(this HttpClient client, string url)
        {
            var response = await client.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode}: {text}");
            return JObject.Parse(text);
        }

        /// <summary>Follows @odata.nextLink to the end; returns every item and the number of pages.</summary>
        public static async Task<(List<JObject> Items, int Pages, JObject Last)> GetAll(this HttpClient client, string url)
        {
            var items = new List<JObject>();
            var pages = 0;
            JObject page;
            do
            {
                page = await client.GetJson(url);
                pages++;
                foreach (var item in (JArray)page["value"]) items.Add((JObject)item);
                url = (string)page["@odata.nextLink"];
            } while (url != null);
            return (items, pages, page);
        }
    }
}
