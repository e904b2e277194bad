using System.Linq;
using System.Net.Http;
using DropboxProvisioning.Sandbox.DropboxApi;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.TeamApi
{
    internal sealed partial class TeamApiEmulator
    {
        /// <summary>AddSecondaryEmailsError.too_many_emails: "A maximum of 20 secondary emails can be added in a single call."</summary>
        public const int MaxSecondaryEmailsPerCall = 20;

        private void RegisterSecondaryEmailRoutes(DropboxApiEmulator api)
        {
            api.Register("team/members/secondary_emails/add", "members.write", AddSecondaryEmails);
            api.Register("team/members/secondary_emails/delete", "members.write", DeleteSecondaryEmails);
        }

        /// <summary>
        /// (AddSecondaryEmailsArg, AddSecondaryEmailsResult, AddSecondaryEmailsError): per user UserAddResult (invalid_user,
        /// unverified for a member whose e-mail is not verified), per address AddSecondaryEmailResult.
        /// </summary>
        private HttpResponseMessage AddSecondaryEmails(DropboxRpcRequest request)
        {
            var list = Lists(request, "new_secondary_emails");
            if (Team.SecondaryEmailsDisabled) return DropboxErrors.Route(StoneJson.Tag("secondary_emails_disabled"));
            if (list.Sum(u => ((JArray)u["secondary_emails"]).Count) > MaxSecondaryEmailsPerCall) return DropboxErrors.Route(StoneJson.Tag("too_many_emails"));
            var results = new JArray();
            foreach (var item in list)
            {
                var selector = item["user"];
                var member = Member(request, selector);
                if (member == null) { results.Add(StoneJson.Nested("invalid_user", selector.DeepClone())); continue; }
                if (!member.EmailVerified) { results.Add(StoneJson.Nested("unverified", selector.DeepClone())); continue; }
                var perEmail = new JArray();
                foreach (var email in item["secondary_emails"].Select(e => (string)e))
                {
                    var tag = Team.AddSecondaryEmail(member.TeamMemberId, email, out var added);
                    perEmail.Add(tag == "success"
                        ? StoneJson.Inlined("success", new JObject { ["email"] = added.Email, ["is_verified"] = added.IsVerified })
                        : StoneJson.Nested(tag, email));
                }
                results.Add(StoneJson.Inlined("success", new JObject { ["user"] = selector.DeepClone(), ["results"] = perEmail }));
            }
            return Ok(new JObject { ["results"] = results });
        }

        /// <summary>(DeleteSecondaryEmailsArg, DeleteSecondaryEmailsResult, Void): per user UserDeleteResult, per address DeleteSecondaryEmailResult.</summary>
        private HttpResponseMessage DeleteSecondaryEmails(DropboxRpcRequest request)
        {
            var results = new JArray();
            foreach (var item in Lists(request, "emails_to_delete"))
            {
                var selector = item["user"];
                var member = Member(request, selector);
                if (member == null) { results.Add(StoneJson.Nested("invalid_user", selector.DeepClone())); continue; }
                var perEmail = new JArray(item["secondary_emails"].Select(e => StoneJson.Nested(Team.DeleteSecondaryEmail(member.TeamMemberId, (string)e), (string)e)));
                results.Add(StoneJson.Inlined("success", new JObject { ["user"] = selector.DeepClone(), ["results"] = perEmail }));
            }
            return Ok(new JObject { ["results"] = results });
        }

        /// <summary>A List(UserSecondaryEmailsArg) field: each item a user and its addresses (common.EmailAddress), checked before the route runs.</summary>
        private static JArray Lists(DropboxRpcRequest request, string field)
        {
            var list = Struct(request)[field] as JArray ?? throw Bad(request, $"missing required field '{field}'");
            foreach (var item in list)
            {
                if (!(item is JObject user) || user["user"] == null) throw Bad(request, $"{field}: missing required field 'user'");
                if (!(user["secondary_emails"] is JArray emails)) throw Bad(request, $"{field}: missing required field 'secondary_emails'");
                foreach (var email in emails)
                    if (email.Type != JTokenType.String || !System.Text.RegularExpressions.Regex.IsMatch((string)email, @"^[^@\s]+@[^@\s]+\.[^@\s]+$"))
                        throw Bad(request, $"{field}: secondary_emails: '{email}' is not a valid email address");
            }
            return list;
        }
    }
}
