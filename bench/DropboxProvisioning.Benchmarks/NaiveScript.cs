using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>
    /// What every naive admin script shares, whichever Dropbox API it writes to, through a plain HttpClient, one request at
    /// a time. Graph: token, the app's role assignments, the members of assigned groups, all users (paged by 999, as
    /// Get-MgUser -All does). Then for each assigned, enabled user with a surname the target's own per-user step
    /// (<see cref="ProvisionAsync"/>). On 429 it sleeps Retry-After and tries again, as Invoke-RestMethod -MaximumRetryCount
    /// does. It never suspends anyone.
    /// </summary>
    public abstract class NaiveScript
    {
        protected const int MaxRetries = 10;
        protected readonly Uri Root;
        protected readonly HttpClient Http = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
        private string _graphToken;
        protected int Created, Updated, Failed, Unchanged;

        protected NaiveScript(Uri root) { Root = root; }

        public async Task<ChildReport> RunAsync(CancellationToken ct)
        {
            _graphToken = await GetGraphTokenAsync(ct).ConfigureAwait(false);

            var directUsers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var groups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var a in await GraphAllAsync($"v1.0/servicePrincipals/{SandboxCredentials.ServicePrincipalId}/appRoleAssignedTo?$top=999", ct).ConfigureAwait(false))
            {
                var role = (string)a["appRoleId"];
                if (string.IsNullOrEmpty(role) || Guid.TryParse(role, out var g) && g == Guid.Empty) continue; // Default Access
                if (string.Equals((string)a["principalType"], "Group", StringComparison.OrdinalIgnoreCase)) groups.Add((string)a["principalId"]);
                else directUsers.Add((string)a["principalId"]);
            }
            foreach (var group in groups)
                foreach (var m in await GraphAllAsync($"v1.0/groups/{group}/members?$select=id&$top=999", ct).ConfigureAwait(false))
                    if (((string)m["@odata.type"] ?? ".user").EndsWith(".user", StringComparison.OrdinalIgnoreCase)) directUsers.Add((string)m["id"]);

            var users = await GraphAllAsync("v1.0/users?$select=id,userPrincipalName,displayName,mail,givenName,surname,mailNickname,accountEnabled&$top=999", ct).ConfigureAwait(false);
            foreach (var u in users)
            {
                ct.ThrowIfCancellationRequested();
                if (!directUsers.Contains((string)u["id"])) continue;
                if (!((bool?)u["accountEnabled"] ?? true)) continue;
                if (string.IsNullOrEmpty((string)u["surname"]) || string.IsNullOrEmpty((string)u["userPrincipalName"])) continue;
                await ProvisionAsync(u, ct).ConfigureAwait(false);
            }

            return new ChildReport
            {
                Created = Created, Updated = Updated, Failed = Failed,
                Outcome = $"created {Created}, updated {Updated}, unchanged {Unchanged}, failed {Failed}",
            };
        }

        /// <summary>One assigned user: find it in Dropbox, then create it or update what differs.</summary>
        protected abstract Task ProvisionAsync(JObject user, CancellationToken ct);

        private async Task<string> GetGraphTokenAsync(CancellationToken ct)
        {
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = SandboxCredentials.ClientId,
                ["client_secret"] = SandboxCredentials.ClientSecret,
                ["scope"] = "https://graph.microsoft.com/.default",
                ["grant_type"] = "client_credentials",
            });
            using var response = await Http.PostAsync(new Uri(Root, $"{SandboxCredentials.TenantId}/oauth2/v2.0/token"), form, ct).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException("token: " + (int)response.StatusCode + " " + text);
            return (string)JObject.Parse(text)["access_token"];
        }

        private async Task<List<JObject>> GraphAllAsync(string relative, CancellationToken ct)
        {
            var all = new List<JObject>();
            var uri = new Uri(Root, relative);
            while (uri != null)
            {
                var page = await SendAsync(() =>
                {
                    var r = new HttpRequestMessage(HttpMethod.Get, uri);
                    r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _graphToken);
                    return r;
                }, ct).ConfigureAwait(false);
                if (page.Status != 200) throw new InvalidOperationException($"Graph answered {page.Status} to {uri}");
                foreach (var item in (JArray)page.Body["value"]) all.Add((JObject)item);
                var next = (string)page.Body["@odata.nextLink"];
                uri = next == null ? null : new Uri(next);
            }
            return all;
        }

        /// <summary>Sends (a fresh request each try), sleeping Retry-After on 429; the status and the JSON body, if any.</summary>
        protected async Task<(int Status, JObject Body)> SendAsync(Func<HttpRequestMessage> make, CancellationToken ct)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var request = make();
                using var response = await Http.SendAsync(request, ct).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status == 429 && attempt < MaxRetries)
                {
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    await Task.Delay(wait, ct).ConfigureAwait(false);
                    continue;
                }
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                JObject parsed = null;
                if (!string.IsNullOrWhiteSpace(text))
                {
                    try { parsed = JObject.Parse(text); } catch (JsonException) { }
                }
                return (status, parsed);
            }
        }
    }
}
