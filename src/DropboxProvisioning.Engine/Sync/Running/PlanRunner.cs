using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Time;

namespace DropboxProvisioning.Sync
{
    /// <summary>What running a plan gave: an outcome per change that ran, and the credential failure that stopped it, if one did.</summary>
    internal sealed class RunResult
    {
        public List<ChangeOutcome> Outcomes { get; } = new List<ChangeOutcome>();
        public DropboxTargetException CredentialFailure { get; set; }

        /// <summary>True when the deadline came with writes left: the cycle is Partial and <see cref="Remaining"/> says what is left.</summary>
        public bool StoppedAtDeadline => Remaining.Count > 0;

        /// <summary>The writes the deadline kept from starting, in plan order.</summary>
        public List<ProvisioningChange> Remaining { get; } = new List<ProvisioningChange>();
    }

    /// <summary>
    /// Carries out a plan's changes, users first (so the groups' members created in this cycle can be resolved), then
    /// groups. Each outcome is logged and escrowed as it arrives, and the state is saved now and then, so a crash loses
    /// little; the outcomes come back beside their changes. At a deadline no further write starts (those in flight finish;
    /// changes that only touch the state still run), and what was left is returned and logged in a cycle record.
    /// </summary>
    internal sealed class PlanRunner
    {
        private static readonly TimeSpan MinSaveInterval = TimeSpan.FromSeconds(5);
        private readonly IDropboxTarget _target;
        private readonly StateStore _store;
        private readonly ICycleObserver _observer;
        private readonly IClock _clock;

        public PlanRunner(IDropboxTarget target, StateStore store, ICycleObserver observer, IClock clock)
        {
            _target = target; _store = store; _observer = observer; _clock = clock;
        }

        /// <param name="held">Changes the deletion guard held back: logged with the rest.</param>
        /// <param name="deadline">When no further write may start; null: none.</param>
        /// <param name="continuation">The cycle this run continues, whose remaining changes are marked made as they run.</param>
        public async Task<RunResult> RunAsync(string cycleId, DateTimeOffset start, ProvisioningState state, ProvisioningSettings settings,
            IReadOnlyList<ProvisioningChange> changes, IReadOnlyList<ChangeOutcome> held, CancellationToken cancellationToken,
            DateTimeOffset? deadline = null, Continuation continuation = null)
        {
            using (var log = _store.Logs.OpenCycle(cycleId, start))
            {
                var run = new RunResult();
                Func<bool> pastDeadline = deadline == null ? (Func<bool>)null : () => _clock.UtcNow >= deadline.Value;
                var users = new UserRunner(_target, state, _observer, _clock, settings.MaxConcurrency, _store.PendingWrites) { StopWrites = pastDeadline };
                var completed = Recorder(cycleId, state, settings, changes.Count, log, run, continuation);
                try
                {
                    await users.RunAsync(changes.Where(c => c.ObjectType == ObjectType.User).ToList(), completed, cancellationToken).ConfigureAwait(false);
                    run.CredentialFailure = users.CredentialFailure;
                    var groupChanges = changes.Where(c => c.ObjectType == ObjectType.Group).ToList();
                    if (run.CredentialFailure == null && groupChanges.Count > 0)
                        await new GroupRunner(_target, state, _observer, _clock, settings.TakeOverDropboxGroups, _store.PendingWrites) { StopWrites = pastDeadline }
                            .RunAsync(groupChanges, completed, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
                catch (DropboxTargetException e) when (e.IsCredentialFailure)
                {
                    run.CredentialFailure = e;
                }
                lock (state.Gate)
                {
                    foreach (var outcome in held) log.Write(outcome.Change.ToLogRecord(cycleId, _clock.UtcNow));
                    if (deadline != null && !cancellationToken.IsCancellationRequested && run.CredentialFailure == null)
                    {
                        run.Remaining.AddRange(changes.Where(c => c.Outcome == null && RemainingWork.IsWrite(c)));
                        if (run.StoppedAtDeadline) log.Write(StoppedRecord(cycleId, deadline.Value, start, continuation, run.Remaining));
                    }
                }
                return run;
            }
        }

        /// <summary>The provisioning log's record of a cycle that stopped at its deadline: when, and what is left.</summary>
        private ProvisioningLogRecord StoppedRecord(string cycleId, DateTimeOffset deadline, DateTimeOffset start, Continuation continuation, List<ProvisioningChange> remaining)
        {
            var part = (continuation?.Partial.Parts ?? 0) + 1;
            return new ProvisioningLogRecord
            {
                Time = _clock.UtcNow, CycleId = cycleId, ChangeId = Guid.NewGuid().ToString(), Action = ChangeAction.Other, Status = ChangeStatus.Warning,
                ObjectType = "Cycle", SourceId = continuation?.Partial.CycleId ?? cycleId, SourceIdentity = $"cycle {continuation?.Partial.CycleId ?? cycleId}, part {part}",
                StatusDetails = $"Partial: the cycle reached its deadline ({deadline:u}, {(deadline - start).ToString("c", System.Globalization.CultureInfo.InvariantCulture)} after it began) and started no further write; "
                    + $"{remaining.Count} change(s) remain ({RemainingChanges.Of(remaining)}), which the next Invoke-DbxProvisioningCycle makes.",
            };
        }

        /// <summary>What happens as each outcome arrives: escrow, log record, progress, and now and then a save.</summary>
        private Action<ChangeOutcome> Recorder(string cycleId, ProvisioningState state, ProvisioningSettings settings, int total, CycleLogWriter log, RunResult run, Continuation continuation)
        {
            var done = 0;
            var lastSave = _clock.UtcNow;
            var saveInterval = MinSaveInterval;
            return outcome =>
            {
                lock (state.Gate)
                {
                    done++;
                    run.Outcomes.Add(outcome);
                    var now = _clock.UtcNow;
                    CycleOutcome.Escrow(state, outcome, now, settings.CycleInterval);
                    continuation?.Made(outcome.Change);
                    log.Write(outcome.Change.ToLogRecord(cycleId, now));
                    if (done % 25 == 0 || done == total)
                        _observer.Progress("Provisioning to Dropbox", $"{done} of {total} change(s)", total == 0 ? 100 : done * 100 / total);
                    // Save now and then, so a crash loses little; the next cycle re-matches anything lost. A large
                    // state takes a while to write and the changes wait meanwhile: saving takes at most 2% of the time.
                    if (now - lastSave > saveInterval)
                    {
                        var watch = System.Diagnostics.Stopwatch.StartNew();
                        _store.SaveState(state);
                        log.Flush();
                        lastSave = _clock.UtcNow;
                        saveInterval = TimeSpan.FromTicks(Math.Max(MinSaveInterval.Ticks, watch.Elapsed.Ticks * 50));
                    }
                }
            };
        }
    }
}
