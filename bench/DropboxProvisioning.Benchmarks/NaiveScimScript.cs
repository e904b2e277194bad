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
    /// The SCIM baseline (<see cref="NaiveScript"/> does the Graph part): for each assigned, enabled user with a surname,
    /// GET /Users?filter=userName eq "upn"; POST when absent; when present, PATCH the attributes that differ
    /// (a fair script compares first; one that PATCHes blindly would write on every run). It sets userName, active,
    /// displayName, name and externalId, not emails: in Dropbox the e-mail is the userName, and a script that PATCHed
    /// a guest's work e-mail to its home address would rename the account.
    /// </summary>
    public sealed class NaiveScimScript : NaiveScript
    {
        public NaiveScimScript(Uri root) : base(root) { }

        protected override async Task ProvisionAsync(JObject u, CancellationToken ct)
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
            if (status != 200) { Failed++; return; }
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
                if (created == 201 || created == 200) Created++; else Failed++;
                return;
            }

            var operations = new JArray();
            foreach (var pair in wanted)
            {
                if (pair.Value == null || pair.Value.Type == JTokenType.Null) continue;
                if (JToken.DeepEquals(Current(existing, pair.Key), pair.Value)) continue;
                operations.Add(new JObject { ["op"] = "replace", ["path"] = pair.Key, ["value"] = pair.Value });
            }
            if (operations.Count == 0) { Unchanged++; return; }
            var patch = new JObject { ["schemas"] = new JArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"), ["Operations"] = operations };
            var (patched, _) = await ScimAsync(new HttpMethod("PATCH"), "scim/v2/Users/" + Uri.EscapeDataString((string)existing["id"]), patch, ct).ConfigureAwait(false);
            if (patched == 200 || patched == 204) Updated++; else Failed++;
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

        private async Task<(int Status, JObject Body)> ScimAsync(HttpMethod method, string relative, JObject body, CancellationToken ct)
        {
            var uri = new Uri(Root, relative);
            var text = body?.ToString(Formatting.None);
            return await SendAsync(() =>
            {
                var r = new HttpRequestMessage(method, uri);
                r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxCredentials.ScimToken);
                if (text != null) r.Content = new StringContent(text, Encoding.UTF8, "application/scim+json");
                return r;
            }, ct).ConfigureAwait(false);
        }
    }
}
