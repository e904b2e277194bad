using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// One provisioning cycle: import from Entra ID, read Dropbox, plan; then carry out the changes the
    /// caller approves (all of them, or none under -WhatIf), hold back mass deprovisioning, escrow what
    /// failed, judge quarantine, and record the outcome.
    /// </summary>
    public sealed class ProvisioningCycle
    {
        private readonly DbxConnection _connection;
        private readonly ICycleObserver _observer;

        public ProvisioningCycle(DbxConnection connection, ICycleObserver observer = null)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _observer = observer ?? NullCycleObserver.Instance;
        }

        /// <param name="force">Run even though the job is in quarantine and its next attempt is not due.</param>
        /// <param name="adoption">
        /// Migration from another integration: match existing Dropbox members by userName, email or external id
        /// and take them under management without changing anything; nothing is created, updated or removed.
        /// </param>
        public async Task<CyclePlan> PlanAsync(CancellationToken cancellationToken, bool force = false, bool adoption = false)
        {
            return await PlanUnderLockAsync("cycle", () => PlanLockedAsync(cancellationToken, force, adoption), plan => plan).ConfigureAwait(false);
        }

        /// <summary>
        /// Plans while holding the state directory's lock; the lock goes with the plan, to be released when the
        /// plan has run or is dropped, or at once when planning fails.
        /// </summary>
        private async Task<T> PlanUnderLockAsync<T>(string purpose, Func<Task<T>> plan, Func<T, CyclePlan> planOf)
        {
            var held = CycleLock.Acquire(_connection.Store, purpose);
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

        private async Task<CyclePlan> PlanLockedAsync(CancellationToken cancellationToken, bool force, bool adoption)
        {
            var store = _connection.Store;
            var state = store.LoadState();
            if (state.Status == ProvisioningToggle.Off)
                throw new DbxException("ProvisioningOff", DbxErrorCategory.InvalidOperation,
                    $"Provisioning is Off{(state.StatusChanged.HasValue ? " since " + state.StatusChanged.Value.ToString("u") : "")}, so no cycle runs. Turn it on with Set-DbxProvisioningStatus -Status On; the next cycle picks up where the last one left off.",
                    target: store.DirectoryPath);
            var now = DateTimeOffset.UtcNow;
            if (state.Quarantine != null && now < state.Quarantine.NextAttempt && !force)
                throw new DbxException("Quarantined", DbxErrorCategory.ResourceUnavailable,
                    $"The job is in quarantine ({state.Quarantine.Reason}: {state.Quarantine.Error}); its next attempt is due at {state.Quarantine.NextAttempt:u}. Fix the cause, then run with -Force, or lift it with Restart-DbxProvisioning -Scope Quarantine.",
                    target: store.DirectoryPath);

            var configuration = store.LoadConfiguration();
            if (_connection.Pacer != null)
            {
                _connection.Pacer.MaxRequestsPerSecond = configuration.Settings.MaxRequestsPerSecond;
                _connection.Pacer.MaxInFlight = configuration.Settings.MaxConcurrency;
            }
            var mapping = new CompiledMapping(adoption ? AdoptionMapping(configuration.Mappings.User) : configuration.Mappings.User, _connection.Api);
            var groupMapping = new CompiledMapping(configuration.Mappings.Group, _connection.Api);
            var cycleId = Guid.NewGuid().ToString();
            if (adoption) state.UsersDeltaLink = null; // adoption looks at every Dropbox member
            var fingerprint = ConfigurationFile.Fingerprint(configuration);
            if (state.UsersDeltaLink != null && state.ConfigurationFingerprint != fingerprint)
            {
                _observer.Verbose("The mappings, scoping filters or settings changed since the last cycle: this cycle reads everything (an initial cycle).");
                state.UsersDeltaLink = null;
            }

            if (!mapping.Mapping.Enabled)
            {
                _observer.Verbose("The user mapping is disabled: nothing to provision.");
                return new CyclePlan(cycleId, now, state, configuration, new List<ProvisioningChange>(), 0, 0, null);
            }

            DirectorySnapshot directory;
            DropboxSnapshot dropbox;
            try
            {
                directory = await DirectorySnapshot.ReadAsync(_connection.Graph, _connection.ServicePrincipalId, configuration.Settings,
                    mapping, groupMapping, state, _observer, cancellationToken).ConfigureAwait(false);
                _observer.Verbose($"Entra ID ({directory.Mode} cycle): {directory.Entitled.Count} user(s) entitled to Dropbox; {directory.Users.Count} user(s) to look at.");
                dropbox = directory.Mode == CycleMode.Initial
                    ? await DropboxSnapshot.ReadUsersAsync(_connection.Target, mapping, _observer, cancellationToken).ConfigureAwait(false)
                    : await DropboxSnapshot.ReadForChangesAsync(_connection.Target, mapping, state, directory, _observer, cancellationToken).ConfigureAwait(false);
            }
            catch (DbxException e) when (e.Category == DbxErrorCategory.AuthenticationError)
            {
                // Rejected credentials quarantine the job at once, as Entra does.
                var failed = new CycleResult { CycleId = cycleId, StartTime = now, EndTime = DateTimeOffset.UtcNow, Status = CycleStatus.Failed, Quarantine = QuarantinePolicy.Credentials };
                state.Quarantine = QuarantinePolicy.Enter(state.Quarantine, QuarantinePolicy.Credentials, e.Message, failed.EndTime.Value);
                state.Record(failed.ToSummary());
                store.SaveState(state);
                await NotifyAsync(failed, QuarantinePolicy.Credentials, state, configuration.Settings, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            _observer.Progress("Planning", "Comparing Entra ID with Dropbox", -1);
            var changes = new CyclePlanner(mapping, state, configuration.Settings).PlanUsers(directory, dropbox, out var unchanged);
            if (adoption)
            {
                // Only adoptions, and they write nothing: the accounts are recorded as they are.
                changes = changes.Where(c => c.IsAdoption).ToList();
                foreach (var change in changes)
                {
                    change.Action = ChangeAction.Adopt;
                    change.Values = new List<TargetValue>();
                    change.Desired = null;
                    change.ModifiedProperties.Clear();
                    change.Reason = $"adoption mode: matched an existing Dropbox member by {change.MatchedBy}; taken under management without changes";
                }
                directory.ReleaseUsers();
                return new CyclePlan(cycleId, now, state, configuration, changes, unchanged, directory.Entitled.Count, directory) { IsAdoption = true };
            }

            Groups.GroupPlanner groupPlanner = null;
            if (groupMapping.Mapping.Enabled)
            {
                groupPlanner = new Groups.GroupPlanner(groupMapping, state);
                var dropboxGroups = await Groups.DropboxGroupSnapshot.ReadAsync(_connection.Target, state, directory, groupPlanner.NamesToMatch(directory), _observer, cancellationToken).ConfigureAwait(false);
                var pending = new HashSet<string>(changes.Where(c => c.Action == ChangeAction.Create).Select(c => c.SourceId), StringComparer.OrdinalIgnoreCase);
                var leaving = new HashSet<string>(changes.Where(c => c.Action == ChangeAction.Disable || c.Action == ChangeAction.Delete).Select(c => c.SourceId), StringComparer.OrdinalIgnoreCase);
                changes.AddRange(groupPlanner.Plan(directory, dropboxGroups, pending, leaving));
            }
            var inScope = directory.Entitled.Count - directory.FilteredOut.Count;
            directory.ReleaseUsers();
            return new CyclePlan(cycleId, now, state, configuration, changes, unchanged, inScope, directory) { GroupPlanner = groupPlanner };
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
                Unchanged = plan.Unchanged, InScope = plan.InScope, Changes = plan.Changes.ToList(),
            };
            var settings = plan.Configuration.Settings;
            var state = plan.State;
            var approved = plan.Changes.Where(c => c.Action == ChangeAction.Skip || approvedChanges.Contains(c)).ToList();

            // Accidental deletions prevention: above the threshold, deprovisioning is held, the rest goes on.
            var deprovisions = approved.Where(c => c.Action == ChangeAction.Disable || c.Action == ChangeAction.Delete).ToList();
            var staged = deprovisions.Count > settings.DeletionThreshold;
            state.StagedDeletions.Clear();
            if (staged)
            {
                foreach (var change in deprovisions)
                {
                    approved.Remove(change);
                    state.StagedDeletions.Add(new StagedDeletion
                    {
                        SourceId = change.SourceId, TargetId = change.TargetId, TargetIdentity = change.TargetIdentity,
                        Action = change.Action.ToString(), Reason = change.Reason, Staged = DateTimeOffset.UtcNow, CycleId = plan.CycleId,
                    });
                    change.Action = ChangeAction.StagedDelete;
                    change.Status = ChangeStatus.Skipped;
                    change.StatusDetails = $"held: this cycle would suspend or delete {deprovisions.Count} account(s), more than the threshold of {settings.DeletionThreshold}. Approve with Approve-DbxProvisioningDeletion.";
                }
                _observer.Warning($"This cycle would suspend or delete {deprovisions.Count} Dropbox account(s), more than the accidental-deletions threshold of {settings.DeletionThreshold}. They are held; review them with Get-DbxProvisioningStatus and release them with Approve-DbxProvisioningDeletion.");
            }

            var credentialFailure = await RunChangesAsync(plan.CycleId, plan.StartTime, state, settings, approved, result, cancellationToken, plan.GroupPlanner).ConfigureAwait(false);
            var cancelled = cancellationToken.IsCancellationRequested;
            foreach (var change in plan.Changes.Where(c => c.Action == ChangeAction.StagedDelete)) result.Skipped++;

            // The watermarks move on only when the cycle ran to its end and every change was let through
            // (a change declined at a -Confirm prompt must be seen again); escrows carry this cycle's failures.
            var declined = plan.Changes.Any(c => c.Action != ChangeAction.Skip && c.Action != ChangeAction.StagedDelete && !approvedChanges.Contains(c));
            if (!cancelled && credentialFailure == null && !declined && plan.Directory != null && !plan.IsAdoption)
            {
                state.UsersDeltaLink = plan.Directory.UsersDeltaLink;
                state.GroupsDeltaLink = plan.Directory.GroupsDeltaLink;
                state.EntitledUsers = plan.Directory.Entitled;
                state.AssignedGroups = plan.Directory.AssignedGroups;
                state.ConfigurationFingerprint = ConfigurationFile.Fingerprint(plan.Configuration);
                state.Reconsider.Clear(); // looked at by this cycle's plan
            }

            result.EndTime = DateTimeOffset.UtcNow;
            result.Status = credentialFailure != null ? CycleStatus.Failed
                : cancelled ? CycleStatus.Cancelled
                : result.Failed > 0 ? CycleStatus.CompletedWithFailures
                : CycleStatus.Succeeded;

            if (!cancelled)
            {
                var operations = approved.Count(c => c.WritesToDropbox || c.Action == ChangeAction.Adopt);
                var reason = QuarantinePolicy.Judge(operations, result.Failed, Math.Max(plan.InScope, state.Users.Count), credentialFailure != null, staged);
                var wasQuarantined = state.Quarantine != null;
                if (reason != null)
                {
                    state.Quarantine = QuarantinePolicy.Enter(state.Quarantine, reason, credentialFailure?.Message ?? FirstFailure(result) ?? (staged ? $"{deprovisions.Count} suspensions or deletions held" : null), result.EndTime.Value);
                    result.Quarantine = state.Quarantine.Reason;
                    if (QuarantinePolicy.Expired(state.Quarantine, result.EndTime.Value))
                    {
                        state.Status = ProvisioningToggle.Off;
                        state.StatusChanged = result.EndTime;
                        _observer.Warning("The job has been in quarantine for 28 days and is now turned Off, as Entra does.");
                    }
                }
                else if (wasQuarantined && result.Failed == 0)
                {
                    state.Quarantine = null;
                    _observer.Verbose("The cycle succeeded: the quarantine is lifted.");
                }
                if (reason != null || result.Failed > 0)
                    await NotifyAsync(result, reason, state, settings, cancellationToken).ConfigureAwait(false);
            }

            state.Record(result.ToSummary());
            _connection.Store.SaveState(state);
            if (credentialFailure != null) throw credentialFailure;
            return result;
        }

        /// <summary>
        /// Provision on demand, first half: one user through import, scope and match, and the change it needs.
        /// Runs whatever the quarantine, as Entra's on-demand provisioning does, but not while provisioning is Off.
        /// </summary>
        public async Task<(OnDemandResult Result, CyclePlan Plan)> PlanOnDemandAsync(string userId, CancellationToken cancellationToken)
        {
            return await PlanUnderLockAsync("provision on demand", () => PlanOnDemandLockedAsync(userId, cancellationToken), planned => planned.Plan).ConfigureAwait(false);
        }

        private async Task<(OnDemandResult Result, CyclePlan Plan)> PlanOnDemandLockedAsync(string userId, CancellationToken cancellationToken)
        {
            var store = _connection.Store;
            var state = store.LoadState();
            if (state.Status == ProvisioningToggle.Off)
                throw new DbxException("ProvisioningOff", DbxErrorCategory.InvalidOperation, "Provisioning is Off; turn it on with Set-DbxProvisioningStatus -Status On.", target: store.DirectoryPath);
            var configuration = store.LoadConfiguration();
            var mapping = new CompiledMapping(configuration.Mappings.User, _connection.Api);
            var result = new OnDemandResult();

            SingleUserRead read;
            try
            {
                read = await SingleObjectReader.ReadUserAsync(_connection, configuration.Settings, mapping, userId, cancellationToken).ConfigureAwait(false);
            }
            catch (DbxException e) when (e.Condition == "GraphNotFound")
            {
                throw new DbxException("UserNotFound", DbxErrorCategory.ObjectNotFound, $"Entra ID has no user '{userId}'.", e, userId);
            }
            var user = read.User;
            result.SourceId = user.Id;
            result.SourceIdentity = user.DisplayIdentity;
            result.Add("Import user", ChangeStatus.Success, $"Read {user.DisplayIdentity} ({user.Id}) from Entra ID with {user.Values.Count()} attribute(s).");

            var directory = DirectorySnapshot.ForOne(user, read.NotEntitledReason == null, mapping);
            var softDeleted = user.Get(Directory.GraphAttributeNames.IsSoftDeleted) as bool? ?? false;
            var scopeDetails = read.NotEntitledReason
                ?? (directory.FilteredOut.TryGetValue(user.Id, out var filtered) ? "out of scope: " + filtered
                : directory.Unevaluable.TryGetValue(user.Id, out var problem) ? "scoping could not be evaluated: " + problem
                : !(user.Get("accountEnabled") as bool? ?? true) ? "sign-in is blocked in Entra ID"
                : "in scope: " + mapping.Scope.Evaluate(user).Reason);
            result.Add("Determine if user is in scope", softDeleted ? ChangeStatus.Skipped : ChangeStatus.Success, scopeDetails);

            state.Users.TryGetValue(user.Id, out var managed);
            var dropbox = await DropboxSnapshot.ReadOneAsync(_connection.Target, mapping, managed, user, cancellationToken).ConfigureAwait(false);
            var changes = new CyclePlanner(mapping, state, configuration.Settings).PlanUsers(directory, dropbox, out var unchanged);
            var match = managed != null ? $"managed: Dropbox account {managed.TargetIdentity} ({managed.TargetId}), {(dropbox.Count == 0 ? "which no longer exists" : "read from Dropbox")}"
                : dropbox.Count > 0 ? "matched an existing Dropbox account by " + string.Join(", ", mapping.Matching.Select(m => m.Path.Text))
                : "no Dropbox account matches";
            result.Add("Match user between Entra ID and Dropbox", ChangeStatus.Success, match);
            result.Change = changes.FirstOrDefault();
            return (result, new CyclePlan(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, state, configuration, changes, unchanged, softDeleted ? 0 : 1, null));
        }

        /// <summary>Provision on demand for a group: import, scope, match by name, and the change it needs.</summary>
        public async Task<(OnDemandResult Result, CyclePlan Plan)> PlanOnDemandGroupAsync(string groupId, CancellationToken cancellationToken)
        {
            return await PlanUnderLockAsync("provision on demand", () => PlanOnDemandGroupLockedAsync(groupId, cancellationToken), planned => planned.Plan).ConfigureAwait(false);
        }

        private async Task<(OnDemandResult Result, CyclePlan Plan)> PlanOnDemandGroupLockedAsync(string groupId, CancellationToken cancellationToken)
        {
            var store = _connection.Store;
            var state = store.LoadState();
            if (state.Status == ProvisioningToggle.Off)
                throw new DbxException("ProvisioningOff", DbxErrorCategory.InvalidOperation, "Provisioning is Off; turn it on with Set-DbxProvisioningStatus -Status On.", target: store.DirectoryPath);
            var configuration = store.LoadConfiguration();
            var groupMapping = new CompiledMapping(configuration.Mappings.Group, _connection.Api);
            var result = new OnDemandResult();

            Newtonsoft.Json.Linq.JObject item;
            try
            {
                item = await _connection.Graph.GetGroupAsync(groupId, Directory.GraphAttributeNames.Select(Directory.SourceObjectKind.Group, groupMapping.SourceAttributes), cancellationToken).ConfigureAwait(false);
            }
            catch (DbxException e) when (e.Condition == "GraphNotFound")
            {
                throw new DbxException("GroupNotFound", DbxErrorCategory.ObjectNotFound, $"Entra ID has no group '{groupId}'.", e, groupId);
            }
            var group = DirectorySnapshot.ToSourceObject(Directory.SourceObjectKind.Group, item);
            var members = await DirectorySnapshot.MembersOfAsync(_connection.Graph, group.Id, _observer, cancellationToken).ConfigureAwait(false);
            result.SourceId = group.Id;
            result.SourceIdentity = group.DisplayIdentity;
            result.Add("Import group", ChangeStatus.Success, $"Read group {group.DisplayIdentity} ({group.Id}) with {members.Count} direct user member(s) from Entra ID.");

            var assigned = configuration.Settings.Scope == ProvisioningScope.AllUsersAndGroups;
            if (!assigned)
                await _connection.Graph.ListAssignmentsAsync(_connection.ServicePrincipalId, a =>
                {
                    if ((string)a["principalId"] == group.Id && (configuration.Settings.IncludeDefaultAccess || !DirectorySnapshot.IsDefaultAccess((string)a["appRoleId"]))) assigned = true;
                }, cancellationToken).ConfigureAwait(false);
            var directory = DirectorySnapshot.ForOneGroup(group, members, assigned, groupMapping);
            var inScope = directory.GroupsInScope.Contains(group.Id);
            result.Add("Determine if group is in scope", inScope ? ChangeStatus.Success : ChangeStatus.Skipped,
                !groupMapping.Mapping.Enabled ? "the group mapping is disabled"
                : !assigned ? "not assigned to the Dropbox app (or assigned only with Default Access)"
                : inScope ? "in scope: " + groupMapping.Scope.Evaluate(group).Reason : "out of scope: " + groupMapping.Scope.Evaluate(group).Reason);

            state.Groups.TryGetValue(group.Id, out var managed);
            var dropbox = await Groups.DropboxGroupSnapshot.ReadOneAsync(_connection.Target, managed, group.Get("displayName") as string, cancellationToken).ConfigureAwait(false);
            var planner = new Groups.GroupPlanner(groupMapping, state);
            var changes = planner.Plan(directory, dropbox, new HashSet<string>(), new HashSet<string>()).Where(c => c.SourceId == group.Id).ToList();
            result.Add("Match group between Entra ID and Dropbox", ChangeStatus.Success,
                managed != null ? $"managed: Dropbox group {managed.TargetIdentity} ({managed.TargetId})" : changes.Any(c => c.IsAdoption) ? "matched an existing Dropbox group by displayName" : "no Dropbox group matches");
            result.Change = changes.FirstOrDefault();
            return (result, new CyclePlan(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, state, configuration, changes, 0, inScope ? 1 : 0, null) { GroupPlanner = planner });
        }

        /// <summary>Provision on demand, second half: carries out the change (when approved) and reports the last step.</summary>
        public async Task<OnDemandResult> ExecuteOnDemandAsync(OnDemandResult result, CyclePlan plan, bool approved, CancellationToken cancellationToken)
        {
            using (plan)
                return await ExecuteOnDemandLockedAsync(result, plan, approved, cancellationToken).ConfigureAwait(false);
        }

        private async Task<OnDemandResult> ExecuteOnDemandLockedAsync(OnDemandResult result, CyclePlan plan, bool approved, CancellationToken cancellationToken)
        {
            var change = result.Change;
            if (change == null)
            {
                result.Add("Perform action", ChangeStatus.Skipped, "nothing to change: Dropbox already holds what the mappings say");
                return result;
            }
            if (change.Action == ChangeAction.Skip || !approved)
            {
                result.Add("Perform action", ChangeStatus.Skipped, change.Action == ChangeAction.Skip ? change.Reason : "not carried out (-WhatIf): " + change.Description);
                return result;
            }
            var summary = new CycleResult { CycleId = plan.CycleId, StartTime = plan.StartTime, Mode = CycleMode.Incremental, Changes = plan.Changes.ToList() };
            var credentialFailure = await RunChangesAsync(plan.CycleId, plan.StartTime, plan.State, plan.Configuration.Settings, plan.Changes.ToList(), summary, cancellationToken, plan.GroupPlanner).ConfigureAwait(false);
            _connection.Store.SaveState(plan.State);
            if (credentialFailure != null) throw credentialFailure;
            result.Add("Perform action", change.Status == ChangeStatus.Failure ? ChangeStatus.Failure : ChangeStatus.Success,
                change.Description + (change.StatusDetails == null ? "" : ". " + change.StatusDetails));
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

        /// <summary>Carries out the staged suspensions and deletions the admin approved, and lifts TooManyDeletes.</summary>
        public async Task<CycleResult> ApproveStagedAsync(ICollection<string> approvedSourceIds, CancellationToken cancellationToken)
        {
            using (CycleLock.Acquire(_connection.Store, "approval"))
                return await ApproveStagedLockedAsync(approvedSourceIds, cancellationToken).ConfigureAwait(false);
        }

        private async Task<CycleResult> ApproveStagedLockedAsync(ICollection<string> approvedSourceIds, CancellationToken cancellationToken)
        {
            var state = _connection.Store.LoadState();
            var settings = _connection.Store.LoadConfiguration().Settings;
            var result = new CycleResult { CycleId = Guid.NewGuid().ToString(), StartTime = DateTimeOffset.UtcNow, Mode = CycleMode.Incremental };
            var changes = new List<ProvisioningChange>();
            foreach (var entry in state.StagedDeletions.Where(d => approvedSourceIds.Contains(d.SourceId)).ToList())
            {
                if (!state.Users.ContainsKey(entry.SourceId)) { state.StagedDeletions.Remove(entry); continue; }
                changes.Add(new ProvisioningChange
                {
                    Action = entry.Action == nameof(ChangeAction.Delete) ? ChangeAction.Delete : ChangeAction.Disable,
                    SourceId = entry.SourceId, SourceIdentity = entry.TargetIdentity, TargetId = entry.TargetId, TargetIdentity = entry.TargetIdentity,
                    Reason = "approved by an admin: " + entry.Reason,
                });
                state.StagedDeletions.Remove(entry);
            }
            result.Changes = changes;
            var credentialFailure = await RunChangesAsync(result.CycleId, result.StartTime, state, settings, changes, result, cancellationToken).ConfigureAwait(false);
            if (state.StagedDeletions.Count == 0 && state.Quarantine?.Reason == QuarantinePolicy.TooManyDeletes) state.Quarantine = null;
            result.EndTime = DateTimeOffset.UtcNow;
            result.Status = credentialFailure != null ? CycleStatus.Failed : result.Failed > 0 ? CycleStatus.CompletedWithFailures : CycleStatus.Succeeded;
            state.Record(result.ToSummary());
            _connection.Store.SaveState(state);
            if (credentialFailure != null) throw credentialFailure;
            return result;
        }

        private static readonly TimeSpan MinSaveInterval = TimeSpan.FromSeconds(5);

        /// <summary>Runs changes, logs them, escrows failures, counts the outcome; returns a credential failure if Dropbox refused the token.</summary>
        private async Task<Dropbox.DropboxTargetException> RunChangesAsync(string cycleId, DateTimeOffset start, ProvisioningState state, ProvisioningSettings settings,
            List<ProvisioningChange> changes, CycleResult result, CancellationToken cancellationToken, Groups.GroupPlanner groupPlanner = null)
        {
            using (var log = new ProvisioningLogStore(_connection.Store.LogDirectory).OpenCycle(cycleId, start))
                return await RunChangesAsync(cycleId, state, settings, changes, result, log, cancellationToken, groupPlanner).ConfigureAwait(false);
        }

        private async Task<Dropbox.DropboxTargetException> RunChangesAsync(string cycleId, ProvisioningState state, ProvisioningSettings settings,
            List<ProvisioningChange> changes, CycleResult result, CycleLogWriter log, CancellationToken cancellationToken, Groups.GroupPlanner groupPlanner)
        {
            var gate = new object();
            var store = _connection.Store;
            var done = 0;
            var lastSave = DateTimeOffset.UtcNow;
            var saveInterval = MinSaveInterval;
            var executor = new ChangeExecutor(_connection.Target, state, gate, _observer, settings.MaxConcurrency);

            void Completed(ProvisioningChange change)
            {
                lock (gate)
                {
                    done++;
                    var now = DateTimeOffset.UtcNow;
                    if (change.Status == ChangeStatus.Failure)
                    {
                        if (!state.Escrows.TryGetValue(change.SourceId, out var escrow))
                            state.Escrows[change.SourceId] = escrow = new EscrowEntry { SourceId = change.SourceId, Identity = change.TargetIdentity ?? change.SourceIdentity };
                        escrow.Failed(change.StatusDetails, now, settings.CycleInterval);
                    }
                    else if (change.Status == ChangeStatus.Success || change.Status == ChangeStatus.Warning)
                    {
                        state.Escrows.Remove(change.SourceId);
                    }
                    log.Write(ProvisioningLogRecord.From(cycleId, change, now));
                    if (done % 25 == 0 || done == changes.Count)
                        _observer.Progress("Provisioning to Dropbox", $"{done} of {changes.Count} change(s)", changes.Count == 0 ? 100 : done * 100 / changes.Count);
                    // Save now and then, so a crash loses little; the next cycle re-matches anything lost. A large
                    // state takes a while to write and the changes wait meanwhile: saving takes at most 2% of the time.
                    if (now - lastSave > saveInterval)
                    {
                        var clock = System.Diagnostics.Stopwatch.StartNew();
                        store.SaveState(state);
                        log.Flush();
                        lastSave = DateTimeOffset.UtcNow;
                        saveInterval = TimeSpan.FromTicks(Math.Max(MinSaveInterval.Ticks, clock.Elapsed.Ticks * 50));
                    }
                }
            }

            var credentialFailure = (Dropbox.DropboxTargetException)null;
            try
            {
                // Users first, so the groups' members created in this cycle can be resolved.
                await executor.ExecuteAsync(changes.Where(c => c.ObjectType == ObjectType.User).ToList(), Completed, cancellationToken).ConfigureAwait(false);
                credentialFailure = executor.CredentialFailure;
                var groupChanges = changes.Where(c => c.ObjectType == ObjectType.Group).ToList();
                if (credentialFailure == null && groupChanges.Count > 0 && groupPlanner != null)
                    await new Groups.GroupExecutor(_connection.Target, state, groupPlanner, _observer).ExecuteAsync(groupChanges, Completed, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Dropbox.DropboxTargetException e) when (e.IsCredentialFailure)
            {
                credentialFailure = e;
            }

            if (executor.LicenseLimited > 0)
            {
                result.LicenseLimited = executor.LicenseLimited;
                _observer.Warning($"Dropbox refused {executor.LicenseLimited} new account(s) because the team has no license left. Add licenses in the Dropbox admin console; the accounts stay in escrow and are created by a later cycle.");
            }

            foreach (var change in changes)
            {
                if (change.ObjectType == ObjectType.Group)
                {
                    if (change.Status == ChangeStatus.Failure) result.Failed++;
                    else if (change.Status == ChangeStatus.Skipped) result.Skipped++;
                    else if (change.Status == ChangeStatus.Success || change.Status == ChangeStatus.Warning)
                    {
                        if (change.Action == ChangeAction.Create) result.GroupsCreated++;
                        else if (change.Action == ChangeAction.Update) result.GroupsUpdated++;
                        else if (change.Action == ChangeAction.Delete) result.GroupsDeleted++;
                    }
                    continue;
                }
                switch (change.Status)
                {
                    case ChangeStatus.Success:
                    case ChangeStatus.Warning:
                        switch (change.Action)
                        {
                            case ChangeAction.Create: result.Created++; break;
                            case ChangeAction.Update: result.Updated++; break;
                            case ChangeAction.Disable: result.Suspended++; break;
                            case ChangeAction.Delete: result.Deleted++; break;
                            case ChangeAction.Adopt: result.Adopted++; break;
                        }
                        if (change.Status == ChangeStatus.Warning && change.Action == ChangeAction.Create) { result.Created--; result.Adopted++; }
                        if (change.IsAdoption && change.Action == ChangeAction.Update) result.Adopted++;
                        break;
                    case ChangeStatus.Skipped: result.Skipped++; break;
                    case ChangeStatus.Failure: result.Failed++; break;
                }
            }
            lock (gate)
            {
                foreach (var held in result.Changes.Where(c => c.Action == ChangeAction.StagedDelete))
                    log.Write(ProvisioningLogRecord.From(cycleId, held, DateTimeOffset.UtcNow));
            }
            return credentialFailure;
        }

        private static string FirstFailure(CycleResult result) => result.Changes.FirstOrDefault(c => c.Status == ChangeStatus.Failure)?.StatusDetails;

        private Task NotifyAsync(CycleResult result, string quarantineReason, ProvisioningState state, ProvisioningSettings settings, CancellationToken cancellationToken)
        {
            var subject = quarantineReason != null
                ? $"Dropbox provisioning is in quarantine ({quarantineReason})"
                : $"Dropbox provisioning cycle completed with {result.Failed} failure(s)";
            var body = $"Cycle {result.CycleId} ({result.Mode}) ended {result.EndTime:u} with status {result.Status}: created {result.Created}, updated {result.Updated}, suspended {result.Suspended}, deleted {result.Deleted}, skipped {result.Skipped}, failed {result.Failed}."
                + (state.Quarantine == null ? "" : $"\nQuarantine: {state.Quarantine.Reason}, next attempt {state.Quarantine.NextAttempt:u}. {state.Quarantine.Error}")
                + (state.StagedDeletions.Count == 0 ? "" : $"\n{state.StagedDeletions.Count} suspension(s) or deletion(s) are held until approved with Approve-DbxProvisioningDeletion.");
            return Notifier.SendAsync(_connection.Graph, _connection.Graph.Http, settings, subject, body, _observer, cancellationToken);
        }
    }
}
