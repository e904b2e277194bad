using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Time;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// One provisioning cycle, as stages through which the data flows one way: the gate (lock, On/Off, quarantine),
    /// the readers (Entra ID, then Dropbox), the planners (users, then groups, then the deletion guard's holds: the
    /// final plan); then, for the changes the caller approves (all of them, or none under -WhatIf), the runner (outcomes
    /// beside their changes) and the outcome (counts, status, watermarks, quarantine, notification). On-demand runs and approvals
    /// go through the same stages (ProvisioningCycle.OnDemand.cs).
    /// </summary>
    public sealed partial class ProvisioningCycle
    {
        private readonly DbxConnection _connection;
        private readonly ICycleObserver _observer;
        private readonly IClock _clock;
        private readonly IDirectoryReader _directory;
        private readonly IDropboxReader _dropbox;

        public ProvisioningCycle(DbxConnection connection, ICycleObserver observer = null) : this(connection, observer, null, null, null) { }

        /// <summary>A cycle with its own clock and readers (tests hand in snapshots); null for the connection's.</summary>
        internal ProvisioningCycle(DbxConnection connection, ICycleObserver observer, IClock clock, IDirectoryReader directory, IDropboxReader dropbox)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _observer = observer ?? NullCycleObserver.Instance;
            _clock = clock ?? connection.Clock;
            _directory = directory ?? new GraphDirectoryReader(connection.Directory, connection.ServicePrincipalId, _observer, _clock);
            _dropbox = dropbox ?? new TargetReader(connection.Target, _observer);
        }

        private PlanRunner Runner => new PlanRunner(_connection.Target, _connection.Store, _observer, _clock);
        private CycleOutcome Outcome => new CycleOutcome(_connection.Directory, _observer);

        /// <param name="force">Run even though the job is in quarantine and its next attempt is not due.</param>
        /// <param name="adoption">
        /// Migration from another integration: match existing Dropbox members by userName, email or external id
        /// and take them under management without changing anything; nothing is created, updated or removed.
        /// </param>
        /// <param name="whatIf">Only a look (-WhatIf): nothing is written, not the lock, not a quarantine for refused credentials, no notification.</param>
        /// <param name="maxDuration">
        /// How long the cycle may run before it starts no further write (-MaxDuration; null: the MaxCycleDuration setting,
        /// if any). A cycle that stops there is Partial; the next cycle continues it (Sync/Resume).
        /// </param>
        public async Task<CyclePlan> PlanAsync(CancellationToken cancellationToken, bool force = false, bool adoption = false, bool whatIf = false, TimeSpan? maxDuration = null)
        {
            return await PlanUnderLockAsync("cycle", () => PlanLockedAsync(cancellationToken, force, adoption, whatIf, maxDuration), plan => plan, whatIf).ConfigureAwait(false);
        }

        /// <summary>
        /// Plans while holding the state directory's lock; the lock goes with the plan, to be released when the
        /// plan has run or is dropped, or at once when planning fails.
        /// </summary>
        private async Task<T> PlanUnderLockAsync<T>(string purpose, Func<Task<T>> plan, Func<T, CyclePlan> planOf, bool whatIf)
        {
            var held = whatIf ? CycleGate.LockForReading(_connection.Store) : CycleGate.Lock(_connection.Store, purpose, _clock);
            try
            {
                var planned = await plan().ConfigureAwait(false);
                planOf(planned).Lock = held;
                return planned;
            }
            catch
            {
                held.Dispose();
                throw;
            }
        }

        private async Task<CyclePlan> PlanLockedAsync(CancellationToken cancellationToken, bool force, bool adoption, bool whatIf, TimeSpan? maxDuration)
        {
            var store = _connection.Store;
            var state = store.LoadState();
            CycleGate.RequireOn(state, store);
            var now = _clock.UtcNow;
            CycleGate.RequireQuarantineDue(state, store, now, force);

            var configuration = LoadConfiguration();
            var mapping = new CompiledMapping(adoption ? AdoptionMapping(configuration.Mappings.User) : configuration.Mappings.User, _connection.Api);
            var groupMapping = new CompiledMapping(configuration.Mappings.Group, _connection.Api);
            var cycleId = Guid.NewGuid().ToString();
            PrepareSpaceLimits(configuration.Mappings.User, state);
            if (configuration.Offboarding != null) mapping.AlsoRead = configuration.Offboarding.SourceAttributes().ToList(); // the policy's clauses and recipients
            if (adoption) state.UsersDeltaLink = null; // adoption looks at every Dropbox member
            var configurationChanged = state.ConfigurationFingerprint != ConfigurationFile.Fingerprint(configuration);
            if (state.UsersDeltaLink != null && configurationChanged)
            {
                _observer.Verbose("The mappings, scoping filters or settings changed since the last cycle: this cycle reads everything (an initial cycle).");
                state.UsersDeltaLink = null;
            }
            PrepareFullReconciliation(state, configuration.Settings, now, adoption);
            var continuation = Continuation.Begin(state, configurationChanged, adoption, mapping, groupMapping, _observer);
            var maximum = maxDuration ?? configuration.Settings.MaxCycleDuration;
            var deadline = maximum.HasValue ? now + maximum.Value : (DateTimeOffset?)null;
            if (!mapping.Mapping.Enabled)
            {
                _observer.Verbose("The user mapping is disabled: nothing to provision.");
                return Guarded(new CyclePlan(cycleId, now, state, configuration, new List<ProvisioningChange>(), 0, 0, null));
            }

            var (directory, dropbox) = await ReadAsync(cycleId, now, state, configuration.Settings, mapping, groupMapping, whatIf, cancellationToken).ConfigureAwait(false);
            if (directory.Mode == CycleMode.Initial) continuation?.Reread();
            _observer.Progress("Planning", "Comparing Entra ID with Dropbox", -1);
            var repairDrift = FullReconciliationSchedule.Repairs(configuration.Settings, directory.Mode == CycleMode.Initial, adoption);
            var users = new UserPlanner(mapping, state, configuration.Settings, _clock)
            {
                RepairDrift = repairDrift, ClaimedElsewhere = continuation?.ClaimedAccounts(directory),
                DeletedUsersFollowPolicy = configuration.Offboarding?.Default != null && _connection.Target is DropboxProvisioning.Dropbox.IDropboxOffboarding,
            };
            if (adoption)
            {
                // Only adoptions, and they write nothing: the accounts are recorded as they are.
                var adoptions = users.PlanAdoptions(directory, dropbox, out var alreadyManaged);
                directory.ReleaseUsers();
                return Guarded(new CyclePlan(cycleId, now, state, configuration, adoptions, alreadyManaged, directory.Entitled.Count, directory) { IsAdoption = true });
            }
            var changes = users.PlanUsers(directory, dropbox, out var unchanged);
            continuation?.AddUsers(changes, directory);
            await PlanOffboardingAsync(changes, directory, state, configuration, now, cancellationToken).ConfigureAwait(false);
            // Invitations first: a user whose invitation was withdrawn takes no license.
            await PlanInvitesAsync(changes, state, configuration.Settings, now, cancellationToken).ConfigureAwait(false);
            await HoldCreatesToLicensesAsync(changes, state, configuration.Settings, now, cancellationToken).ConfigureAwait(false);
            if (groupMapping.Mapping.Enabled)
            {
                var groupChanges = await PlanGroupsAsync(groupMapping, state, configuration.Settings, directory, changes, repairDrift, cancellationToken).ConfigureAwait(false);
                changes.AddRange(continuation == null ? groupChanges : continuation.MergeGroups(groupChanges, directory));
            }
            var access = await PlanTeamFolderAccessAsync(configuration, state, changes, cancellationToken).ConfigureAwait(false);
            var inScope = directory.Entitled.Count - directory.FilteredOut.Count;
            directory.ReleaseUsers();
            return Guarded(new CyclePlan(cycleId, now, state, configuration, changes, unchanged, inScope, directory) { Continuation = continuation, Deadline = deadline, IsFullReconciliation = repairDrift, TeamFolderAccess = access, AmbiguousUsers = users.AmbiguousUsers });
        }

        /// <summary>
        /// The last step of planning: the deletion guard decides which suspensions and deletions the plan holds. A cycle
        /// continued after its deadline counts what its earlier parts suspended and deleted: splitting a cycle escapes no threshold.
        /// </summary>
        private static CyclePlan Guarded(CyclePlan plan)
        {
            plan.Holds = DeletionGuard.Decide(plan.Changes, plan.Configuration.Settings.DeletionThreshold, plan.CycleId, plan.StartTime, plan.EarlierDeprovisioned);
            return plan;
        }

        /// <summary>The configuration, with the request pacing it sets applied to the connection.</summary>
        private ProvisioningConfiguration LoadConfiguration()
        {
            var configuration = _connection.Store.LoadConfiguration();
            if (_connection.Pacer != null)
            {
                _connection.Pacer.MaxRequestsPerSecond = configuration.Settings.MaxRequestsPerSecond;
                _connection.Pacer.MaxInFlight = configuration.Settings.MaxConcurrency;
            }
            return configuration;
        }

        /// <summary>
        /// The reading stage: Entra ID, then what Dropbox holds of it. Rejected credentials quarantine the job at once, as
        /// Entra does, except under -WhatIf, which only says so.
        /// </summary>
        private async Task<(DirectorySnapshot, DropboxSnapshot)> ReadAsync(string cycleId, DateTimeOffset start, ProvisioningState state, ProvisioningSettings settings,
            CompiledMapping mapping, CompiledMapping groupMapping, bool whatIf, CancellationToken cancellationToken)
        {
            try
            {
                // Creates sent earlier whose outcome was never recorded: found again by what they sent, before anything is matched.
                await PendingWriteReconciler.ReconcileAsync(_connection.Target, _connection.Store, state, mapping, _observer, _clock.UtcNow, cancellationToken).ConfigureAwait(false);
                var directory = await _directory.ReadAsync(settings, mapping, groupMapping, state, cancellationToken).ConfigureAwait(false);
                _observer.Verbose($"Entra ID ({directory.Mode} cycle): {directory.Entitled.Count} user(s) entitled to Dropbox; {directory.Users.Count} user(s) to look at.");
                var dropbox = await _dropbox.ReadUsersAsync(mapping, state, directory, cancellationToken).ConfigureAwait(false);
                return (directory, dropbox);
            }
            catch (DbxException e) when (e.Category == DbxErrorCategory.AuthenticationError && !whatIf)
            {
                await Outcome.CredentialsRefusedAsync(cycleId, start, _clock.UtcNow, e.Message, state, _connection.Store, settings).ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>The group planner, after the users: members to be created count as coming, members to be removed as going.</summary>
        private async Task<List<ProvisioningChange>> PlanGroupsAsync(CompiledMapping groupMapping, ProvisioningState state, ProvisioningSettings settings, DirectorySnapshot directory,
            List<ProvisioningChange> userChanges, bool repairDrift, CancellationToken cancellationToken)
        {
            var planner = new GroupPlanner(groupMapping, state, settings.TakeOverDropboxGroups) { RepairDrift = repairDrift };
            var dropboxGroups = await _dropbox.ReadGroupsAsync(state, directory, planner.NamesToMatch(directory), cancellationToken).ConfigureAwait(false);
            var pending = new HashSet<string>(userChanges.Where(c => c.Planned == ChangeAction.Create).Select(c => c.SourceId), StringComparer.OrdinalIgnoreCase);
            var leaving = new HashSet<string>(userChanges.Where(c => c.Planned == ChangeAction.Disable || c.Planned == ChangeAction.Delete).Select(c => c.SourceId), StringComparer.OrdinalIgnoreCase);
            return planner.Plan(directory, dropboxGroups, pending, leaving);
        }

        /// <summary>
        /// Carries out the approved changes (the cmdlet asks ShouldProcess about each on its own thread first);
        /// a change not approved is left undone and reported as planned. Skips are always recorded.
        /// </summary>
        public Task<CycleResult> ExecuteAsync(CyclePlan plan, ICollection<ProvisioningChange> approvedChanges, CancellationToken cancellationToken) =>
            ExecuteAsync(plan, approvedChanges, null, cancellationToken);

        /// <param name="approvedAccess">The team folder access changes let through (null: all of the plan's).</param>
        public async Task<CycleResult> ExecuteAsync(CyclePlan plan, ICollection<ProvisioningChange> approvedChanges, ICollection<TeamFolderAccessChange> approvedAccess, CancellationToken cancellationToken)
        {
            using (plan)
                return await ExecuteLockedAsync(plan, approvedChanges, approvedAccess, cancellationToken).ConfigureAwait(false);
        }

        private async Task<CycleResult> ExecuteLockedAsync(CyclePlan plan, ICollection<ProvisioningChange> approvedChanges, ICollection<TeamFolderAccessChange> approvedAccess, CancellationToken cancellationToken)
        {
            var result = new CycleResult
            {
                CycleId = plan.CycleId, StartTime = plan.StartTime, Mode = plan.Mode,
                Unchanged = plan.Unchanged, InScope = plan.InScope, Changes = new ChangeList(plan.Changes),
            };
            var settings = plan.Configuration.Settings;
            var state = plan.State;
            var approved = plan.Changes.Where(c => c.Planned == ChangeAction.Skip || approvedChanges.Contains(c)).ToList();

            var earlier = plan.Continuation?.Partial;
            // Accidental deletions prevention, as the planner decided it (counting a continued cycle's earlier parts):
            // held deprovisioning is recorded, the rest runs.
            var holds = plan.HoldsFor(approved);
            var held = holds.Record(state);
            if (held.Count > 0)
            {
                approved = approved.Where(c => !holds.Holds(c)).ToList();
                var before = plan.EarlierDeprovisioned > 0 ? $" besides the {plan.EarlierDeprovisioned} its earlier part(s) made" : "";
                _observer.Warning($"This cycle would suspend or delete {held.Count} Dropbox account(s){before}, more than the accidental-deletions threshold of {settings.DeletionThreshold}. They are held; review them with Get-DbxProvisioningStatus and release them with Approve-DbxProvisioningDeletion.");
            }

            var run = await Runner.RunAsync(plan.CycleId, plan.StartTime, state, settings, approved, held, cancellationToken, plan.Deadline, plan.Continuation).ConfigureAwait(false);
            var cancelled = cancellationToken.IsCancellationRequested;
            var stoppedAtDeadline = run.StoppedAtDeadline;
            // Writes declined at a -Confirm prompt in a part that continues a cycle: an earlier part moved the watermarks past
            // them, so no later read brings them back; they stay in the remaining work, neither written nor lost.
            if (earlier != null && !cancelled && run.CredentialFailure == null)
                run.Remaining.AddRange(plan.Changes.Where(c => RemainingWork.IsWrite(c) && c.Outcome == null && !approvedChanges.Contains(c) && !holds.Holds(c)));
            var partial = run.StoppedAtDeadline && !cancelled && run.CredentialFailure == null;
            var outcome = Outcome;
            outcome.Count(result, run.Outcomes.Concat(held));
            if (!cancelled && !run.StoppedAtDeadline && run.CredentialFailure == null)
                await RunTeamFolderAccessAsync(plan, result, approvedAccess, cancellationToken).ConfigureAwait(false);

            // The watermarks move on only when the cycle ran to its end and every change was let through
            // (a change declined at a -Confirm prompt must be seen again); escrows carry this cycle's failures.
            // A part that stopped at its deadline moves them too: the next part reads what changed in Entra since this one read.
            var declined = plan.Changes.Any(c => c.Planned != ChangeAction.Skip && c.Action != ChangeAction.StagedDelete && !approvedChanges.Contains(c));
            var watermarksMoved = !cancelled && run.CredentialFailure == null && !declined && plan.Directory != null && !plan.IsAdoption;
            if (watermarksMoved)
            {
                CycleOutcome.MoveWatermarks(state, plan);
                RecordFullReconciliation(state, plan);
            }

            result.EndTime = _clock.UtcNow;
            result.Status = CycleOutcome.StatusOf(result, run.CredentialFailure != null, cancelled, partial);
            result.Part = (earlier?.Parts ?? 0) + 1;
            result.ResumedFrom = earlier?.LastPartId;
            var operations = approved.Count(c => c.Outcome != null && (c.WritesToDropbox || c.Action == ChangeAction.Adopt));
            if (partial)
            {
                // Not a failure and not judged yet: the quarantine judgment waits for the last part, over all of them.
                result.RemainingChanges = RemainingChanges.Of(run.Remaining);
                CycleOutcome.Stop(state, plan, result, run, operations, watermarksMoved);
                _observer.Warning(stoppedAtDeadline
                    ? $"The cycle reached its deadline ({plan.Deadline:u}) and started no further write: {result.RemainingChanges.Total} change(s) remain ({result.RemainingChanges}). The next Invoke-DbxProvisioningCycle continues it."
                    : $"{result.RemainingChanges.Total} change(s) of this continued cycle were declined ({result.RemainingChanges}): they remain, and the next Invoke-DbxProvisioningCycle continues the cycle with them.");
            }
            else if (!cancelled)
            {
                await outcome.JudgeAsync(result, state, settings, operations + (earlier?.Operations ?? 0), Math.Max(plan.InScope, state.Users.Count), run.CredentialFailure, held.Count, cancellationToken,
                    earlier?.Failed ?? 0).ConfigureAwait(false);
                if (run.CredentialFailure == null) state.PartialCycle = null; // the cycle ran to its end
            }

            state.Record(result.ToSummary());
            _connection.Store.SaveState(state);
            if (run.CredentialFailure != null) throw run.CredentialFailure;
            return result;
        }

        /// <summary>The user mapping with the external id and the work email added as matching attributes, after the configured ones.</summary>
        private static ObjectMapping AdoptionMapping(ObjectMapping mapping)
        {
            var copy = mapping.Clone();
            var next = copy.Attributes.Max(a => a.MatchingPrecedence) + 1;
            foreach (var target in new[] { "externalId", "emails[type eq \"work\"].value" })
            {
                var attribute = MappingEditor.Find(copy, target);
                if (attribute != null && attribute.MatchingPrecedence == 0) attribute.MatchingPrecedence = next++;
            }
            return copy;
        }
    }
}
