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
    /// in batches, never by replacing the whole member list; only the members the engine added are removed, and only the
    /// groups it created are deleted (GroupOwnership), unless the setting TakeOverDropboxGroups says so.
    /// </summary>
    internal sealed class GroupRunner
    {
        public const int MembersPerOperation = 100;
        private readonly IDropboxTarget _target;
        private readonly ProvisioningState _state;
        private readonly ICycleObserver _observer;
        private readonly IClock _clock;
        private readonly bool _takeOver;

        private readonly PendingWrites _pending;

        public GroupRunner(IDropboxTarget target, ProvisioningState state, ICycleObserver observer, IClock clock, bool takeOver = false, PendingWrites pending = null)
        {
            _target = target;
            _state = state;
            _observer = observer;
            _clock = clock;
            _takeOver = takeOver;
            _pending = pending;
        }

        /// <summary>True once no further write may start (the cycle's deadline); the group changes left are the next cycle's.</summary>
        internal Func<bool> StopWrites { get; set; }

        public async Task RunAsync(IEnumerable<ProvisioningChange> changes, Action<ChangeOutcome> completed, CancellationToken cancellationToken)
        {
            foreach (var change in changes)
            {
                if (cancellationToken.IsCancellationRequested) break;
                if (StopWrites != null && RemainingWork.IsWrite(change) && StopWrites()) continue;
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
                        case ChangeAction.Other: await LetGoAsync(outcome, cancellationToken).ConfigureAwait(false); break;
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
                lock (_state.Gate) _state.Groups[change.SourceId].AddedMembers = new HashSet<string>(StringComparer.Ordinal); // none of them are the engine's
                SummarizeMembers(outcome, 0, 0, 0); // the refused create added no one
                outcome.Status = ChangeStatus.Warning;
                outcome.Details = $"Dropbox already had a group named '{change.TargetIdentity}'; it is now managed and its members are brought in line next cycle.";
                return;
            }
            outcome.TargetId = (string)created["id"];
            var have = new HashSet<string>(first, StringComparer.Ordinal);
            ManagedRecords.RememberGroup(_state, outcome, created, have, "Created", _clock.UtcNow);
            _pending?.Settle(PendingWrite.Groups, change.SourceId);
            lock (_state.Gate) _state.Groups[change.SourceId].AddedMembers = new HashSet<string>(have, StringComparer.Ordinal);
            var (added, _) = await PatchMembersAsync(outcome, members, have, cancellationToken).ConfigureAwait(false);
            // The members the create carried and those added after it: what was sent, not what the plan foresaw.
            SummarizeMembers(outcome, 0, first.Count + added, 0);
            outcome.Status = ChangeStatus.Success;
        }

        private async Task UpdateAsync(ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            var members = Members(outcome);
            var current = new HashSet<string>(change.CurrentMembers ?? new HashSet<string>(), StringComparer.Ordinal);
            var before = current.Count;
            if (change.Values.Count > 0)
            {
                var operations = change.Values.Select(v => _target.ReplaceOperation(v.Path.Text, v.Value.DeepClone())).ToList();
                await _target.PatchAsync("Groups", change.TargetId, operations, cancellationToken).ConfigureAwait(false);
            }
            var after = (JObject)change.Existing?.DeepClone() ?? new JObject { ["id"] = change.TargetId };
            foreach (var value in change.Values) value.Path.Set(after, value.Value);
            ManagedRecords.RememberGroup(_state, outcome, after, current, change.MatchedBy, _clock.UtcNow);
            var (added, removed) = await PatchMembersAsync(outcome, members, current, cancellationToken).ConfigureAwait(false);
            SummarizeMembers(outcome, before, added, removed);
            outcome.Status = ChangeStatus.Success;
            if (change.Values.Count == 0 && added == 0 && removed == 0)
            {
                // The plan foresaw member changes (members still to be created, who turned out to be in the group
                // already): no request was sent, so this is no update, and it is not counted as one.
                outcome.Action = change.Planned == ChangeAction.Adopt || change.IsAdoption ? ChangeAction.Adopt : ChangeAction.Other;
                outcome.Details = outcome.Details ?? "Dropbox already held the group as planned: nothing was sent.";
            }
            else if (change.Planned == ChangeAction.Adopt) outcome.Action = ChangeAction.Update;
        }

        /// <summary>The log's members line says what was sent: members before, added and removed; none when nothing was sent.</summary>
        private static void SummarizeMembers(ChangeOutcome outcome, int before, int added, int removed)
        {
            var modified = outcome.ModifiedProperties;
            modified.RemoveAll(p => p.Name == "members");
            if (added > 0 || removed > 0) modified.Add(new ModifiedProperty("members", $"{before}", $"+{added} -{removed}"));
        }

        /// <summary>Adds and removes members in batches, recording each batch as soon as Dropbox took it.</summary>
        private async Task<(int Added, int Removed)> PatchMembersAsync(ChangeOutcome outcome, HashSet<string> desired, HashSet<string> current, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            var add = desired.Where(m => !current.Contains(m)).ToList();
            HashSet<string> added;
            List<string> remove;
            lock (_state.Gate)
            {
                var managed = _state.Groups[change.SourceId];
                remove = GroupOwnership.Removable(managed, current.Where(m => !desired.Contains(m)).ToList(), _takeOver, change.DriftRemovals);
                added = managed.AddedMembers = GroupOwnership.Added(managed);
            }
            for (var i = 0; i < add.Count; i += MembersPerOperation)
            {
                var batch = add.Skip(i).Take(MembersPerOperation).ToList();
                await _target.PatchAsync("Groups", outcome.TargetId, new[] { _target.MembersOperation("Add", batch) }, cancellationToken).ConfigureAwait(false);
                lock (_state.Gate) foreach (var m in batch) { current.Add(m); added.Add(m); }
            }
            for (var i = 0; i < remove.Count; i += MembersPerOperation)
            {
                var batch = remove.Skip(i).Take(MembersPerOperation).ToList();
                await _target.PatchAsync("Groups", outcome.TargetId, new[] { _target.MembersOperation("Remove", batch) }, cancellationToken).ConfigureAwait(false);
                lock (_state.Gate) foreach (var m in batch) { current.Remove(m); added.Remove(m); }
            }
            lock (_state.Gate)
                if (_state.Groups.TryGetValue(change.SourceId, out var managed)) managed.Members = current;
            return (add.Count, remove.Count);
        }

        /// <summary>
        /// A group the engine matched by name and did not create, out of scope: it stays in Dropbox without the members
        /// the engine added, and is no longer managed.
        /// </summary>
        private async Task LetGoAsync(ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            List<string> remove;
            int before;
            lock (_state.Gate)
            {
                _state.Groups.TryGetValue(change.SourceId, out var managed);
                var members = managed?.Members ?? new HashSet<string>();
                before = members.Count;
                var added = GroupOwnership.Added(managed);
                remove = members.Where(added.Contains).ToList();
            }
            for (var i = 0; i < remove.Count; i += MembersPerOperation)
            {
                var batch = remove.Skip(i).Take(MembersPerOperation).ToList();
                try { await _target.PatchAsync("Groups", change.TargetId, new[] { _target.MembersOperation("Remove", batch) }, cancellationToken).ConfigureAwait(false); }
                catch (DropboxTargetException e) when (e.StatusCode == 404) { outcome.Details = "the Dropbox group was already gone"; remove.Clear(); break; }
            }
            SummarizeMembers(outcome, before, 0, remove.Count);
            lock (_state.Gate) _state.Groups.Remove(change.SourceId);
            outcome.Status = ChangeStatus.Success;
            outcome.Details = outcome.Details ?? $"The engine did not create the Dropbox group '{change.TargetIdentity}' (it matched it by name): the group stays in Dropbox{(remove.Count > 0 ? $" without the {remove.Count} member(s) the engine added" : "")}, and is no longer managed. Set-DbxProvisioningSetting -TakeOverDropboxGroups $true deletes such groups.";
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
