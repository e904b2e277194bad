using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Generation;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.TeamApi
{
    /// <summary>
    /// The Team API routes (team/members/*, team/groups/*): every answer, success or route error, is held to
    /// team.stone; behaviour follows Dropbox (invited members, suspend_inactive_user, per-member add results).
    /// </summary>
    public sealed class TeamApiEmulatorTests
    {
        /// <summary>Each route the emulator serves, with the Stone types of its result and its route error.</summary>
        public static readonly IReadOnlyDictionary<string, (string Result, string Error)> Routes = new Dictionary<string, (string, string)>
        {
            ["team/members/add_v2"] = ("team.MembersAddLaunchV2Result", null),
            ["team/members/add"] = ("team.MembersAddLaunch", null),
            ["team/members/add/job_status/get_v2"] = ("team.MembersAddJobStatusV2Result", "async.PollError"),
            ["team/members/add/job_status/get"] = ("team.MembersAddJobStatus", "async.PollError"),
            ["team/members/get_info_v2"] = ("team.MembersGetInfoV2Result", "team.MembersGetInfoError"),
            ["team/members/list_v2"] = ("team.MembersListV2Result", "team.MembersListError"),
            ["team/members/list/continue_v2"] = ("team.MembersListV2Result", "team.MembersListContinueError"),
            ["team/members/list"] = ("team.MembersListResult", "team.MembersListError"),
            ["team/members/list/continue"] = ("team.MembersListResult", "team.MembersListContinueError"),
            ["team/members/set_profile_v2"] = ("team.TeamMemberInfoV2Result", "team.MembersSetProfileError"),
            ["team/members/suspend"] = (null, "team.MembersSuspendError"),
            ["team/members/unsuspend"] = (null, "team.MembersUnsuspendError"),
            ["team/members/remove"] = ("async.LaunchEmptyResult", "team.MembersRemoveError"),
            ["team/members/remove/job_status/get"] = ("async.PollEmptyResult", "async.PollError"),
            ["team/members/recover"] = (null, "team.MembersRecoverError"),
            ["team/groups/create"] = ("team.GroupFullInfo", "team.GroupCreateError"),
            ["team/groups/update"] = ("team.GroupFullInfo", "team.GroupUpdateError"),
            ["team/groups/delete"] = ("async.LaunchEmptyResult", "team.GroupDeleteError"),
            ["team/groups/get_info"] = ("team.GroupsGetInfoResult", "team.GroupsGetInfoError"),
            ["team/groups/list"] = ("team.GroupsListResult", null),
            ["team/groups/list/continue"] = ("team.GroupsListResult", "team.GroupsListContinueError"),
            ["team/groups/members/add"] = ("team.GroupMembersChangeResult", "team.GroupMembersAddError"),
            ["team/groups/members/remove"] = ("team.GroupMembersChangeResult", "team.GroupMembersRemoveError"),
            ["team/groups/members/list"] = ("team.GroupsMembersListResult", "team.GroupSelectorError"),
            ["team/groups/members/list/continue"] = ("team.GroupsMembersListResult", "team.GroupsMembersListContinueError"),
            ["team/groups/job_status/get"] = ("async.PollEmptyResult", "team.GroupsPollError"),
        };

        /// <summary>An authorized Team API caller that validates every answer against the route's Stone types.</summary>
        internal sealed class Client
        {
            public readonly SandboxTenant Tenant;
            public readonly HttpClient Http;
            public readonly string AccessToken;
            public readonly HashSet<string> Validated = new HashSet<string>();

            public Client(int users = 10, IEnumerable<string> scopes = null)
            {
                Tenant = TenantGenerator.Generate(new TenantProfile { Users = users, Seed = 7 });
                Http = new HttpClient(Tenant.CreateHandler()) { BaseAddress = new Uri("https://api.dropboxapi.com") };
                Tenant.SetRateLimits(10000, 10000);
                var verifier = "verifier-" + new string('y', 50);
                string challenge;
                using (var sha = SHA256.Create()) challenge = DropboxAuthorizationServer.Base64Url(sha.ComputeHash(Encoding.ASCII.GetBytes(verifier)));
                var code = Tenant.DropboxApi.ApproveAuthorization("app1", challenge, scopes ?? DropboxAuthorizationServer.ProvisioningScopes);
                var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "authorization_code", ["code"] = code, ["client_id"] = "app1", ["code_verifier"] = verifier,
                });
                var token = Http.PostAsync("/oauth2/token", form).Result;
                Assert.Equal(HttpStatusCode.OK, token.StatusCode);
                AccessToken = (string)JObject.Parse(token.Content.ReadAsStringAsync().Result)["access_token"];
            }

            public async Task<(HttpStatusCode Status, JToken Body, string Text)> Call(string route, object argument)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/2/" + route);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
                request.Content = new StringContent(argument is JToken j ? j.ToString(Formatting.None) : JsonConvert.SerializeObject(argument), Encoding.UTF8, "application/json");
                var response = await Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                JToken body = null;
                if (text.StartsWith("{") || text.StartsWith("[") || text == "null")
                    using (var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None }) body = JToken.ReadFrom(reader);
                if (Routes.TryGetValue(route, out var types))
                {
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        if (types.Result == null) Assert.Equal(JTokenType.Null, body.Type);
                        else AssertValid(body, types.Result);
                        Validated.Add(route);
                    }
                    else if ((int)response.StatusCode == 409)
                    {
                        Assert.NotNull(types.Error);
                        Assert.False(string.IsNullOrEmpty((string)body["error_summary"]));
                        AssertValid(body["error"], types.Error);
                        Validated.Add(route + " (409)");
                    }
                }
                return (response.StatusCode, body, text);
            }

            public async Task<JToken> Ok(string route, object argument)
            {
                var result = await Call(route, argument);
                Assert.True(result.Status == HttpStatusCode.OK, route + ": " + (int)result.Status + " " + result.Text);
                return result.Body;
            }

            public async Task<JObject> Conflict(string route, object argument, string tag)
            {
                var result = await Call(route, argument);
                Assert.True((int)result.Status == 409, route + ": expected 409 " + tag + ", got " + (int)result.Status + " " + result.Text);
                Assert.Equal(tag, (string)result.Body["error"][".tag"]);
                return (JObject)result.Body;
            }
        }

        internal static void AssertValid(JToken value, string type)
        {
            var problems = TeamLog.StoneSpec.Schema.Validate(value, type);
            Assert.True(problems.Count == 0, type + ":\n" + string.Join("\n", problems.Take(20)) + "\n" + value.ToString(Formatting.None));
        }

        private static object NewMember(string email, string given = "Ada", string surname = "Lovelace", string externalId = null) =>
            new { member_email = email, member_given_name = given, member_surname = surname, member_external_id = externalId, send_welcome_email = false };

        private static JObject Email(string email) => JObject.FromObject(new Dictionary<string, string> { [".tag"] = "email", ["email"] = email });
        private static JObject MemberId(string id) => JObject.FromObject(new Dictionary<string, string> { [".tag"] = "team_member_id", ["team_member_id"] = id });
        private static JObject GroupId(string id) => JObject.FromObject(new Dictionary<string, string> { [".tag"] = "group_id", ["group_id"] = id });

        [Fact]
        public async Task Every_route_answers_by_the_Stone_definitions_and_members_arrive_invited()
        {
            var c = new Client();
            var added = await c.Ok("team/members/add_v2", new { new_members = new[] { NewMember("ada@contoso-teamapi.com", externalId: "ada"), NewMember("bob@contoso-teamapi.com", "Bob", "Byte") } });
            Assert.Equal("complete", (string)added[".tag"]);
            var results = (JArray)added["complete"];
            Assert.Equal(new[] { "success", "success" }, results.Select(r => (string)r[".tag"]));
            Assert.Equal("invited", (string)results[0]["profile"]["status"][".tag"]);
            var ada = (string)results[0]["profile"]["team_member_id"];
            var bob = (string)results[1]["profile"]["team_member_id"];
            Assert.Equal("ada", (string)results[0]["profile"]["external_id"]);

            // v1 add and a job forced asynchronous, polled to completion
            await c.Ok("team/members/add", new { new_members = new[] { new { member_email = "v1@contoso-teamapi.com", member_given_name = "Vee", member_surname = "One" } } });
            c.Tenant.Options.AddJobDuration = TimeSpan.FromHours(1); // a job that is still running when polled
            var launch = await c.Ok("team/members/add_v2", new { force_async = true, new_members = new[] { NewMember("cy@contoso-teamapi.com", "Cy", "Async") } });
            Assert.Equal("async_job_id", (string)launch[".tag"]);
            var job = (string)launch["async_job_id"];
            Assert.Equal("in_progress", (string)(await c.Ok("team/members/add/job_status/get_v2", new { async_job_id = job }))[".tag"]);
            c.Tenant.Options.AddJobDuration = TimeSpan.Zero; // and has finished at the next poll
            var done = await c.Ok("team/members/add/job_status/get_v2", new { async_job_id = job });
            Assert.Equal("complete", (string)done[".tag"]);
            Assert.Equal("success", (string)done["complete"][0][".tag"]);
            await c.Conflict("team/members/add/job_status/get_v2", new { async_job_id = "dbjid:nope" }, "invalid_async_job_id");
            var v1Job = (string)(await c.Ok("team/members/add", new { force_async = true, new_members = new[] { NewMember("d1@contoso-teamapi.com") } }))["async_job_id"];
            Assert.Equal("complete", (string)(await c.Ok("team/members/add/job_status/get", new { async_job_id = v1Job }))[".tag"]);

            var info = await c.Ok("team/members/get_info_v2", new { members = new JToken[] { Email("ada@contoso-teamapi.com"), MemberId("dbmid:none"), JObject.Parse("{\".tag\":\"external_id\",\"external_id\":\"ada\"}") } });
            var items = (JArray)info["members_info"];
            Assert.Equal(new[] { "member_info", "id_not_found", "member_info" }, items.Select(i => (string)i[".tag"]));
            Assert.Equal(ada, (string)items[2]["profile"]["team_member_id"]);

            var profile = await c.Ok("team/members/set_profile_v2", new { user = MemberId(ada), new_given_name = "Augusta", new_external_id = "ada-2" });
            Assert.Equal("Augusta", (string)profile["member_info"]["profile"]["name"]["given_name"]);
            await c.Conflict("team/members/set_profile_v2", new { user = MemberId(ada), new_email = "bob@contoso-teamapi.com" }, "email_reserved_for_other_user");
            await c.Conflict("team/members/set_profile_v2", new { user = MemberId(ada) }, "no_new_data_specified");
            await c.Conflict("team/members/set_profile_v2", new { user = Email("nobody@contoso-teamapi.com"), new_given_name = "X" }, "user_not_found");

            await c.Conflict("team/members/suspend", new { user = MemberId(ada), wipe_data = false }, "suspend_inactive_user");
            c.Tenant.Dropbox.AcceptInvitation(ada);
            await c.Ok("team/members/suspend", new { user = MemberId(ada), wipe_data = false });
            Assert.Equal(DropboxMemberStatus.Suspended, c.Tenant.Dropbox.GetMember(ada).Status);
            await c.Ok("team/members/unsuspend", new { user = MemberId(ada) });
            await c.Conflict("team/members/unsuspend", new { user = MemberId(ada) }, "unsuspend_non_suspended_member");

            // groups
            var group = await c.Ok("team/groups/create", new { group_name = "Pilots", group_external_id = "grp-1" });
            var groupId = (string)group["group_id"];
            await c.Conflict("team/groups/create", new { group_name = "pilots" }, "group_name_already_used");
            var change = await c.Ok("team/groups/members/add", new { group = GroupId(groupId), members = new[] { new { user = MemberId(ada), access_type = JObject.Parse("{\".tag\":\"member\"}") }, new { user = Email("bob@contoso-teamapi.com"), access_type = JObject.Parse("{\".tag\":\"member\"}") } } });
            Assert.Equal(2, (int)change["group_info"]["member_count"]);
            await c.Ok("team/groups/job_status/get", new { async_job_id = (string)change["async_job_id"] });
            await c.Conflict("team/groups/members/add", new { group = GroupId(groupId), members = new[] { new { user = Email("ghost@contoso-teamapi.com"), access_type = JObject.Parse("{\".tag\":\"member\"}") } } }, "users_not_found");
            await c.Conflict("team/groups/members/add", new { group = GroupId(groupId), members = new[] { new { user = MemberId(ada), access_type = JObject.Parse("{\".tag\":\"member\"}") } } }, "duplicate_user");
            var renamed = await c.Ok("team/groups/update", new { group = GroupId(groupId), new_group_name = "Aviators" });
            Assert.Equal("Aviators", (string)renamed["group_name"]);
            await c.Conflict("team/groups/update", new { group = GroupId("g:missing"), new_group_name = "X" }, "group_not_found");
            var gm = await c.Ok("team/groups/members/list", new { group = GroupId(groupId), limit = 1 });
            Assert.True((bool)gm["has_more"]);
            var gm2 = await c.Ok("team/groups/members/list/continue", new { cursor = (string)gm["cursor"] });
            Assert.False((bool)gm2["has_more"]);
            await c.Conflict("team/groups/members/list/continue", new { cursor = "garbage" }, "invalid_cursor");
            await c.Ok("team/groups/members/remove", new { group = GroupId(groupId), users = new[] { MemberId(bob) } });
            await c.Conflict("team/groups/members/remove", new { group = GroupId(groupId), users = new[] { MemberId(bob) } }, "member_not_in_group");
            var got = await c.Ok("team/groups/get_info", JObject.Parse("{\".tag\":\"group_ids\",\"group_ids\":[\"" + groupId + "\",\"g:none\"]}"));
            Assert.Equal(new[] { "group_info", "id_not_found" }, got.Select(i => (string)i[".tag"]));
            c.Tenant.Dropbox.AddGroup("Extra group");
            var groups = await c.Ok("team/groups/list", new { limit = 1 });
            while ((bool)groups["has_more"]) groups = await c.Ok("team/groups/list/continue", new { cursor = (string)groups["cursor"] });
            await c.Conflict("team/groups/list/continue", new { cursor = "bad" }, "invalid_cursor");

            // lists, v1 and v2
            var list = await c.Ok("team/members/list_v2", new { limit = 3 });
            var seen = ((JArray)list["members"]).Count;
            while ((bool)list["has_more"]) { list = await c.Ok("team/members/list/continue_v2", new { cursor = (string)list["cursor"] }); seen += ((JArray)list["members"]).Count; }
            Assert.Equal(c.Tenant.Dropbox.MemberCount, seen);
            var v1 = await c.Ok("team/members/list", new { limit = 2 });
            await c.Ok("team/members/list/continue", new { cursor = (string)v1["cursor"] });
            await c.Conflict("team/members/list/continue_v2", new { cursor = (string)v1["cursor"] }, "invalid_cursor");

            var removed = await c.Ok("team/members/remove", new { user = MemberId(bob), wipe_data = true });
            Assert.Equal("complete", (string)removed[".tag"]);
            await c.Conflict("team/members/remove", new { user = MemberId(bob) }, "user_not_in_team");
            var withRemoved = await c.Ok("team/members/list_v2", new { include_removed = true });
            Assert.Contains(withRemoved["members"], m => (string)m["profile"]["team_member_id"] == bob && (string)m["profile"]["status"][".tag"] == "removed");
            await c.Ok("team/members/recover", new { user = MemberId(bob) }); // removed moments ago: recoverable
            await c.Ok("team/groups/delete", GroupId(groupId));
            await c.Conflict("team/groups/delete", GroupId(groupId), "group_not_found");

            var missing = Routes.Keys.Where(r => !c.Validated.Contains(r) && r != "team/members/remove/job_status/get").ToList();
            Assert.True(missing.Count == 0, "routes not exercised: " + string.Join(", ", missing));
        }

        [Fact]
        public async Task Add_answers_per_member_inside_a_200_and_takes_at_most_20()
        {
            var c = new Client();
            var existing = c.Tenant.Dropbox.Members.First();
            c.Tenant.Dropbox.LicenseLimit = c.Tenant.Dropbox.MemberCount + 1;
            var added = await c.Ok("team/members/add_v2", new
            {
                new_members = new[] { NewMember(existing.Email), NewMember("fresh@contoso-teamapi.com", externalId: "dup"), NewMember("again@contoso-teamapi.com", externalId: "dup"), NewMember("full@contoso-teamapi.com") },
            });
            var tags = ((JArray)added["complete"]).Select(r => (string)r[".tag"]).ToList();
            Assert.Equal(new[] { "user_already_on_team", "success", "duplicate_external_member_id", "team_license_limit" }, tags);
            Assert.Equal("full@contoso-teamapi.com", (string)added["complete"][3]["team_license_limit"]);

            var tooMany = await c.Call("team/members/add_v2", new { new_members = Enumerable.Range(0, 21).Select(i => NewMember($"u{i}@contoso-teamapi.com")).ToArray() });
            Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);

            c.Tenant.Dropbox.LicenseLimit = 0;
            var big = await c.Ok("team/members/add_v2", new { new_members = Enumerable.Range(0, 20).Select(i => NewMember($"u{i}@contoso-teamapi.com")).ToArray() });
            Assert.Equal("async_job_id", (string)big[".tag"]);
        }

        [Fact]
        public async Task Scopes_are_enforced_per_route_and_name_the_missing_one()
        {
            var c = new Client(scopes: new[] { "members.read" });
            var result = await c.Call("team/members/add_v2", new { new_members = new[] { NewMember("x@contoso-teamapi.com") } });
            Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
            Assert.Equal("missing_scope", (string)result.Body["error"][".tag"]);
            Assert.Equal("members.write", (string)result.Body["error"]["required_scope"]);
            Assert.Equal(HttpStatusCode.OK, (await c.Call("team/members/list_v2", new { })).Status);
        }

        [Fact]
        public async Task A_write_refused_for_other_writes_in_progress_is_a_429_too_many_write_operations_RateLimitError()
        {
            var c = new Client();
            c.Tenant.Faults = new DropboxProvisioning.Sandbox.Faults.FaultPlan();
            c.Tenant.Faults.Add(new DropboxProvisioning.Sandbox.Faults.FaultRule("dropbox-api", DropboxProvisioning.Sandbox.Faults.FaultKind.Throttle)
            {
                PathContains = "members/add_v2", RetryAfterSeconds = 2, RateLimitReason = "too_many_write_operations", MaxStarts = 1,
            });
            var refused = await c.Call("team/members/add_v2", new { new_members = new[] { NewMember("busy@contoso-teamapi.com") } });
            Assert.Equal((HttpStatusCode)429, refused.Status);
            AssertValid(refused.Body["error"], "auth.RateLimitError");
            Assert.Equal("too_many_write_operations", (string)refused.Body["error"]["reason"][".tag"]);
            Assert.Equal(2, (int)refused.Body["error"]["retry_after"]);
            Assert.StartsWith("too_many_write_operations/", (string)refused.Body["error_summary"]);
            Assert.Equal(HttpStatusCode.OK, (await c.Call("team/members/add_v2", new { new_members = new[] { NewMember("busy@contoso-teamapi.com") } })).Status);
        }

        [Fact]
        public async Task Paging_by_1000_reaches_every_member()
        {
            var c = new Client(users: 10);
            for (var i = 0; i < 1500; i++) c.Tenant.Dropbox.AddMember($"bulk{i}@contoso-teamapi.com", "Bulk", "User" + i, DropboxMemberStatus.Active);
            var page = await c.Ok("team/members/list_v2", new { });
            Assert.Equal(1000, ((JArray)page["members"]).Count);
            Assert.True((bool)page["has_more"]);
            var next = await c.Ok("team/members/list/continue_v2", new { cursor = (string)page["cursor"] });
            Assert.Equal(c.Tenant.Dropbox.MemberCount - 1000, ((JArray)next["members"]).Count);
            Assert.False((bool)next["has_more"]);
            Assert.Equal(HttpStatusCode.BadRequest, (await c.Call("team/members/list_v2", new { limit = 1001 })).Status);
        }

        [Fact]
        public async Task Scim_and_Team_API_views_of_the_team_agree()
        {
            var c = new Client();
            var scim = new HttpClient(c.Tenant.CreateHandler()) { BaseAddress = new Uri("https://www.dropbox.com") };
            scim.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", c.Tenant.Dropbox.ScimToken);
            var body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"scim.made@contoso-teamapi.com\",\"externalId\":\"sm\",\"name\":{\"givenName\":\"Scim\",\"familyName\":\"Made\"},\"active\":true}";
            var created = await scim.PostAsync("/scim/v2/Users", new StringContent(body, Encoding.UTF8, "application/scim+json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var scimId = (string)JObject.Parse(await created.Content.ReadAsStringAsync())["id"];

            var info = await c.Ok("team/members/get_info_v2", new { members = new[] { Email("scim.made@contoso-teamapi.com") } });
            Assert.Equal(scimId, (string)info["members_info"][0]["profile"]["team_member_id"]);
            Assert.Equal("sm", (string)info["members_info"][0]["profile"]["external_id"]);

            var added = await c.Ok("team/members/add_v2", new { new_members = new[] { NewMember("api.made@contoso-teamapi.com", "Api", "Made", "am") } });
            var apiId = (string)added["complete"][0]["profile"]["team_member_id"];
            var viaScim = JObject.Parse(await scim.GetStringAsync("/scim/v2/Users/" + apiId));
            Assert.Equal("api.made@contoso-teamapi.com", (string)viaScim["userName"]);
            Assert.Equal("Made", (string)viaScim["name"]["familyName"]);
            Assert.True((bool)viaScim["active"]);

            var list = await c.Ok("team/members/list_v2", new { });
            var scimList = JObject.Parse(await scim.GetStringAsync("/scim/v2/Users?startIndex=1&count=1000"));
            Assert.Equal((int)scimList["totalResults"], ((JArray)list["members"]).Count);
            Assert.Equal(
                scimList["Resources"].Select(r => (string)r["id"]).OrderBy(x => x, StringComparer.Ordinal),
                list["members"].Select(m => (string)m["profile"]["team_member_id"]).OrderBy(x => x, StringComparer.Ordinal));
        }
    }
}
