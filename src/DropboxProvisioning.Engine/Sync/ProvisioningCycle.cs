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
    /// the readers (Entra ID, then Dropbox), the planners (users, then groups: the final plan); then, for the changes
    /// the caller approves (all of them, or none under -WhatIf), the deletion guard, the runner (outcomes beside their
    /// changes) and the outcome (counts, status, watermarks, quarantine, notification). On-demand runs and approvals
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
        public async Task<CyclePlan> PlanAsync(CancellationToken cancellationToken, bool force = false, bool adoption = false, bool whatIf = false)
        {
            return await PlanUnderLockAsync("cycle", () => PlanLockedAsync(cancellationToken, force, adoption, whatIf), plan => plan, whatIf).ConfigureAwait(false);
        }

        /// <summary>
        /// Plans while holding the state directory's lock; the lock goes with the plan, to be released when the
        /// plan has run or is dropped, or at once when planning fails.
        /// </summary>
        private async Task<T> PlanUnderLockAsync<T>(string purpose, Func<Task<T>> plan, Func<T, CyclePlan> planOf, bool whatIf)
        {
            var held = whatIf ? CycleGate.LockForReading(_connection.Store) : CycleGate.Lock(_connection.Store, purpose);
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

        private async Task<CyclePlan> PlanLockedAsync(CancellationToken cancellationToken, bool force, bool adoption, bool whatIf)
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
            if (adoption) state.UsersDeltaLink = null; // adoption looks at every Dropbox member
            if (state.UsersDeltaLink != null && state.ConfigurationFingerprint != ConfigurationFile.Fingerprint(configuration))
            {
                _observer.Verbose("The mappings, scoping filters or settings changed since the last cycle: this cycle reads everything (an initial cycle).");
                state.UsersDeltaLink = null;
            }
            if (!mapping.Mapping.Enabled)
            {
                _observer.Verbose("The user mapping is disabled: nothing to provision.");
                return new CyclePlan(cycleId, now, state, configuration, new List<ProvisioningChange>(), 0, 0, null);
            }

            var (directory, dropbox) = await ReadAsync(cycleId, now, state, configuration.Settings, mapping, groupMapping, whatIf, cancellationToken).ConfigureAwait(false);
            _observer.Progress("Planning", "Comparing Entra ID with Dropbox", -1);
            var users = new UserPlanner(mapping, state, configuration.Settings);
            if (adoption)
            {
                // Only adoptions, and they write nothing: the accounts are recorded as they are.
                var adoptions = users.PlanAdoptions(directory, dropbox, out var alreadyManaged);
                directory.ReleaseUsers();
                return new CyclePlan(cycleId, now, state, configuration, adoptions, alreadyManaged, directory.Entitled.Count, directory) { IsAdoption = true };
            }
            var changes = users.PlanUsers(directory, dropbox, out var unchanged);
            if (groupMapping.Mapping.Enabled)
                changes.AddRange(await PlanGroupsAsync(groupMapping, state, configuration.Settings, directory, changes, cancellationToken).ConfigureAwait(false));
            var inScope = directory.Entitled.Count - directory.FilteredOut.Count;
            directory.ReleaseUsers();
            return new CyclePlan(cycleId, now, state, configuration, changes, unchanged, inScope, directory);
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
            List<ProvisioningChange> userChanges, CancellationToken cancellationToken)
        {
            var planner = new GroupPlanner(groupMapping, state, settings.TakeOverDropboxGroups);
            var dropboxGroups = await _dropbox.ReadGroupsAsync(state, directory, planner.NamesToMatch(directory), cancellationToken).ConfigureAwait(false);
            var pending = new HashSet<string>(userChanges.Where(c => c.Planned == ChangeAction.Create).Select(c => c.SourceId), StringComparer.OrdinalIgnoreCase);
            var leaving = new HashSet<string>(userChanges.Where(c => c.Planned == ChangeAction.Disable || c.Planned == ChangeAction.Delete).Select(c => c.SourceId), StringComparer.OrdinalIgnoreCase);
            return planner.Plan(directory, dropboxGroups, pending, leaving);
        }

        /// <summary>
        /// Carries out the approved changes (the cmdlet asks ShouldProcess about each on its own thread first);
        /// a change not approved is left undone and reported as planned. Skips are always recorded.
        /// </summary>
        public async Task<CycleResult> ExecuteAsync(CyclePlan plan, ICollection<ProvisioningChange> approvedChanges, CancellationToken cancellationToken)
        {
            using (plan)
                return await ExecuteLockedAsync(plan, approvedChanges, cancellationToken).ConfigureAwait(false);
        }

        private async Task<CycleResult> ExecuteLockedAsync(CyclePlan plan, ICollection<ProvisioningChange> approvedChanges, CancellationToken cancellationToken)
        {
            var result = new CycleResult
            {
                CycleId = plan.CycleId, StartTime = plan.StartTime, Mode = plan.Mode,
                Unchanged = plan.Unchanged, InScope = plan.InScope, Changes = new ChangeList(plan.Changes),
            };
            var settings = plan.Configuration.Settings;
            var state = plan.State;
            var approved = plan.Changes.Where(c => c.Planned == ChangeAction.Skip || approvedChanges.Contains(c)).ToList();

            // Accidental deletions prevention: above the threshold, deprovisioning is held, the rest goes on.
            var toHold = DeletionGuard.ToHold(approved, settings.DeletionThreshold);
            var held = DeletionGuard.Hold(state, toHold, settings.DeletionThreshold, plan.CycleId, _clock.UtcNow);
            if (held.Count > 0)
            {
                var holding = new HashSet<ProvisioningChange>(toHold);
                approved = approved.Where(c => !holding.Contains(c)).ToList();
                _observer.Warning($"This cycle would suspend or delete {held.Count} Dropbox account(s), more than the accidental-deletions threshold of {settings.DeletionThreshold}. They are held; review them with Get-DbxProvisioningStatus and release them with Approve-DbxProvisioningDeletion.");
            }

            var run = await Runner.RunAsync(plan.CycleId, plan.StartTime, state, settings, approved, held, cancellationToken).ConfigureAwait(false);
            var cancelled = cancellationToken.IsCancellationRequested;
            var outcome = Outcome;
            outcome.Count(result, run.Outcomes.Concat(held));

            // The watermarks move on only when the cycle ran to its end and every change was let through
            // (a change declined at a -Confirm prompt must be seen again); escrows carry this cycle's failures.
            var declined = plan.Changes.Any(c => c.Planned != ChangeAction.Skip && c.Action != ChangeAction.StagedDelete && !approvedChanges.Contains(c));
            if (!cancelled && run.CredentialFailure == null && !declined && plan.Directory != null && !plan.IsAdoption)
                CycleOutcome.MoveWatermarks(state, plan);

            result.EndTime = _clock.UtcNow;
            result.Status = CycleOutcome.StatusOf(result, run.CredentialFailure != null, cancelled);
            if (!cancelled)
            {
                var operations = approved.Count(c => c.WritesToDropbox || c.Action == ChangeAction.Adopt);
                await outcome.JudgeAsync(result, state, settings, operations, Math.Max(plan.InScope, state.Users.Count), run.CredentialFailure, held.Count, cancellationToken).ConfigureAwait(false);
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
