using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Time;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Carries out planned user changes against the target, several at a time, recording each outcome in the
    /// managed-accounts record as soon as it is known. One failing user never stops the others; refused
    /// credentials stop everything, since every further call would fail the same way.
    /// </summary>
    internal sealed class UserRunner
    {
        private readonly IDropboxTarget _target;
        private readonly ProvisioningState _state;
        private readonly ICycleObserver _observer;
        private readonly IClock _clock;
        private readonly int _concurrency;

        public UserRunner(IDropboxTarget target, ProvisioningState state, ICycleObserver observer, IClock clock, int concurrency, PendingWrites pending = null)
        {
            _target = target;
            _state = state;
            _observer = observer;
            _clock = clock;
            _concurrency = Math.Max(1, concurrency);
            // One append per members/add_v2 call; over SCIM, one per twice as many creates as may be in flight.
            _intents = pending == null ? null : new CreateIntents(pending, clock, target.CreateBatchSize > 1 ? target.CreateBatchSize : 2 * _concurrency);
        }

        private readonly CreateIntents _intents;

        /// <summary>True once no further write may start (the cycle's deadline); changes that write nothing to Dropbox still run.</summary>
        internal Func<bool> StopWrites { get; set; }

        /// <summary>Set when Dropbox refused the credentials; the cycle then stops.</summary>
        public DropboxTargetException CredentialFailure { get; private set; }

        /// <summary>Runs the changes; <paramref name="completed"/> hears of each outcome as it is known (from several threads).</summary>
        public async Task RunAsync(IReadOnlyList<ProvisioningChange> changes, Action<ChangeOutcome> completed, CancellationToken cancellationToken)
        {
            // A fixed set of workers takes the changes in turn: a large cycle keeps no task or list per change.
            var batchSize = Math.Max(1, _target.CreateBatchSize);
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
                            if (StopWrites != null && unit.Any(RemainingWork.IsWrite) && StopWrites()) { _stoppedWrites = true; continue; } // left for the next cycle
                            // Durably on disk before the request leaves: a lost answer can then never leave an unmanaged account.
                            try { _intents?.Cover(changes, unit); }
                            catch { _halted = true; throw; }
                        }
                        await RunUnitAsync(unit, batchSize, stop, completed).ConfigureAwait(false);
                    }
                }
                var workers = new Task[_concurrency];
                for (var i = 0; i < workers.Length; i++) workers[i] = Task.Run(WorkAsync);
                await Task.WhenAll(workers).ConfigureAwait(false);
            }
            // Creates recorded ahead in pending-writes.jsonl that the deadline kept from leaving: not outstanding.
            if (_stoppedWrites) _intents?.ForgetUnsent(changes);
        }

        private volatile bool _stoppedWrites;

        /// <summary>Creates go to Dropbox as many at a time as one call takes (20 for members/add_v2); everything else one by one.</summary>
        private static IEnumerable<List<ProvisioningChange>> Units(IReadOnlyList<ProvisioningChange> changes, int batchSize)
        {
            List<ProvisioningChange> open = null;
            foreach (var change in changes)
            {
                if (batchSize > 1 && change.Planned == ChangeAction.Create)
                {
                    if (open == null) open = new List<ProvisioningChange>(batchSize);
                    open.Add(change);
                    if (open.Count == batchSize) { yield return open; open = null; }
                }
                else yield return new List<ProvisioningChange>(1) { change };
            }
            if (open != null) yield return open;
        }

        private async Task RunUnitAsync(List<ProvisioningChange> unit, int batchSize, CancellationTokenSource stop, Action<ChangeOutcome> completed)
        {
            var outcomes = unit.Select(Begin).ToList();
            try
            {
                if (outcomes.Count == 1 && (batchSize == 1 || unit[0].Planned != ChangeAction.Create)) await RunOneAsync(outcomes[0], stop.Token).ConfigureAwait(false);
                else await CreateBatchAsync(outcomes, stop.Token).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (e.IsCredentialFailure)
            {
                CredentialFailure = e;
                foreach (var outcome in outcomes) if (outcome.Status == ChangeStatus.Planned) Fail(outcome, e);
                stop.Cancel();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                foreach (var outcome in outcomes)
                    if (outcome.Status == ChangeStatus.Planned) outcome.Details = "not carried out: the cycle was stopped";
            }
            catch (Errors.DbxException e)
            {
                foreach (var outcome in outcomes) if (outcome.Status == ChangeStatus.Planned) Fail(outcome, e);
            }
            _intents?.SettleRecorded(outcomes);
            // A change that cannot be recorded (the state or log cannot be saved) stops every further write to Dropbox.
            try { foreach (var outcome in outcomes) if (outcome.Status != ChangeStatus.Planned) completed(outcome); }
            catch { _halted = true; throw; }
        }

        private volatile bool _halted;

        /// <summary>The outcome of a change the runner takes up, beside the change from now on.</summary>
        private static ChangeOutcome Begin(ProvisioningChange change)
        {
            var outcome = new ChangeOutcome(change);
            change.Record(outcome);
            return outcome;
        }

        private void Fail(ChangeOutcome outcome, Exception e)
        {
            if (e is DropboxTargetException target && target.IsLicenseLimit) outcome.LicenseLimited = true;
            outcome.Refused = e is DropboxTargetException refusal && refusal.StatusCode >= 400 && refusal.StatusCode < 500;
            outcome.Status = ChangeStatus.Failure;
            outcome.Details = e.Message;
            _observer.Warning($"{outcome.Action} of '{outcome.Change.TargetIdentity ?? outcome.Change.SourceIdentity}' failed: {e.Message}");
        }

        private async Task RunOneAsync(ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            switch (change.Planned)
            {
                case ChangeAction.Create: await CreateAsync(outcome, cancellationToken).ConfigureAwait(false); break;
                case ChangeAction.Update: await UpdateAsync(outcome, cancellationToken).ConfigureAwait(false); break;
                case ChangeAction.Disable: await DisableAsync(outcome, cancellationToken).ConfigureAwait(false); break;
                case ChangeAction.Delete: await DeleteAsync(outcome, cancellationToken).ConfigureAwait(false); break;
                case ChangeAction.Remind: await InviteReminder.SendAsync(_target, _state, outcome, _clock, cancellationToken).ConfigureAwait(false); break;
                case ChangeAction.Adopt:
                    ManagedRecords.RememberUser(_state, outcome, change.Existing, change.MatchedBy, _clock.UtcNow);
                    outcome.Status = ChangeStatus.Success;
                    break;
                case ChangeAction.Other:
                    ManagedRecords.ForgetUser(_state, change.SourceId);
                    outcome.Status = ChangeStatus.Success;
                    break;
                case ChangeAction.Skip:
                    outcome.Status = ChangeStatus.Skipped;
                    break;
                default:
                    throw new InvalidOperationException("No runner for " + change.Planned);
            }
        }

        private JObject CreateBody(ProvisioningChange change)
        {
            var body = _target.NewResource("Users");
            foreach (var value in change.Values) value.Path.Set(body, value.Value.DeepClone());
            return body;
        }

        private async Task CreateAsync(ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            var body = CreateBody(outcome.Change);
            JObject created;
            try
            {
                created = await _target.CreateAsync("Users", body, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (e.StatusCode == 409)
            {
                await TakeOverExistingAsync(outcome, e, cancellationToken).ConfigureAwait(false);
                return;
            }
            Created(outcome, created, body);
        }

        /// <summary>Up to CreateBatchSize users in one call (members/add_v2); each user's result is its own.</summary>
        private async Task CreateBatchAsync(List<ChangeOutcome> batch, CancellationToken cancellationToken)
        {
            var bodies = batch.Select(o => CreateBody(o.Change)).ToList();
            var results = await _target.CreateUsersAsync(bodies, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                var outcome = batch[i];
                var result = i < results.Count ? results[i] : null;
                if (result?.Created != null && result.Error is DropboxPartialUpdateException partial)
                {
                    Partly(outcome, partial);
                    continue;
                }
                if (result?.Created != null && result.Error != null)
                {
                    // The account was made but part of it was refused afterwards (its role): it is managed, what Dropbox
                    // holds is recorded as exported so the next cycle sends the rest again, and the change fails (escrow).
                    outcome.TargetId = (string)result.Created["id"];
                    ManagedRecords.RememberUser(_state, outcome, result.Created, "Created", _clock.UtcNow, answered: true, retryDiffering: true);
                    Fail(outcome, result.Error);
                    continue;
                }
                if (result?.Created != null) { Created(outcome, result.Created, bodies[i]); continue; }
                var error = result?.Error ?? new DropboxTargetException("DropboxNoResult", Errors.DbxErrorCategory.InvalidResult, $"Dropbox gave no result for '{outcome.Change.TargetIdentity}'.", 0, null);
                try
                {
                    if (error.StatusCode == 409) await TakeOverExistingAsync(outcome, error, cancellationToken).ConfigureAwait(false);
                    else Fail(outcome, error);
                }
                catch (DropboxTargetException e) when (!e.IsCredentialFailure)
                {
                    Fail(outcome, e);
                }
            }
        }

        private void Created(ChangeOutcome outcome, JObject created, JObject body)
        {
            outcome.TargetId = (string)created?["id"];
            ManagedRecords.RememberUser(_state, outcome, created ?? body, "Created", _clock.UtcNow, answered: created != null);
            outcome.Status = ChangeStatus.Success;
        }

        /// <summary>
        /// The account exists after all (made by someone else since we listed, or by our own create whose answer
        /// was lost): find it by userName and take it over rather than fail or duplicate.
        /// </summary>
        private async Task TakeOverExistingAsync(ChangeOutcome outcome, DropboxTargetException e, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            var existing = await _target.FindAsync("Users", "userName", change.TargetIdentity, cancellationToken).ConfigureAwait(false);
            if (existing == null) throw e;
            lock (_state.Gate)
            {
                if (_state.Users.Values.Any(m => m.TargetId == (string)existing["id"] && m.SourceId != change.SourceId))
                    throw e;
            }
            outcome.TargetId = (string)existing["id"];
            ManagedRecords.RememberUser(_state, outcome, existing, "userName", _clock.UtcNow);
            outcome.Status = ChangeStatus.Warning;
            outcome.TookOver = true;
            outcome.Details = $"Dropbox already had '{change.TargetIdentity}' ({e.Detail}); the existing account is now managed and will be brought in line next cycle.";
        }

        private async Task UpdateAsync(ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            if (change.Offboarding?.Recover == true) await OffboardingRunner.RecoverAsync(_target, _state, outcome, cancellationToken).ConfigureAwait(false);
            var operations = change.Values.Select(v => _target.ReplaceOperation(v.Path.Text, v.Value.DeepClone())).ToList();
            JObject updated;
            try
            {
                updated = await _target.PatchAsync("Users", change.TargetId, operations, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxPartialUpdateException partial)
            {
                Partly(outcome, partial);
                return;
            }

            // Dropbox derives some attributes from others (a default display name follows the given name):
            // what it changed on its own that the mapping says otherwise is set in one more PATCH, once.
            var drift = updated == null || change.Desired == null ? new List<TargetValue>()
                : change.Desired.Where(d => !d.Attribute.Target.MultiValued && !change.Values.Contains(d) && !JToken.DeepEquals(d.Path.Get(updated), d.Value)).ToList();
            if (drift.Count > 0)
            {
                updated = await _target.PatchAsync("Users", change.TargetId, drift.Select(v => _target.ReplaceOperation(v.Path.Text, v.Value.DeepClone())), cancellationToken).ConfigureAwait(false) ?? updated;
                foreach (var value in drift)
                {
                    outcome.AlsoSent(value);
                    // What Dropbox declined (the Team API cannot set displayName) was not modified: it is remembered as declined, not logged as set.
                    if (JToken.DeepEquals(value.Path.Get(updated), value.Value))
                        outcome.ModifiedProperties.Add(new ModifiedProperty(value.Path.Text, ValueText.Of(value.Path.Get(change.Existing)), ValueText.Of(value.Value)));
                }
            }
            var after = updated ?? (JObject)change.Existing.DeepClone();
            if (updated == null) foreach (var value in outcome.Values) value.Path.Set(after, value.Value);
            ManagedRecords.RememberUser(_state, outcome, after, change.MatchedBy, _clock.UtcNow, answered: updated != null);
            outcome.Status = ChangeStatus.Success;
            // An attribute Dropbox did not take (the Team API cannot set displayName) is said so, not logged as done.
            var declined = updated == null ? new List<string>() : outcome.Values.Where(v => !(v.Attribute.Target.MultiValued ? MergedEmails.Holds(v.Path.Get(updated), v) : ClearedValues.Holds(v.Path.Get(updated), v))).Select(v => v.Path.Text).Distinct().ToList();
            if (declined.Count > 0)
            {
                outcome.Status = ChangeStatus.Warning;
                outcome.Details = $"Dropbox kept its own {string.Join(", ", declined)}: it did not take the mapping's value{_target.DeclinedBecause}, which is not sent again until it changes.";
            }
        }

        /// <summary>
        /// Dropbox carried out the write in part (a secondary e-mail refused): the member is recorded as it now is. What a
        /// retry can help with (rate limited, a member who has not joined yet) fails the change, which waits in escrow and
        /// is sent again; the rest is a warning naming each refusal, not sent again until the mapping's value changes.
        /// </summary>
        private void Partly(ChangeOutcome outcome, DropboxPartialUpdateException partial)
        {
            outcome.TargetId = (string)partial.Held?["id"] ?? outcome.TargetId;
            ManagedRecords.RememberUser(_state, outcome, partial.Held, outcome.Change.Planned == ChangeAction.Create ? "Created" : outcome.Change.MatchedBy, _clock.UtcNow,
                answered: partial.Held != null, retryDiffering: partial.Retryable);
            if (partial.Retryable) { Fail(outcome, partial); return; }
            outcome.Status = ChangeStatus.Warning;
            outcome.Details = partial.Message;
            _observer.Warning($"{outcome.Action} of '{outcome.Change.TargetIdentity ?? outcome.Change.SourceIdentity}': {partial.Message}");
        }

        private async Task DisableAsync(ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            // An offboarding rule suspends with its own wipe_data; a member who never joined is removed as below.
            if (change.Offboarding != null && await OffboardingRunner.SuspendAsync(_target, _state, outcome, _clock, cancellationToken).ConfigureAwait(false)) return;
            var answer = change.Offboarding != null ? null
                : await _target.PatchAsync("Users", change.TargetId, new[] { _target.ReplaceOperation("active", false) }, cancellationToken).ConfigureAwait(false);
            if (answer == null && change.Offboarding != null) await _target.DeleteAsync("Users", change.TargetId, cancellationToken).ConfigureAwait(false);
            if (answer == null)
            {
                // No resource came back: Dropbox deletes an invited member instead of suspending it.
                JObject still = null;
                try { still = await _target.GetAsync("Users", change.TargetId, cancellationToken).ConfigureAwait(false); }
                catch (DropboxTargetException e) when (e.StatusCode == 404) { }
                if (still == null)
                {
                    ManagedRecords.ForgetUser(_state, change.SourceId);
                    outcome.Action = ChangeAction.Delete;
                    outcome.Status = ChangeStatus.Success;
                    outcome.Details = _target.InvitedRemovedInstead;
                    _observer.Verbose($"'{change.TargetIdentity}' was still invited; Dropbox deleted it instead of suspending it.");
                    return;
                }
                answer = still;
            }
            ManagedRecords.RememberUser(_state, outcome, answer, null, _clock.UtcNow);
            outcome.Status = ChangeStatus.Success;
        }

        private async Task DeleteAsync(ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            if (outcome.Change.Offboarding != null) { await OffboardingRunner.RemoveAsync(_target, _state, outcome, _clock, cancellationToken).ConfigureAwait(false); return; }
            try
            {
                await _target.DeleteAsync("Users", outcome.Change.TargetId, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (e.StatusCode == 404)
            {
                outcome.Details = "the Dropbox account was already gone";
            }
            ManagedRecords.ForgetUser(_state, outcome.Change.SourceId);
            outcome.Status = ChangeStatus.Success;
        }
    }
}
