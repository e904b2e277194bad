using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.TeamApi
{
    public sealed partial class TeamApiClient
    {
        /// <summary>members/secondary_emails/add and delete take at most 20 addresses a call (AddSecondaryEmailsError.too_many_emails).</summary>
        public const int MaxSecondaryEmailsPerCall = 20;

        /// <summary>
        /// members/secondary_emails/add for one member (team.stone AddSecondaryEmailsArg): per address, "success" or the
        /// refusal's tag (unavailable, already_pending, already_owned_by_user, reached_limit, rate_limited, ...); a refusal
        /// of the member itself (invalid_user, unverified, placeholder_user) is every address's.
        /// </summary>
        public async Task<List<(string Email, string Tag)>> AddSecondaryEmailsAsync(string teamMemberId, IReadOnlyList<string> emails, CancellationToken cancellationToken)
        {
            var results = new List<(string, string)>();
            for (var start = 0; start < emails.Count; start += MaxSecondaryEmailsPerCall)
            {
                var slice = emails.Skip(start).Take(MaxSecondaryEmailsPerCall).ToList();
                var answer = await CallAsync("members/secondary_emails/add", new JObject
                {
                    ["new_secondary_emails"] = new JArray(new JObject { ["user"] = ById(teamMemberId), ["secondary_emails"] = new JArray(slice) }),
                }, cancellationToken).ConfigureAwait(false);
                results.AddRange(PerEmail(answer, slice));
            }
            return results;
        }

        /// <summary>members/secondary_emails/delete for one member: per address, "success", not_found or cannot_remove_primary.</summary>
        public async Task<List<(string Email, string Tag)>> DeleteSecondaryEmailsAsync(string teamMemberId, IReadOnlyList<string> emails, CancellationToken cancellationToken)
        {
            var results = new List<(string, string)>();
            for (var start = 0; start < emails.Count; start += MaxSecondaryEmailsPerCall)
            {
                var slice = emails.Skip(start).Take(MaxSecondaryEmailsPerCall).ToList();
                var answer = await CallAsync("members/secondary_emails/delete", new JObject
                {
                    ["emails_to_delete"] = new JArray(new JObject { ["user"] = ById(teamMemberId), ["secondary_emails"] = new JArray(slice) }),
                }, cancellationToken).ConfigureAwait(false);
                results.AddRange(PerEmail(answer, slice));
            }
            return results;
        }

        /// <summary>One user's results (UserAddResult / UserDeleteResult) as a tag per address sent.</summary>
        private static IEnumerable<(string Email, string Tag)> PerEmail(JToken answer, List<string> sent)
        {
            var user = (answer?["results"] as JArray)?.FirstOrDefault() as JObject;
            var userTag = (string)user?[".tag"];
            if (userTag != "success") return sent.Select(e => (e, userTag ?? "no_result"));
            var items = user["results"] as JArray ?? new JArray();
            return sent.Select((e, i) =>
            {
                var item = i < items.Count ? items[i] as JObject : null;
                var tag = (string)item?[".tag"] ?? "no_result";
                // success holds a SecondaryEmail (add) or the address (delete); a refusal holds the address it is about.
                var email = tag == "success" ? (string)item["email"] ?? (string)item["success"] ?? e : (string)item[tag] ?? e;
                return (email.ToLowerInvariant(), tag);
            });
        }
    }
}
