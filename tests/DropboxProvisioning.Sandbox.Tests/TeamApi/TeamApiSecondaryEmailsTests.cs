using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.TeamApi
{
    /// <summary>
    /// members/secondary_emails/add and delete, and secondary_emails in the member profile: every argument the tests
    /// send and every answer is held to team.stone and secondary_emails.stone (copied unchanged into TeamLog/Spec).
    /// </summary>
    public sealed class TeamApiSecondaryEmailsTests
    {
        private static JObject Arg(object value, string type)
        {
            var arg = JObject.FromObject(value);
            TeamApiEmulatorTests.AssertValid(arg, type);
            return arg;
        }

        private static Dictionary<string, string> ById(string id) => new Dictionary<string, string> { [".tag"] = "team_member_id", ["team_member_id"] = id };

        private static async Task<JToken> Checked(TeamApiEmulatorTests.Client c, string route, JObject argument, string result, string error)
        {
            var answer = await c.Call(route, argument);
            if (answer.Status == HttpStatusCode.OK) TeamApiEmulatorTests.AssertValid(answer.Body, result);
            else
            {
                Assert.Equal(409, (int)answer.Status);
                TeamApiEmulatorTests.AssertValid(answer.Body["error"], error);
            }
            return answer.Body;
        }

        private static JObject Add(string id, params string[] emails) =>
            Arg(new { new_secondary_emails = new[] { new { user = ById(id), secondary_emails = emails } } }, "team.AddSecondaryEmailsArg");

        private static JObject Delete(string id, params string[] emails) =>
            Arg(new { emails_to_delete = new[] { new { user = ById(id), secondary_emails = emails } } }, "team.DeleteSecondaryEmailsArg");

        [Fact]
        public async Task Add_answers_per_user_and_per_email_by_the_Stone_definition_and_the_profile_shows_them_with_is_verified()
        {
            var c = new TeamApiEmulatorTests.Client(users: 6);
            var team = c.Tenant.Dropbox;
            var members = team.Members.Where(m => m.Status == DropboxMemberStatus.Active).Take(2).ToList();
            var (one, other) = (members[0], members[1]);
            var domain = one.Email.Substring(one.Email.IndexOf('@') + 1);
            team.RateLimitedSecondaryEmails.Add("busy@fabrikam.example");

            var added = await Checked(c, "team/members/secondary_emails/add",
                Add(one.TeamMemberId, "alias@" + domain, "outside@fabrikam.example", other.Email, one.Email, "busy@fabrikam.example"), "team.AddSecondaryEmailsResult", "team.AddSecondaryEmailsError");
            var user = (JObject)added["results"][0];
            Assert.Equal("success", (string)user[".tag"]);
            var results = ((JArray)user["results"]).Select(r => (string)r[".tag"]).ToList();
            Assert.Equal(new[] { "success", "success", "unavailable", "already_owned_by_user", "rate_limited" }, results);
            Assert.True((bool)user["results"][0]["is_verified"]); // on the team's domain: verified at once
            Assert.False((bool)user["results"][1]["is_verified"]); // elsewhere: pending until the owner verifies it
            Assert.Equal(other.Email, (string)user["results"][2]["unavailable"]);

            // Added again: pending stays pending.
            var again = await Checked(c, "team/members/secondary_emails/add", Add(one.TeamMemberId, "outside@fabrikam.example"), "team.AddSecondaryEmailsResult", "team.AddSecondaryEmailsError");
            Assert.Equal("already_pending", (string)again["results"][0]["results"][0][".tag"]);

            // get_info_v2 shows them (TeamMemberProfile.secondary_emails), each with is_verified.
            var info = await Checked(c, "team/members/get_info_v2", Arg(new { members = new[] { ById(one.TeamMemberId) } }, "team.MembersGetInfoV2Arg"), "team.MembersGetInfoV2Result", "team.MembersGetInfoError");
            var emails = (JArray)info["members_info"][0]["profile"]["secondary_emails"];
            Assert.Equal(new[] { "alias@" + domain, "outside@fabrikam.example" }, emails.Select(e => (string)e["email"]));

            // An invited member (e-mail not verified) is refused as a user; an unknown one is invalid_user.
            var invited = team.AddMember("new@" + domain, "New", "Member");
            var refused = await Checked(c, "team/members/secondary_emails/add",
                Arg(new { new_secondary_emails = new[] { new { user = ById(invited.TeamMemberId), secondary_emails = new[] { "x@fabrikam.example" } }, new { user = ById("dbmid:none"), secondary_emails = new[] { "y@fabrikam.example" } } } }, "team.AddSecondaryEmailsArg"),
                "team.AddSecondaryEmailsResult", "team.AddSecondaryEmailsError");
            Assert.Equal(new[] { "unverified", "invalid_user" }, ((JArray)refused["results"]).Select(r => (string)r[".tag"]));

            // More than 20 addresses in one call, and a team with secondary e-mails off: route errors.
            var many = Enumerable.Range(0, 21).Select(i => $"m{i}@fabrikam.example").ToArray();
            var tooMany = await Checked(c, "team/members/secondary_emails/add", Add(one.TeamMemberId, many), "team.AddSecondaryEmailsResult", "team.AddSecondaryEmailsError");
            Assert.Equal("too_many_emails", (string)tooMany["error"][".tag"]);
            team.SecondaryEmailsDisabled = true;
            var off = await Checked(c, "team/members/secondary_emails/add", Add(one.TeamMemberId, "z@fabrikam.example"), "team.AddSecondaryEmailsResult", "team.AddSecondaryEmailsError");
            Assert.Equal("secondary_emails_disabled", (string)off["error"][".tag"]);
        }

        [Fact]
        public async Task Delete_answers_success_not_found_and_cannot_remove_primary_per_email_by_the_Stone_definition()
        {
            var c = new TeamApiEmulatorTests.Client(users: 4);
            var team = c.Tenant.Dropbox;
            var one = team.Members.First(m => m.Status == DropboxMemberStatus.Active);
            Assert.Equal("success", team.AddSecondaryEmail(one.TeamMemberId, "alias@fabrikam.example", out _));

            var deleted = await Checked(c, "team/members/secondary_emails/delete", Delete(one.TeamMemberId, "alias@fabrikam.example", "never@fabrikam.example", one.Email),
                "team.DeleteSecondaryEmailsResult", null);
            var user = (JObject)deleted["results"][0];
            Assert.Equal("success", (string)user[".tag"]);
            Assert.Equal(new[] { "success", "not_found", "cannot_remove_primary" }, ((JArray)user["results"]).Select(r => (string)r[".tag"]));
            Assert.Equal("alias@fabrikam.example", (string)user["results"][0]["success"]);
            Assert.Empty(team.GetMember(one.TeamMemberId).SecondaryEmails);

            var unknown = await Checked(c, "team/members/secondary_emails/delete", Delete("dbmid:none", "a@fabrikam.example"), "team.DeleteSecondaryEmailsResult", null);
            Assert.Equal("invalid_user", (string)unknown["results"][0][".tag"]);

            // A malformed address is refused before the route runs (common.EmailAddress), as Dropbox answers 400.
            var bad = await c.Call("team/members/secondary_emails/delete", JObject.FromObject(new { emails_to_delete = new[] { new { user = ById(one.TeamMemberId), secondary_emails = new[] { "not an address" } } } }));
            Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        }
    }
}
