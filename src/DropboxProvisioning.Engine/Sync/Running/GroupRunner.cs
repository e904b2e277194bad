using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Time;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Carries out group changes after the user changes of the same cycle, so members created in this cycle are
    /// resolved (to their Dropbox ids, from the managed-accounts record). Memberships change by PATCH add and remove
    /// in batches, never by replacing the whole member list.
    /// </summary>
    internal sealed class GroupRunner
    {
        public const int MembersPerOperation = 100;
        private readonly IDropboxTarget _target;
        private readonly ProvisioningState _state;
        private readonly ICycleObserver _observer;
        private readonly IClock _clock;

        private readonly PendingWrites _pending;

        public GroupRunner(IDropboxTarget target, ProvisioningState state, ICycleObserver observer, IClock clock, PendingWrites pending = null)
        {
            _target = target;
            _state = state;
            _observer = observer;
            _clock = clock;
            _pending = pending;
        }

        public async Task RunAsync(IEnumerable<ProvisioningChange> changes, Action<ChangeOutcome> completed, CancellationToken cancellationToken)
        {
            foreach (var change in changes)
            {
                if (cancellationToken.IsCancellationRequested) break;
                var outcome = new ChangeOutcome(change);
                change.Record(outcome);
                try
                {
                    switch (change.Planned)
                    {
                        case ChangeAction.Create: await CreateAsync(outcome, cancellationToken).ConfigureAwait(false); break;
                        case ChangeAction.Update:
                        case ChangeAction.Adopt: await UpdateAsync(outcome, cancellationToken).ConfigureAwait(false); break;
                        case ChangeAction.Delete: await DeleteAsync(outcome, cancellationToken).ConfigureAwait(false); break;
                        case ChangeAction.Skip: outcome.Status = ChangeStatus.Skipped; break;
                        default: continue;
                    }
                }
                catch (DropboxTargetException e) when (e.IsCredentialFailure) { throw; }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { break; }
                catch (Errors.DbxException e)
                {
                    outcome.Status = ChangeStatus.Failure;
                    outcome.Details = e.Message;
                    _observer.Warning($"{outcome.Action} of group '{change.TargetIdentity ?? change.SourceIdentity}' failed: {e.Message}");
                }
                completed(outcome);
            }
        }

        private HashSet<string> Members(ChangeOutcome outcome)
        {
            var members = ManagedRecords.ResolveMembers(_state, outcome.Change.SourceMembers ?? new HashSet<string>(), out var leftOut);
            if (leftOut > 0) outcome.Details = $"{leftOut} member(s) are not provisioned in Dropbox and were left out";
            return members;
        }

        private async Task CreateAsync(ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            var members = Members(outcome);
            var body = _target.NewResource("Groups");
            foreach (var value in change.Values) value.Path.Set(body, value.Value.DeepClone());
            var first = members.Take(MembersPerOperation).ToList();
            body["members"] = new JArray(first.Select(m => new JObject { ["value"] = m }));
            JObject created;
            // On disk before the request leaves: a group whose answer is lost is found again next cycle, never made twice.
            _pending?.Record(new[] { CreateIntents.ForGroup(change, _clock.UtcNow) });
            try
            {
                created = await _target.CreateAsync("Groups", body, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (e.StatusCode == 409)
            {
                var existing = await _target.FindAsync("Groups", "displayName", change.TargetIdentity, cancellationToken).ConfigureAwait(false);
                bool taken;
                lock (_state.Gate) taken = existing == null || _state.Groups.Values.Any(g => g.TargetId == (string)existing["id"]);
                if (taken) throw;
                outcome.TargetId = (string)existing["id"];
                ManagedRecords.RememberGroup(_state, outcome, existing, new HashSet<string>(((existing["members"] as JArray) ?? new JArray()).Select(m => (string)m["value"]), StringComparer.Ordinal), "displayName", _clock.UtcNow);
                _pending?.Settle(PendingWrite.Groups, change.SourceId);
                outcome.Status = ChangeStatus.Warning;
                outcome.Details = $"Dropbox already had a group named '{change.TargetIdentity}'; it is now managed and its members are brought in line next cycle.";
                return;
            }
            outcome.TargetId = (string)created["id"];
            var have = new HashSet<string>(first, StringComparer.Ordinal);
            ManagedRecords.RememberGroup(_state, outcome, created, have, "Created", _clock.UtcNow);
            _pending?.Settle(PendingWrite.Groups, change.SourceId);
            await PatchMembersAsync(outcome, members, have, cancellationToken).ConfigureAwait(false);
            outcome.Status = ChangeStatus.Success;
        }

        private async Task UpdateAsync(ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            var members = Members(outcome);
            var current = new HashSet<string>(change.CurrentMembers ?? new HashSet<string>(), StringComparer.Ordinal);
            if (change.Values.Count > 0)
            {
                var operations = change.Values.Select(v => _target.ReplaceOperation(v.Path.Text, v.Value.DeepClone())).ToList();
                await _target.PatchAsync("Groups", change.TargetId, operations, cancellationToken).ConfigureAwait(false);
            }
            var after = (JObject)change.Existing?.DeepClone() ?? new JObject { ["id"] = change.TargetId };
            foreach (var value in change.Values) value.Path.Set(after, value.Value);
            ManagedRecords.RememberGroup(_state, outcome, after, current, change.MatchedBy, _clock.UtcNow);
            await PatchMembersAsync(outcome, members, current, cancellationToken).ConfigureAwait(false);
            outcome.Status = ChangeStatus.Success;
        }

        /// <summary>Adds and removes members in batches, recording each batch as soon as Dropbox took it.</summary>
        private async Task PatchMembersAsync(ChangeOutcome outcome, HashSet<string> desired, HashSet<string> current, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            var add = desired.Where(m => !current.Contains(m)).ToList();
            var remove = current.Where(m => !desired.Contains(m)).ToList();
            for (var i = 0; i < add.Count; i += MembersPerOperation)
            {
                var batch = add.Skip(i).Take(MembersPerOperation).ToList();
                await _target.PatchAsync("Groups", outcome.TargetId, new[] { _target.MembersOperation("Add", batch) }, cancellationToken).ConfigureAwait(false);
                lock (_state.Gate) foreach (var m in batch) current.Add(m);
            }
            for (var i = 0; i < remove.Count; i += MembersPerOperation)
            {
                var batch = remove.Skip(i).Take(MembersPerOperation).ToList();
                await _target.PatchAsync("Groups", outcome.TargetId, new[] { _target.MembersOperation("Remove", batch) }, cancellationToken).ConfigureAwait(false);
                lock (_state.Gate) foreach (var m in batch) current.Remove(m);
            }
            if (add.Count > 0 || remove.Count > 0)
            {
                var modified = outcome.ModifiedProperties;
                var summary = modified.FindIndex(p => p.Name == "members");
                var text = new ModifiedProperty("members", $"{current.Count - add.Count + remove.Count}", $"+{add.Count} -{remove.Count}");
                if (summary >= 0) modified[summary] = text; else modified.Add(text);
            }
            lock (_state.Gate)
                if (_state.Groups.TryGetValue(change.SourceId, out var managed)) managed.Members = current;
        }

        private async Task DeleteAsync(ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            try { await _target.DeleteAsync("Groups", change.TargetId, cancellationToken).ConfigureAwait(false); }
            catch (DropboxTargetException e) when (e.StatusCode == 404) { outcome.Details = "the Dropbox group was already gone"; }
            lock (_state.Gate) _state.Groups.Remove(change.SourceId);
            outcome.Status = ChangeStatus.Success;
        }
    }
}
