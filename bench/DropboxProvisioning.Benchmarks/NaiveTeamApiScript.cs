using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Security;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>
    /// The Team API baseline (<see cref="NaiveScript"/> does the Graph part), as an admin writes it against Dropbox API v2
    /// with the app's refresh token: one access token from /oauth2/token (grant_type=refresh_token), renewed when Dropbox
    /// answers 401 expired_access_token. Then for each assigned, enabled user with a surname:
    /// members/get_info_v2 by e-mail (the userPrincipalName); members/add_v2 with that one member when absent; when present,
    /// members/set_profile_v2 with the fields that differ (given name, surname, external id; a fair script compares first),
    /// and members/unsuspend when Dropbox has the member suspended (the SCIM script's active = true). The display name cannot
    /// be set through the Team API (Dropbox makes it from the given name and surname), so the script does not try.
    /// One request at a time; 429: sleeps Retry-After (or the body's retry_after) and tries again. A one-member add_v2 is
    /// answered at once; were it answered with a job, the script would poll members/add/job_status/get_v2 once a second.
    /// </summary>
    public sealed class NaiveTeamApiScript : NaiveScript
    {
        private readonly string _appKey;
        private readonly SecureString _refreshToken;
        private string _accessToken;

        public NaiveTeamApiScript(Uri root, string appKey, SecureString refreshToken) : base(root)
        {
            _appKey = appKey;
            _refreshToken = refreshToken;
        }

        protected override async Task ProvisionAsync(JObject u, CancellationToken ct)
        {
            var upn = (string)u["userPrincipalName"];
            var (status, found) = await CallAsync("team/members/get_info_v2",
                new JObject { ["members"] = new JArray(new JObject { [".tag"] = "email", ["email"] = upn }) }, ct).ConfigureAwait(false);
            if (status != 200) { Failed++; return; }
            var info = (found?["members_info"] as JArray)?[0] as JObject;
            if ((string)info?[".tag"] != "member_info")
            {
                var member = new JObject { ["member_email"] = upn, ["member_given_name"] = u["givenName"], ["member_surname"] = u["surname"], ["send_welcome_email"] = true };
                if (!string.IsNullOrEmpty((string)u["mailNickname"])) member["member_external_id"] = u["mailNickname"];
                var (added, launch) = await CallAsync("team/members/add_v2", new JObject { ["new_members"] = new JArray(member) }, ct).ConfigureAwait(false);
                while (added == 200 && (string)launch?[".tag"] is string tag && (tag == "async_job_id" || tag == "in_progress"))
                {
                    var job = (string)launch["async_job_id"] ?? throw new InvalidOperationException("add_v2 answered a job without an id");
                    await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                    (added, launch) = await CallAsync("team/members/add/job_status/get_v2", new JObject { ["async_job_id"] = job }, ct).ConfigureAwait(false);
                    if ((string)launch?[".tag"] == "in_progress") launch["async_job_id"] = job;
                }
                if (added == 200 && (string)((launch?["complete"] as JArray)?[0] as JObject)?[".tag"] == "success") Created++; else Failed++;
                return;
            }

            var profile = info["profile"] as JObject ?? info;
            var arg = new JObject { ["user"] = new JObject { [".tag"] = "email", ["email"] = upn } };
            if (!Same(profile["name"]?["given_name"], u["givenName"])) arg["new_given_name"] = u["givenName"];
            if (!Same(profile["name"]?["surname"], u["surname"])) arg["new_surname"] = u["surname"];
            if (!string.IsNullOrEmpty((string)u["mailNickname"]) && !Same(profile["external_id"], u["mailNickname"])) arg["new_external_id"] = u["mailNickname"];
            var suspended = (string)profile["status"]?[".tag"] == "suspended";
            if (arg.Count == 1 && !suspended) { Unchanged++; return; }
            var ok = true;
            if (arg.Count > 1)
            {
                var (set, _) = await CallAsync("team/members/set_profile_v2", arg, ct).ConfigureAwait(false);
                ok &= set == 200;
            }
            if (suspended)
            {
                var (unsuspended, _) = await CallAsync("team/members/unsuspend", new JObject { ["user"] = arg["user"] }, ct).ConfigureAwait(false);
                ok &= unsuspended == 200;
            }
            if (ok) Updated++; else Failed++;
        }

        private static bool Same(JToken current, JToken wanted) =>
            string.Equals(current?.Type == JTokenType.Null ? null : (string)current, wanted?.Type == JTokenType.Null ? null : (string)wanted, StringComparison.Ordinal);

        /// <summary>One RPC call; a 401 expired_access_token gets a new access token once and the call again.</summary>
        private async Task<(int Status, JObject Body)> CallAsync(string route, JObject argument, CancellationToken ct)
        {
            var uri = new Uri(Root, "/2/" + route);
            var text = argument.ToString(Formatting.None);
            for (var renewed = false; ; renewed = true)
            {
                if (_accessToken == null) _accessToken = await GetAccessTokenAsync(ct).ConfigureAwait(false);
                var token = _accessToken;
                var answer = await SendAsync(() =>
                {
                    var r = new HttpRequestMessage(HttpMethod.Post, uri);
                    r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    r.Content = new StringContent(text, Encoding.UTF8, "application/json");
                    return r;
                }, ct).ConfigureAwait(false);
                if (answer.Status == 401 && (string)answer.Body?["error"]?[".tag"] == "expired_access_token" && !renewed)
                {
                    _accessToken = null;
                    continue;
                }
                return answer;
            }
        }

        private async Task<string> GetAccessTokenAsync(CancellationToken ct)
        {
            var (status, body) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(Root, "/oauth2/token"))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token",
                    ["refresh_token"] = SecureStrings.Reveal(_refreshToken),
                    ["client_id"] = _appKey,
                }),
            }, ct).ConfigureAwait(false);
            if (status != 200) throw new InvalidOperationException($"Dropbox token endpoint answered {status}: {(string)body?["error"]}");
            return (string)body["access_token"];
        }
    }
}
