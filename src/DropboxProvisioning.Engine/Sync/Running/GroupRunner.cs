using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Carries out group changes after the user changes of the same cycle, so members created in this
    /// cycle are resolved. Memberships change by PATCH add and remove in batches, never by replacing the
    /// whole member list.
    /// </summary>
    public sealed class GroupExecutor
    {
        public const int MembersPerOperation = 100;
        private readonly IDropboxTarget _scim;
        private readonly ProvisioningState _state;
        private readonly GroupPlanner _planner;
        private readonly ICycleObserver _observer;

        public GroupExecutor(IDropboxTarget scim, ProvisioningState state, GroupPlanner planner, ICycleObserver observer)
        {
            _scim = scim;
            _state = state;
            _planner = planner;
            _observer = observer;
        }

        public async Task ExecuteAsync(IEnumerable<ProvisioningChange> changes, Action<ProvisioningChange> completed, CancellationToken cancellationToken)
        {
            foreach (var change in changes)
            {
                if (cancellationToken.IsCancellationRequested) break;
                try
                {
                    switch (change.Action)
                    {
                        case ChangeAction.Create: await CreateAsync(change, cancellationToken).ConfigureAwait(false); break;
                        case ChangeAction.Update:
                        case ChangeAction.Adopt: await UpdateAsync(change, cancellationToken).ConfigureAwait(false); break;
                        case ChangeAction.Delete: await DeleteAsync(change, cancellationToken).ConfigureAwait(false); break;
                        case ChangeAction.Skip: change.Status = ChangeStatus.Skipped; break;
                        default: continue;
                    }
                }
                catch (DropboxTargetException e) when (e.IsCredentialFailure) { throw; }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { break; }
                catch (Errors.DbxException e)
                {
                    change.Status = ChangeStatus.Failure;
                    change.StatusDetails = e.Message;
                    _observer.Warning($"{change.Action} of group '{change.TargetIdentity ?? change.SourceIdentity}' failed: {e.Message}");
                }
                completed(change);
            }
        }

        private HashSet<string> Members(ProvisioningChange change, out int leftOut)
        {
            var members = _planner.Resolve(change.SourceMembers ?? new HashSet<string>(), out leftOut);
            if (leftOut > 0) change.StatusDetails = $"{leftOut} member(s) are not provisioned in Dropbox and were left out";
            return members;
        }

        private async Task CreateAsync(ProvisioningChange change, CancellationToken cancellationToken)
        {
            var members = Members(change, out _);
            var body = new JObject { ["schemas"] = new JArray(ScimClient.GroupSchema) };
            foreach (var value in change.Values) value.Path.Set(body, value.Value.DeepClone());
            var first = members.Take(MembersPerOperation).ToList();
            body["members"] = new JArray(first.Select(m => new JObject { ["value"] = m }));
            JObject created;
            try
            {
                created = await _scim.CreateAsync("Groups", body, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (e.StatusCode == 409)
            {
                var existing = await _scim.FindAsync("Groups", "displayName", change.TargetIdentity, cancellationToken).ConfigureAwait(false);
                if (existing == null || _state.Groups.Values.Any(g => g.TargetId == (string)existing["id"])) throw;
                change.TargetId = (string)existing["id"];
                Remember(change, existing, new HashSet<string>(((existing["members"] as JArray) ?? new JArray()).Select(m => (string)m["value"]), StringComparer.Ordinal), "displayName");
                change.Status = ChangeStatus.Warning;
                change.StatusDetails = $"Dropbox already had a group named '{change.TargetIdentity}'; it is now managed and its members are brought in line next cycle.";
                return;
            }
            change.TargetId = (string)created["id"];
            var have = new HashSet<string>(first, StringComparer.Ordinal);
            Remember(change, created, have, "Created");
            await PatchMembersAsync(change, members, have, cancellationToken).ConfigureAwait(false);
            change.Status = ChangeStatus.Success;
        }

        private async Task UpdateAsync(ProvisioningChange change, CancellationToken cancellationToken)
        {
            var members = Members(change, out _);
            var current = new HashSet<string>(change.CurrentMembers ?? new HashSet<string>(), StringComparer.Ordinal);
            if (change.Values.Count > 0)
            {
                var operations = change.Values.Select(v => ScimClient.Operation("Replace", v.Path.Text, v.Value.DeepClone())).ToList();
                await _scim.PatchAsync("Groups", change.TargetId, operations, cancellationToken).ConfigureAwait(false);
            }
            var after = (JObject)change.Existing?.DeepClone() ?? new JObject { ["id"] = change.TargetId };
            foreach (var value in change.Values) value.Path.Set(after, value.Value);
            Remember(change, after, current, change.MatchedBy);
            await PatchMembersAsync(change, members, current, cancellationToken).ConfigureAwait(false);
            change.Status = ChangeStatus.Success;
        }

        /// <summary>Adds and removes members in batches, recording each batch as soon as Dropbox took it.</summary>
        private async Task PatchMembersAsync(ProvisioningChange change, HashSet<string> desired, HashSet<string> current, CancellationToken cancellationToken)
        {
            var add = desired.Where(m => !current.Contains(m)).ToList();
            var remove = current.Where(m => !desired.Contains(m)).ToList();
            for (var i = 0; i < add.Count; i += MembersPerOperation)
            {
                var batch = add.Skip(i).Take(MembersPerOperation).ToList();
                await _scim.PatchAsync("Groups", change.TargetId,
                    new[] { ScimClient.Operation("Add", "members", new JArray(batch.Select(m => new JObject { ["value"] = m }))) }, cancellationToken).ConfigureAwait(false);
                lock (_state) foreach (var m in batch) current.Add(m);
            }
            for (var i = 0; i < remove.Count; i += MembersPerOperation)
            {
                var batch = remove.Skip(i).Take(MembersPerOperation).ToList();
                await _scim.PatchAsync("Groups", change.TargetId,
                    new[] { ScimClient.Operation("Remove", "members", new JArray(batch.Select(m => new JObject { ["value"] = m }))) }, cancellationToken).ConfigureAwait(false);
                lock (_state) foreach (var m in batch) current.Remove(m);
            }
            if (add.Count > 0 || remove.Count > 0)
            {
                var summary = change.ModifiedProperties.FindIndex(p => p.Name == "members");
                var text = new ModifiedProperty("members", $"{current.Count - add.Count + remove.Count}", $"+{add.Count} -{remove.Count}");
                if (summary >= 0) change.ModifiedProperties[summary] = text; else change.ModifiedProperties.Add(text);
            }
            lock (_state)
                if (_state.Groups.TryGetValue(change.SourceId, out var managed)) managed.Members = current;
        }

        private async Task DeleteAsync(ProvisioningChange change, CancellationToken cancellationToken)
        {
            try { await _scim.DeleteAsync("Groups", change.TargetId, cancellationToken).ConfigureAwait(false); }
            catch (DropboxTargetException e) when (e.StatusCode == 404) { change.StatusDetails = "the Dropbox group was already gone"; }
            lock (_state) _state.Groups.Remove(change.SourceId);
            change.Status = ChangeStatus.Success;
        }

        private void Remember(ProvisioningChange change, JObject resource, HashSet<string> members, string matchedBy)
        {
            lock (_state)
            {
                if (!_state.Groups.TryGetValue(change.SourceId, out var managed))
                    _state.Groups[change.SourceId] = managed = new ManagedObject { SourceId = change.SourceId };
                managed.TargetId = (string)resource["id"] ?? change.TargetId;
                managed.TargetIdentity = (string)resource["displayName"] ?? change.TargetIdentity;
                if (matchedBy != null || managed.MatchedBy == null) managed.MatchedBy = matchedBy ?? "Created";
                managed.LastExported = DateTimeOffset.UtcNow;
                foreach (var value in change.Desired ?? change.Values) managed.Exported[value.Path.Text] = ValueText.Of(value.Value);
                managed.Members = members;
            }
        }
    }
}
