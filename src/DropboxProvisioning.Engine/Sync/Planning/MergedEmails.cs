using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// A multi-valued target (secondaryEmails) kept in step without touching what the engine does not manage. Rules:
    /// the addresses the mapping gives, less the member's primary address, are wanted; the addresses the engine owns are
    /// those it last wrote that Dropbox held (the managed record's exported value). A wanted address Dropbox lacks is
    /// added; an owned address Dropbox holds that is no longer wanted is deleted; any other address Dropbox holds (added
    /// by hand, or by the member) stays. The update's value is {"add": [...], "delete": [...]}. Pure: no I/O.
    /// </summary>
    internal static class MergedEmails
    {
        public const string Add = "add", Delete = "delete";

        /// <summary>The update for one desired list value, with the property it changes; null when Dropbox is in step (or it was declined as it is).</summary>
        public static (TargetValue Value, ModifiedProperty Property)? For(TargetValue desired, ManagedObject managed, JObject target, IEnumerable<string> primary)
        {
            var path = desired.Path.Text;
            var own = new HashSet<string>(primary.Where(p => p != null).Select(p => p.ToLowerInvariant()), StringComparer.Ordinal);
            var wanted = EmailListValue.Items(desired.Value).Where(e => !own.Contains(e)).ToList();
            var held = EmailListValue.Items(desired.Path.Get(target));
            var owned = managed != null && managed.Exported.TryGetValue(path, out var text) && text != null ? EmailListValue.Items(new JValue(text)) : new List<string>();
            var add = wanted.Except(held).OrderBy(e => e, StringComparer.Ordinal).ToList();
            var delete = owned.Intersect(held).Except(wanted).OrderBy(e => e, StringComparer.Ordinal).ToList();
            if (add.Count == 0 && delete.Count == 0) return null;
            // Dropbox refused part of this very list before, for good (an address another account owns): not sent again until it changes.
            if (managed != null && managed.Declined.TryGetValue(path, out var declined) && declined == ValueText.Of(desired.Value)) return null;
            var value = new TargetValue(desired.Attribute, new JObject { [Add] = new JArray(add), [Delete] = new JArray(delete) });
            var after = held.Except(delete).Union(add).OrderBy(e => e, StringComparer.Ordinal).ToList();
            return (value, new ModifiedProperty(path, Text(held), Text(after)));
        }

        /// <summary>Dropbox holds what the value asks: a list (a create's) all of it, an update its additions and none of its deletions.</summary>
        public static bool Holds(JToken held, TargetValue value)
        {
            var have = new HashSet<string>(EmailListValue.Items(held), StringComparer.Ordinal);
            if (value.Value is JObject update)
                return EmailListValue.Items(update[Add]).All(have.Contains) && !EmailListValue.Items(update[Delete]).Any(have.Contains);
            return EmailListValue.Items(value.Value).All(have.Contains);
        }

        /// <summary>What the engine owns after a write: the wanted addresses that Dropbox holds (a refused one is sent again).</summary>
        public static string Owned(JToken desired, JToken held)
        {
            var have = new HashSet<string>(EmailListValue.Items(held), StringComparer.Ordinal);
            var owned = EmailListValue.Items(desired).Where(have.Contains).OrderBy(e => e, StringComparer.Ordinal).ToList();
            return owned.Count == 0 ? null : new JArray(owned).ToString(Newtonsoft.Json.Formatting.None);
        }

        private static string Text(List<string> emails) => emails.Count == 0 ? null : string.Join("; ", emails);
    }
}
