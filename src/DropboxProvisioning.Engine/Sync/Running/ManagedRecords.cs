using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// How the runners record what Dropbox now holds in the managed-accounts record, under the record's own lock:
    /// the cache that keeps the engine from ever touching an account it did not create or match.
    /// </summary>
    internal static class ManagedRecords
    {
        /// <summary>
        /// Records the account as managed, with the values it now holds. When <paramref name="answered"/>,
        /// <paramref name="resource"/> is Dropbox's own answer, and values it did not keep as sent are noted.
        /// </summary>
        /// <param name="retryDiffering">Values the resource does not hold are recorded as it holds them (not as declined), so they are sent again.</param>
        public static void RememberUser(ProvisioningState state, ChangeOutcome outcome, JObject resource, string matchedBy, DateTimeOffset now, bool answered = false, bool retryDiffering = false)
        {
            var change = outcome.Change;
            var targetId = (string)resource?["id"] ?? outcome.TargetId;
            lock (state.Gate)
            {
                if (!state.Users.TryGetValue(change.SourceId, out var managed))
                {
                    managed = new ManagedObject { SourceId = change.SourceId };
                    state.Users[change.SourceId] = managed;
                }
                managed.TargetId = targetId;
                // Dropbox's answer is a new string each time: the planned one is kept when they agree, so that the state
                // holds the userName once (it is also the exported value).
                var userName = (string)resource?["userName"];
                managed.TargetIdentity = userName == null || userName == change.TargetIdentity ? change.TargetIdentity : userName;
                if (matchedBy != null || managed.MatchedBy == null) managed.MatchedBy = matchedBy ?? "Created";
                managed.Active = UserPlanner.IsActive(resource);
                if (managed.Active) state.PendingRemovals?.Remove(change.SourceId); // the user came back: no removal
                managed.LastExported = now;
                foreach (var value in change.Desired ?? outcome.Values)
                {
                    // A list (secondary e-mails): the engine owns what it wanted and Dropbox holds, so a refused address is sent again.
                    var owned = value.Attribute.Target.MultiValued && answered ? MergedEmails.Owned(value.Value, value.Path.Get(resource)) : ValueText.Of(value.Value);
                    if (owned == null) managed.Exported.Remove(value.Path.Text);
                    else managed.Exported[value.Path.Text] = owned;
                }
                foreach (var value in outcome.Values)
                {
                    if (value.Attribute.Target.MultiValued)
                    {
                        // Declined: the mapping's list (what the planner compares), until the mapping's value changes.
                        var wanted = (change.Desired ?? outcome.Values).FirstOrDefault(d => d.Path.Text == value.Path.Text);
                        if (wanted.Attribute == null && answered) managed.Exported.Remove(value.Path.Text); // the mapping gives none: the engine owns none
                        if (answered && !retryDiffering && !MergedEmails.Holds(value.Path.Get(resource), value)) managed.Declined[value.Path.Text] = ValueText.Of(wanted.Value ?? value.Value);
                        else managed.Declined.Remove(value.Path.Text);
                        continue;
                    }
                    if (ClearedValues.IsRemoval(value))
                    {
                        // Removed (a custom quota back to the team's default): no longer the engine's value.
                        managed.Exported.Remove(value.Path.Text);
                        managed.Declined.Remove(value.Path.Text);
                        continue;
                    }
                    var held = answered ? value.Path.Get(resource) : null;
                    if (answered && retryDiffering && !JToken.DeepEquals(held, value.Value))
                    {
                        managed.Exported[value.Path.Text] = ValueText.Of(held);
                        managed.ForgetDeclined(value.Path.Text);
                    }
                    else if (answered && !JToken.DeepEquals(held, value.Value)) managed.Declined[value.Path.Text] = ValueText.Of(value.Value);
                    else managed.ForgetDeclined(value.Path.Text);
                }
                if (change.Planned == ChangeAction.Disable) managed.Exported["active"] = "False";
            }
        }

        public static void ForgetUser(ProvisioningState state, string sourceId)
        {
            lock (state.Gate) state.Users.Remove(sourceId);
        }

        public static void RememberGroup(ProvisioningState state, ChangeOutcome outcome, JObject resource, HashSet<string> members, string matchedBy, DateTimeOffset now)
        {
            var change = outcome.Change;
            lock (state.Gate)
            {
                if (!state.Groups.TryGetValue(change.SourceId, out var managed))
                    state.Groups[change.SourceId] = managed = new ManagedObject { SourceId = change.SourceId };
                managed.TargetId = (string)resource["id"] ?? outcome.TargetId;
                managed.TargetIdentity = (string)resource["displayName"] ?? change.TargetIdentity;
                if (matchedBy != null || managed.MatchedBy == null) managed.MatchedBy = matchedBy ?? "Created";
                managed.LastExported = now;
                foreach (var value in change.Desired ?? change.Values) managed.Exported[value.Path.Text] = ValueText.Of(value.Value);
                managed.Members = members;
            }
        }

        /// <summary>Dropbox ids of the members that are provisioned and active; the rest are counted as unresolved references.</summary>
        public static HashSet<string> ResolveMembers(ProvisioningState state, IEnumerable<string> sourceMembers, out int unresolved)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            unresolved = 0;
            lock (state.Gate)
            {
                foreach (var member in sourceMembers)
                {
                    if (state.Users.TryGetValue(member, out var managed) && managed.TargetId != null && managed.Active) result.Add(managed.TargetId);
                    else unresolved++;
                }
            }
            return result;
        }
    }
}
