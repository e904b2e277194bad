using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>
    /// The baseline: what an admin's script does (Invoke-RestMethod in a foreach), through a plain HttpClient,
    /// one request at a time. Graph: token, the app's role assignments, the members of assigned groups, all users
    /// (paged by 999, as Get-MgUser -All does). Then for each assigned, enabled user with a surname:
    /// GET /Users?filter=userName eq "upn"; POST when absent; when present, PATCH the attributes that differ
    /// (a fair script compares first; one that PATCHes blindly would write on every run). It sets userName, active,
    /// displayName, name and externalId, not emails: in Dropbox the e-mail is the userName, and a script that PATCHed
    /// a guest's work e-mail to its home address would rename the account. On 429 it sleeps
    /// Retry-After and tries again, as Invoke-RestMethod -MaximumRetryCount does. It never suspends anyone.
    /// </summary>
    public sealed class NaiveScimScript
    {
        private const int MaxRetries = 10;
        private readonly Uri _root;
        private readonly HttpClient _http = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
        private string _graphToken;
        private int _created, _updated, _failed, _unchanged;

        public NaiveScimScript(Uri root) { _root = root; }

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
                Created = _created, Updated = _updated, Failed = _failed,
                Outcome = $"created {_created}, updated {_updated}, unchanged {_unchanged}, failed {_failed}",
            };
        }

        private async Task ProvisionAsync(JObject u, CancellationToken ct)
        {
            var upn = (string)u["userPrincipalName"];
            var wanted = new Dictionary<string, JToken>
            {
                ["userName"] = upn,
                ["active"] = true,
                ["displayName"] = u["displayName"],
                ["name.givenName"] = u["givenName"],
                ["name.familyName"] = u["surname"],
                ["externalId"] = u["mailNickname"],
            };
            var filter = Uri.EscapeDataString($"userName eq \"{upn.Replace("\"", "\\\"")}\"");
            var (status, found) = await ScimAsync(HttpMethod.Get, $"scim/v2/Users?filter={filter}", null, ct).ConfigureAwait(false);
            if (status != 200) { _failed++; return; }
            var existing = (found?["Resources"] as JArray)?.FirstOrDefault() as JObject;
            if (existing == null)
            {
                var body = new JObject
                {
                    ["schemas"] = new JArray("urn:ietf:params:scim:schemas:core:2.0:User"),
                    ["userName"] = upn,
                    ["active"] = true,
                    ["displayName"] = u["displayName"],
                    ["name"] = new JObject { ["givenName"] = u["givenName"], ["familyName"] = u["surname"] },
                    ["externalId"] = u["mailNickname"],
                };
                var (created, _) = await ScimAsync(HttpMethod.Post, "scim/v2/Users", body, ct).ConfigureAwait(false);
                if (created == 201 || created == 200) _created++; else _failed++;
                return;
            }

            var operations = new JArray();
            foreach (var pair in wanted)
            {
                if (pair.Value == null || pair.Value.Type == JTokenType.Null) continue;
                if (JToken.DeepEquals(Current(existing, pair.Key), pair.Value)) continue;
                operations.Add(new JObject { ["op"] = "replace", ["path"] = pair.Key, ["value"] = pair.Value });
            }
            if (operations.Count == 0) { _unchanged++; return; }
            var patch = new JObject { ["schemas"] = new JArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"), ["Operations"] = operations };
            var (patched, _) = await ScimAsync(new HttpMethod("PATCH"), "scim/v2/Users/" + Uri.EscapeDataString((string)existing["id"]), patch, ct).ConfigureAwait(false);
            if (patched == 200 || patched == 204) _updated++; else _failed++;
        }

        private static JToken Current(JObject user, string path)
        {
            switch (path)
            {
                case "name.givenName": return user["name"]?["givenName"];
                case "name.familyName": return user["name"]?["familyName"];
                default: return user[path];
            }
        }

        private async Task<string> GetGraphTokenAsync(CancellationToken ct)
        {
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = SandboxCredentials.ClientId,
                ["client_secret"] = SandboxCredentials.ClientSecret,
                ["scope"] = "https://graph.microsoft.com/.default",
                ["grant_type"] = "client_credentials",
            });
            using var response = await _http.PostAsync(new Uri(_root, $"{SandboxCredentials.TenantId}/oauth2/v2.0/token"), form, ct).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException("token: " + (int)response.StatusCode + " " + text);
            return (string)JObject.Parse(text)["access_token"];
        }

        private async Task<List<JObject>> GraphAllAsync(string relative, CancellationToken ct)
        {
            var all = new List<JObject>();
            var uri = new Uri(_root, relative);
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

        private async Task<(int Status, JObject Body)> ScimAsync(HttpMethod method, string relative, JObject body, CancellationToken ct)
        {
            var uri = new Uri(_root, relative);
            var text = body?.ToString(Formatting.None);
            return await SendAsync(() =>
            {
                var r = new HttpRequestMessage(method, uri);
                r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxCredentials.ScimToken);
                if (text != null) r.Content = new StringContent(text, Encoding.UTF8, "application/scim+json");
                return r;
            }, ct).ConfigureAwait(false);
        }

        private async Task<(int Status, JObject Body)> SendAsync(Func<HttpRequestMessage> make, CancellationToken ct)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var request = make();
                using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
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
