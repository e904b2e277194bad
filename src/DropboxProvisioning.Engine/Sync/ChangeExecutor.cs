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
    /// Carries out planned changes against Dropbox's SCIM endpoint, several at a time, recording each
    /// outcome in the state as soon as it is known. One failing user never stops the others; refused
    /// credentials stop everything, since every further call would fail the same way.
    /// </summary>
    public sealed class ChangeExecutor
    {
        private readonly IDropboxTarget _scim;
        private readonly ProvisioningState _state;
        private readonly object _stateGate;
        private readonly ICycleObserver _observer;
        private readonly int _concurrency;

        public ChangeExecutor(IDropboxTarget scim, ProvisioningState state, object stateGate, ICycleObserver observer, int concurrency)
        {
            _scim = scim;
            _state = state;
            _stateGate = stateGate;
            _observer = observer;
            _concurrency = Math.Max(1, concurrency);
        }

        /// <summary>Set when Dropbox refused the credentials; the cycle then stops.</summary>
        public DropboxTargetException CredentialFailure { get; private set; }

        public async Task ExecuteAsync(IReadOnlyList<ProvisioningChange> changes, Action<ProvisioningChange> completed, CancellationToken cancellationToken)
        {
            // A fixed set of workers takes the changes in turn: a large cycle keeps no task or list per change.
            var batchSize = Math.Max(1, _scim.CreateBatchSize);
            using (var units = Units(changes, batchSize).GetEnumerator())
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                async Task WorkAsync()
                {
                    while (!stop.IsCancellationRequested && !_halted)
                    {
                        List<ProvisioningChange> unit;
                        lock (units)
                        {
                            if (!units.MoveNext()) return;
                            unit = units.Current;
                        }
                        await RunUnitAsync(unit, batchSize, stop, completed).ConfigureAwait(false);
                    }
                }
                var workers = new Task[_concurrency];
                for (var i = 0; i < workers.Length; i++) workers[i] = Task.Run(WorkAsync);
                await Task.WhenAll(workers).ConfigureAwait(false);
            }
        }

        /// <summary>Creates go to Dropbox as many at a time as one call takes (20 for members/add_v2); everything else one by one.</summary>
        private static IEnumerable<List<ProvisioningChange>> Units(IReadOnlyList<ProvisioningChange> changes, int batchSize)
        {
            List<ProvisioningChange> open = null;
            foreach (var change in changes)
            {
                if (batchSize > 1 && change.Action == ChangeAction.Create)
                {
                    if (open == null) open = new List<ProvisioningChange>(batchSize);
                    open.Add(change);
                    if (open.Count == batchSize) { yield return open; open = null; }
                }
                else yield return new List<ProvisioningChange>(1) { change };
            }
            if (open != null) yield return open;
        }

        private async Task RunUnitAsync(List<ProvisioningChange> unit, int batchSize, CancellationTokenSource stop, Action<ProvisioningChange> completed)
        {
            try
            {
                if (unit.Count == 1 && (batchSize == 1 || unit[0].Action != ChangeAction.Create)) await ExecuteOneAsync(unit[0], stop.Token).ConfigureAwait(false);
                else await CreateBatchAsync(unit, stop.Token).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (e.IsCredentialFailure)
            {
                CredentialFailure = e;
                foreach (var change in unit) if (change.Status == ChangeStatus.Planned) Fail(change, e);
                stop.Cancel();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                foreach (var change in unit)
                {
                    if (change.Status != ChangeStatus.Planned) continue;
                    change.StatusDetails = "not carried out: the cycle was stopped";
                }
            }
            catch (Errors.DbxException e)
            {
                foreach (var change in unit) if (change.Status == ChangeStatus.Planned) Fail(change, e);
            }
            // A change that cannot be recorded (the state or log cannot be saved) stops every further write to Dropbox.
            try { foreach (var change in unit) if (change.Status != ChangeStatus.Planned) completed(change); }
            catch { _halted = true; throw; }
        }

        private volatile bool _halted;

        /// <summary>How many changes Dropbox refused for want of a license.</summary>
        public int LicenseLimited => _licenseLimited;
        private int _licenseLimited;

        private void Fail(ProvisioningChange change, Exception e)
        {
            if (e is Dropbox.DropboxTargetException target && target.IsLicenseLimit) System.Threading.Interlocked.Increment(ref _licenseLimited);
            change.Status = ChangeStatus.Failure;
            change.StatusDetails = e.Message;
            _observer.Warning($"{change.Action} of '{change.TargetIdentity ?? change.SourceIdentity}' failed: {e.Message}");
        }

        private async Task ExecuteOneAsync(ProvisioningChange change, CancellationToken cancellationToken)
        {
            switch (change.Action)
            {
                case ChangeAction.Create: await CreateAsync(change, cancellationToken).ConfigureAwait(false); break;
                case ChangeAction.Update: await UpdateAsync(change, cancellationToken).ConfigureAwait(false); break;
                case ChangeAction.Disable: await DisableAsync(change, cancellationToken).ConfigureAwait(false); break;
                case ChangeAction.Delete: await DeleteAsync(change, cancellationToken).ConfigureAwait(false); break;
                case ChangeAction.Adopt:
                    Remember(change, change.Existing, change.MatchedBy);
                    change.Status = ChangeStatus.Success;
                    break;
                case ChangeAction.Other:
                    lock (_stateGate) _state.Users.Remove(change.SourceId);
                    change.Status = ChangeStatus.Success;
                    break;
                case ChangeAction.Skip:
                    change.Status = ChangeStatus.Skipped;
                    break;
                default:
                    throw new InvalidOperationException("No executor for " + change.Action);
            }
        }

        private static JObject CreateBody(ProvisioningChange change)
        {
            var body = new JObject { ["schemas"] = new JArray(ScimClient.UserSchema) };
            foreach (var value in change.Values) value.Path.Set(body, value.Value.DeepClone());
            return body;
        }

        private async Task CreateAsync(ProvisioningChange change, CancellationToken cancellationToken)
        {
            var body = CreateBody(change);
            JObject created;
            try
            {
                created = await _scim.CreateAsync("Users", body, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (e.StatusCode == 409)
            {
                await TakeOverExistingAsync(change, e, cancellationToken).ConfigureAwait(false);
                return;
            }
            Created(change, created, body);
        }

        /// <summary>Up to CreateBatchSize users in one call (members/add_v2); each user's result is its own.</summary>
        private async Task CreateBatchAsync(List<ProvisioningChange> batch, CancellationToken cancellationToken)
        {
            var bodies = batch.Select(CreateBody).ToList();
            var results = await _scim.CreateUsersAsync(bodies, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                var change = batch[i];
                var result = i < results.Count ? results[i] : null;
                if (result?.Created != null && result.Error != null)
                {
                    // The account was made but part of it was refused afterwards (its role): it is managed, what Dropbox
                    // holds is recorded as exported so the next cycle sends the rest again, and the change fails (escrow).
                    change.TargetId = (string)result.Created["id"];
                    Remember(change, result.Created, "Created", answered: true, retryDiffering: true);
                    Fail(change, result.Error);
                    continue;
                }
                if (result?.Created != null) { Created(change, result.Created, bodies[i]); continue; }
                var error = result?.Error ?? new DropboxTargetException("DropboxNoResult", Errors.DbxErrorCategory.InvalidResult, $"Dropbox gave no result for '{change.TargetIdentity}'.", 0, null);
                try
                {
                    if (error.StatusCode == 409) await TakeOverExistingAsync(change, error, cancellationToken).ConfigureAwait(false);
                    else Fail(change, error);
                }
                catch (DropboxTargetException e) when (!e.IsCredentialFailure)
                {
                    Fail(change, e);
                }
            }
        }

        private void Created(ProvisioningChange change, JObject created, JObject body)
        {
            change.TargetId = (string)created?["id"];
            Remember(change, created ?? body, "Created", answered: created != null);
            change.Status = ChangeStatus.Success;
        }

        /// <summary>
        /// The account exists after all (made by someone else since we listed, or by our own create whose answer
        /// was lost): find it by userName and take it over rather than fail or duplicate.
        /// </summary>
        private async Task TakeOverExistingAsync(ProvisioningChange change, DropboxTargetException e, CancellationToken cancellationToken)
        {
            var existing = await _scim.FindAsync("Users", "userName", change.TargetIdentity, cancellationToken).ConfigureAwait(false);
            if (existing == null) throw e;
            lock (_stateGate)
            {
                if (_state.Users.Values.Any(m => m.TargetId == (string)existing["id"] && m.SourceId != change.SourceId))
                    throw e;
            }
            change.TargetId = (string)existing["id"];
            Remember(change, existing, "userName");
            change.Status = ChangeStatus.Warning;
            change.StatusDetails = $"Dropbox already had '{change.TargetIdentity}' ({e.Detail}); the existing account is now managed and will be brought in line next cycle.";
        }

        private async Task UpdateAsync(ProvisioningChange change, CancellationToken cancellationToken)
        {
            var operations = change.Values.Select(v => ScimClient.Operation("Replace", v.Path.Text, v.Value.DeepClone())).ToList();
            var updated = await _scim.PatchAsync("Users", change.TargetId, operations, cancellationToken).ConfigureAwait(false);

            // Dropbox derives some attributes from others (a default display name follows the given name):
            // what it changed on its own that the mapping says otherwise is set in one more PATCH, once.
            var drift = updated == null || change.Desired == null ? new List<TargetValue>()
                : change.Desired.Where(d => !change.Values.Contains(d) && !JToken.DeepEquals(d.Path.Get(updated), d.Value)).ToList();
            if (drift.Count > 0)
            {
                updated = await _scim.PatchAsync("Users", change.TargetId, drift.Select(v => ScimClient.Operation("Replace", v.Path.Text, v.Value.DeepClone())), cancellationToken).ConfigureAwait(false) ?? updated;
                foreach (var value in drift)
                {
                    change.Values.Add(value);
                    // What Dropbox declined (the Team API cannot set displayName) was not modified: it is remembered as declined, not logged as set.
                    if (JToken.DeepEquals(value.Path.Get(updated), value.Value))
                        change.ModifiedProperties.Add(new ModifiedProperty(value.Path.Text, CyclePlanner.Text(value.Path.Get(change.Existing)), CyclePlanner.Text(value.Value)));
                }
            }
            var after = updated ?? (JObject)change.Existing.DeepClone();
            if (updated == null) foreach (var value in change.Values) value.Path.Set(after, value.Value);
            Remember(change, after, change.MatchedBy, answered: updated != null);
            change.Status = ChangeStatus.Success;
            // An attribute Dropbox did not take (the Team API cannot set displayName) is said so, not logged as done.
            var declined = updated == null ? new List<string>() : change.Values.Where(v => !JToken.DeepEquals(v.Path.Get(updated), v.Value)).Select(v => v.Path.Text).Distinct().ToList();
            if (declined.Count > 0)
            {
                change.Status = ChangeStatus.Warning;
                change.StatusDetails = $"Dropbox kept its own {string.Join(", ", declined)}: it did not take the mapping's value{(_scim.Kind == DropboxApiKind.TeamApi ? " (the Team API cannot set it)" : "")}, which is not sent again until it changes.";
            }
        }

        private async Task DisableAsync(ProvisioningChange change, CancellationToken cancellationToken)
        {
            var operations = new[] { ScimClient.Operation("Replace", "active", false) };
            var answer = await _scim.PatchAsync("Users", change.TargetId, operations, cancellationToken).ConfigureAwait(false);
            if (answer == null)
            {
                // No resource came back: Dropbox deletes an invited member instead of suspending it.
                JObject still = null;
                try { still = await _scim.GetAsync("Users", change.TargetId, cancellationToken).ConfigureAwait(false); }
                catch (DropboxTargetException e) when (e.StatusCode == 404) { }
                if (still == null)
                {
                    lock (_stateGate) _state.Users.Remove(change.SourceId);
                    change.Action = ChangeAction.Delete;
                    change.Status = ChangeStatus.Success;
                    change.StatusDetails = _scim.Kind == DropboxApiKind.TeamApi
                        ? "Dropbox cannot suspend a member who has not joined (suspend_inactive_user): the invited member was removed instead (members/remove)."
                        : "Dropbox does not suspend invited users: the invited account was deleted instead.";
                    _observer.Verbose($"'{change.TargetIdentity}' was still invited; Dropbox deleted it instead of suspending it.");
                    return;
                }
                answer = still;
            }
            Remember(change, answer, null);
            change.Status = ChangeStatus.Success;
        }

        private async Task DeleteAsync(ProvisioningChange change, CancellationToken cancellationToken)
        {
            try
            {
                await _scim.DeleteAsync("Users", change.TargetId, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (e.StatusCode == 404)
            {
                change.StatusDetails = "the Dropbox account was already gone";
            }
            lock (_stateGate) _state.Users.Remove(change.SourceId);
            change.Status = ChangeStatus.Success;
        }

        /// <summary>
        /// Records the account as managed, with the values it now holds. When <paramref name="answered"/>,
        /// <paramref name="resource"/> is Dropbox's own answer, and values it did not keep as sent are noted.
        /// </summary>
        /// <param name="retryDiffering">Values the resource does not hold are recorded as it holds them (not as declined), so they are sent again.</param>
        private void Remember(ProvisioningChange change, JObject resource, string matchedBy, bool answered = false, bool retryDiffering = false)
        {
            var targetId = (string)resource?["id"] ?? change.TargetId;
            lock (_stateGate)
            {
                if (!_state.Users.TryGetValue(change.SourceId, out var managed))
                {
                    managed = new ManagedObject { SourceId = change.SourceId };
                    _state.Users[change.SourceId] = managed;
                }
                managed.TargetId = targetId;
                // Dropbox's answer is a new string each time: the planned one is kept when they agree, so that the state
                // holds the userName once (it is also the exported value).
                var userName = (string)resource?["userName"];
                managed.TargetIdentity = userName == null || userName == change.TargetIdentity ? change.TargetIdentity : userName;
                if (matchedBy != null || managed.MatchedBy == null) managed.MatchedBy = matchedBy ?? "Created";
                managed.Active = CyclePlanner.IsActive(resource);
                managed.LastExported = DateTimeOffset.UtcNow;
                foreach (var value in change.Desired ?? change.Values) managed.Exported[value.Path.Text] = CyclePlanner.Text(value.Value);
                foreach (var value in change.Values)
                {
                    var held = answered ? value.Path.Get(resource) : null;
                    if (answered && retryDiffering && !JToken.DeepEquals(held, value.Value))
                    {
                        managed.Exported[value.Path.Text] = CyclePlanner.Text(held);
                        managed.Declined.Remove(value.Path.Text);
                    }
                    else if (answered && !JToken.DeepEquals(held, value.Value)) managed.Declined[value.Path.Text] = CyclePlanner.Text(value.Value);
                    else managed.Declined.Remove(value.Path.Text);
                }
                if (change.Action == ChangeAction.Disable) managed.Exported["active"] = "False";
            }
        }
    }
}
