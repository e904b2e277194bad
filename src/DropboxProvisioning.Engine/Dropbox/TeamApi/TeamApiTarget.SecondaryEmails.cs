using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Mapping;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.TeamApi
{
    /// <summary>
    /// The user attribute secondaryEmails: the member's secondary e-mails as members/list_v2 and get_info_v2 show them
    /// (TeamMemberProfile secondary_emails, verified or pending), added with members/secondary_emails/add and deleted with
    /// members/secondary_emails/delete. An update's value says what to add and what to delete (the planner decides, see
    /// Sync.MergedEmails); a create's is the list to add once the member exists. Refusals are per address: the others
    /// go on, and the write is reported as partly done (<see cref="DropboxPartialUpdateException"/>).
    /// </summary>
    public sealed partial class TeamApiTarget
    {
        private const string SecondaryEmailsPath = TargetSchema.SecondaryEmails;

        /// <summary>What each refusal means, and whether a later retry can help.</summary>
        private static readonly Dictionary<string, (string Meaning, bool Retry)> Refusals = new Dictionary<string, (string, bool)>(StringComparer.Ordinal)
        {
            ["unavailable"] = ("another account owns it or it cannot be claimed", false),
            ["reached_limit"] = ("the member has the most secondary e-mails Dropbox allows", false),
            ["rate_limited"] = ("too many e-mails are being sent to it; retried later", true),
            ["too_many_updates"] = ("conflicting updates; retried later", true),
            ["transient_error"] = ("a transient error; retried later", true),
            ["unknown_error"] = ("an unknown error; retried later", true),
            ["unverified"] = ("Dropbox adds secondary e-mails only to members whose e-mail is verified (who have joined); retried later", true),
            ["placeholder_user"] = ("the member is a placeholder user", false),
            ["invalid_user"] = ("the member is not a valid target", false),
            ["cannot_remove_primary"] = ("it is the member's primary e-mail", false),
            ["no_result"] = ("Dropbox gave no result; retried later", true),
        };

        private static void AddSecondaryEmails(JObject user, JObject profile)
        {
            var emails = (profile["secondary_emails"] as JArray)?.Select(e => ((string)e?["email"])?.ToLowerInvariant()).Where(e => !string.IsNullOrEmpty(e))
                .Distinct().OrderBy(e => e, StringComparer.Ordinal).ToList();
            if (emails != null && emails.Count > 0) user[SecondaryEmailsPath] = new JArray(emails);
        }

        /// <summary>Adds and deletes what the value says on a member as it now is; the member comes back as Dropbox then holds it.</summary>
        private async Task<JObject> ApplySecondaryEmailsAsync(JObject member, JToken value, CancellationToken cancellationToken)
        {
            var id = (string)member["id"];
            var own = ((string)member["userName"])?.ToLowerInvariant();
            var held = new SortedSet<string>(EmailListValue.Items(member[SecondaryEmailsPath]), StringComparer.Ordinal);
            var add = EmailListValue.Items(value is JObject update ? update["add"] : value).Where(e => e != own && !held.Contains(e)).ToList();
            var delete = value is JObject changes ? EmailListValue.Items(changes["delete"]).Where(held.Contains).ToList() : new List<string>();
            var refused = new List<(string Email, string Tag)>();
            if (delete.Count > 0)
                foreach (var (email, tag) in await _client.DeleteSecondaryEmailsAsync(id, delete, cancellationToken).ConfigureAwait(false))
                {
                    if (tag == "success" || tag == "not_found") held.Remove(email); // not_found: already gone
                    else refused.Add((email, tag));
                }
            if (add.Count > 0)
                foreach (var (email, tag) in await _client.AddSecondaryEmailsAsync(id, add, cancellationToken).ConfigureAwait(false))
                {
                    // already_pending / already_owned_by_user: the member has it already, as wanted.
                    if (tag == "success" || tag == "already_pending" || tag == "already_owned_by_user") held.Add(email);
                    else refused.Add((email, tag));
                }
            if (held.Count > 0) member[SecondaryEmailsPath] = new JArray(held);
            else member.Remove(SecondaryEmailsPath);
            if (refused.Count == 0) return member;
            var retry = refused.Any(r => !Refusals.TryGetValue(r.Tag, out var known) || known.Retry);
            var named = string.Join("; ", refused.Select(r => $"{r.Email} ({r.Tag}: {(Refusals.TryGetValue(r.Tag, out var known) ? known.Meaning : "retried later")})"));
            throw new DropboxPartialUpdateException("DropboxSecondaryEmailRefused",
                $"Dropbox refused {refused.Count} secondary e-mail(s) of '{member["userName"]}' (members/secondary_emails/*): {named}; the rest of the update was made.", member, retry);
        }

        /// <summary>On create: the secondary e-mails are added once the member exists (add_v2 takes none).</summary>
        private async Task AddSecondaryEmailsOnCreateAsync(IReadOnlyList<JObject> bodies, List<TargetCreateResult> outcome, CancellationToken cancellationToken)
        {
            for (var i = 0; i < bodies.Count && i < outcome.Count; i++)
            {
                var wanted = bodies[i][SecondaryEmailsPath];
                if (wanted == null || outcome[i].Created == null || outcome[i].Error != null) continue;
                try { outcome[i].Created = await ApplySecondaryEmailsAsync(outcome[i].Created, wanted, cancellationToken).ConfigureAwait(false); }
                catch (DropboxPartialUpdateException partial) { outcome[i].Created = partial.Held; outcome[i].Error = partial; }
            }
        }
    }
}
