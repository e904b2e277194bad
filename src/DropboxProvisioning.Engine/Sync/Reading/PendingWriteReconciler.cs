using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Before a cycle reads anything: each create an earlier cycle sent without recording its outcome (the answer was lost,
    /// or the process died before saving) is looked up in Dropbox by the identity values it sent, not by the user's current
    /// ones, which may have changed since. An account or group found, and managed for no one else, is the engine's own:
    /// it is recorded as created, and the cycle then plans it as usual (updated to the current values, suspended when the
    /// user left scope). None found: the create never reached Dropbox, and ordinary planning creates it again.
    /// A lookup that fails keeps the write for the next cycle. Nothing is written here: the next save of the state settles
    /// these writes in pending-writes.jsonl (so under -WhatIf nothing changes on disk).
    /// </summary>
    internal static class PendingWriteReconciler
    {
        public static async Task ReconcileAsync(IDropboxTarget target, StateStore store, ProvisioningState state, CompiledMapping mapping,
            ICycleObserver observer, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var pending = store.PendingWrites;
            foreach (var write in pending.Reload())
            {
                if (Settled(state, write)) { pending.Settle(write.Kind, write.SourceId); continue; }
                try
                {
                    var found = write.Kind == PendingWrite.Users
                        ? await FindUserAsync(target, write, cancellationToken).ConfigureAwait(false)
                        : await FindGroupAsync(target, write, cancellationToken).ConfigureAwait(false);
                    if (found != null) TakeOver(state, write, found, mapping, now, observer);
                    pending.Settle(write.Kind, write.SourceId);
                }
                catch (DropboxTargetException e) when (!e.IsCredentialFailure)
                {
                    observer.Verbose($"A create sent earlier for Entra object {write.SourceId} could not be looked up in Dropbox ({e.Message}); it is looked up again next cycle.");
                }
            }
        }

        /// <summary>The state already holds the write's outcome: a record of the object exported since the write was recorded.</summary>
        private static bool Settled(ProvisioningState state, PendingWrite write)
        {
            var records = write.Kind == PendingWrite.Users ? state.Users : state.Groups;
            return records.TryGetValue(write.SourceId, out var managed) && managed.TargetId != null && managed.LastExported >= write.At;
        }

        private static async Task<JObject> FindUserAsync(IDropboxTarget target, PendingWrite write, CancellationToken cancellationToken)
        {
            var tried = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var key in PendingWrite.UserKeys) // in this order, those the create sent
            {
                if (!write.Values.TryGetValue(key, out var value) || string.IsNullOrEmpty(value)) continue;
                if (key != "externalId" && !tried.Add(value)) continue; // the work e-mail is usually the userName: asked once
                var found = await target.FindAsync("Users", key, value, cancellationToken).ConfigureAwait(false);
                if (found != null) return found;
            }
            return null;
        }

        /// <summary>By the external id (the Entra object id the create sent), else by name when the create sent no external id.</summary>
        private static async Task<JObject> FindGroupAsync(IDropboxTarget target, PendingWrite write, CancellationToken cancellationToken)
        {
            var key = write.Values.TryGetValue("externalId", out var externalId) && !string.IsNullOrEmpty(externalId) ? "externalId" : "displayName";
            if (!write.Values.TryGetValue(key, out var value) || string.IsNullOrEmpty(value)) return null;
            var found = await target.FindAsync("Groups", key, value, cancellationToken).ConfigureAwait(false);
            if (found == null) return null;
            // With its members, to know which are there already.
            try { return await target.GetAsync("Groups", (string)found["id"], cancellationToken).ConfigureAwait(false) ?? found; }
            catch (DropboxTargetException e) when (e.StatusCode == 404) { return null; }
        }

        /// <summary>Records the object as the engine's own; false when the engine manages it for another Entra object (then it is not ours).</summary>
        private static bool TakeOver(ProvisioningState state, PendingWrite write, JObject found, CompiledMapping mapping, DateTimeOffset now, ICycleObserver observer)
        {
            var id = (string)found["id"];
            if (id == null) return false;
            var users = write.Kind == PendingWrite.Users;
            var records = users ? state.Users : state.Groups;
            lock (state.Gate)
            {
                if (records.Values.Any(m => m.TargetId == id && !string.Equals(m.SourceId, write.SourceId, StringComparison.OrdinalIgnoreCase)))
                {
                    observer.Verbose($"A create sent earlier for Entra object {write.SourceId} got no answer; the Dropbox {(users ? "account" : "group")} with its values is managed for another object, so it is left alone.");
                    return false;
                }
                if (!records.TryGetValue(write.SourceId, out var managed)) records[write.SourceId] = managed = new ManagedObject { SourceId = write.SourceId };
                managed.TargetId = id;
                managed.MatchedBy = "Created";
                managed.LastExported = now;
                managed.Declined = new AttributeValues();
                managed.Exported = new AttributeValues();
                if (users)
                {
                    managed.TargetIdentity = UserPlanner.UserName(found);
                    managed.Active = UserPlanner.IsActive(found);
                    // What Dropbox holds, so that the planner compares the current values with it (incremental cycles read the state).
                    foreach (var attribute in mapping.Attributes)
                    {
                        var held = attribute.Path.Get(found);
                        if (held != null && held.Type != JTokenType.Null) managed.Exported[attribute.Path.Text] = ValueText.Of(held);
                    }
                }
                else
                {
                    managed.TargetIdentity = (string)found["displayName"];
                    foreach (var pair in write.Values) managed.Exported[pair.Key] = pair.Value;
                    managed.Members = new HashSet<string>(((found["members"] as JArray) ?? new JArray()).Select(m => (string)m["value"]).Where(m => m != null), StringComparer.Ordinal);
                }
                // The failed create waiting in escrow is done: the object exists and is managed.
                state.Escrows.Remove(write.SourceId);
            }
            observer.Warning($"A create sent earlier for '{(users ? UserPlanner.UserName(found) : (string)found["displayName"])}' got no answer, but Dropbox carried it out: the {(users ? "account" : "group")} is now managed, and this cycle brings it in line.");
            return true;
        }
    }
}
