using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>Provisioning on demand (one user or one group) and the approval of held deletions, through the cycle's stages.</summary>
    public sealed partial class ProvisioningCycle
    {
        /// <summary>
        /// Provision on demand, first half: one user through import, scope and match, and the change it needs.
        /// Runs whatever the quarantine, as Entra's on-demand provisioning does, but not while provisioning is Off.
        /// </summary>
        public async Task<(OnDemandResult Result, CyclePlan Plan)> PlanOnDemandAsync(string userId, CancellationToken cancellationToken, bool whatIf = false)
        {
            return await PlanUnderLockAsync("provision on demand", () => PlanOneAsync((state, configuration) => PlanUserAsync(userId, state, configuration, cancellationToken)),
                planned => planned.Plan, whatIf).ConfigureAwait(false);
        }

        /// <summary>Provision on demand for a group: import, scope, match by name, and the change it needs.</summary>
        public async Task<(OnDemandResult Result, CyclePlan Plan)> PlanOnDemandGroupAsync(string groupId, CancellationToken cancellationToken, bool whatIf = false)
        {
            return await PlanUnderLockAsync("provision on demand", () => PlanOneAsync((state, configuration) => PlanGroupAsync(groupId, state, configuration, cancellationToken)),
                planned => planned.Plan, whatIf).ConfigureAwait(false);
        }

        /// <summary>What planning one object gives: its steps so far, its changes, and whether it is in scope.</summary>
        private sealed class OnePlanned
        {
            public OnDemandResult Result;
            public List<ProvisioningChange> Changes;
            public int Unchanged;
            public bool InScope;
        }

        /// <summary>The gate (On, not the quarantine), then the object's own reading and planning; the plan of one object.</summary>
        private async Task<(OnDemandResult Result, CyclePlan Plan)> PlanOneAsync(Func<ProvisioningState, ProvisioningConfiguration, Task<OnePlanned>> plan)
        {
            var store = _connection.Store;
            var state = store.LoadState();
            CycleGate.RequireOn(state, store);
            var configuration = store.LoadConfiguration();
            var planned = await plan(state, configuration).ConfigureAwait(false);
            planned.Result.Change = planned.Changes.FirstOrDefault();
            var cyclePlan = new CyclePlan(Guid.NewGuid().ToString(), _clock.UtcNow, state, configuration, planned.Changes, planned.Unchanged, planned.InScope ? 1 : 0, null);
            return (planned.Result, cyclePlan);
        }

        private async Task<OnePlanned> PlanUserAsync(string userId, ProvisioningState state, ProvisioningConfiguration configuration, CancellationToken cancellationToken)
        {
            var mapping = new CompiledMapping(configuration.Mappings.User, _connection.Api);
            PrepareSpaceLimits(configuration.Mappings.User, state);
            var result = new OnDemandResult();
            SingleUserRead read;
            try
            {
                read = await _directory.ReadUserAsync(configuration.Settings, mapping, userId, cancellationToken).ConfigureAwait(false);
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
            var dropbox = await _dropbox.ReadUserAsync(mapping, managed, user, cancellationToken).ConfigureAwait(false);
            var changes = new UserPlanner(mapping, state, configuration.Settings, _clock).PlanUsers(directory, dropbox, out var unchanged);
            var match = managed != null ? $"managed: Dropbox account {managed.TargetIdentity} ({managed.TargetId}), {(dropbox.Count == 0 ? "which no longer exists" : "read from Dropbox")}"
                : dropbox.Count > 0 ? "matched an existing Dropbox account by " + string.Join(", ", mapping.Matching.Select(m => m.Path.Text))
                : "no Dropbox account matches";
            result.Add("Match user between Entra ID and Dropbox", ChangeStatus.Success, match);
            return new OnePlanned { Result = result, Changes = changes, Unchanged = unchanged, InScope = !softDeleted };
        }

        private async Task<OnePlanned> PlanGroupAsync(string groupId, ProvisioningState state, ProvisioningConfiguration configuration, CancellationToken cancellationToken)
        {
            var groupMapping = new CompiledMapping(configuration.Mappings.Group, _connection.Api);
            var result = new OnDemandResult();
            SingleGroupRead read;
            try
            {
                read = await _directory.ReadGroupAsync(configuration.Settings, groupMapping, groupId, cancellationToken).ConfigureAwait(false);
            }
            catch (DbxException e) when (e.Condition == "GraphNotFound")
            {
                throw new DbxException("GroupNotFound", DbxErrorCategory.ObjectNotFound, $"Entra ID has no group '{groupId}'.", e, groupId);
            }
            var group = read.Group;
            result.SourceId = group.Id;
            result.SourceIdentity = group.DisplayIdentity;
            result.Add("Import group", ChangeStatus.Success, $"Read group {group.DisplayIdentity} ({group.Id}) with {read.Members.Count} direct user member(s) from Entra ID.");

            var directory = DirectorySnapshot.ForOneGroup(group, read.Members, read.Assigned, groupMapping);
            var inScope = directory.GroupsInScope.Contains(group.Id);
            result.Add("Determine if group is in scope", inScope ? ChangeStatus.Success : ChangeStatus.Skipped,
                !groupMapping.Mapping.Enabled ? "the group mapping is disabled"
                : !read.Assigned ? "not assigned to the Dropbox app (or assigned only with Default Access)"
                : inScope ? "in scope: " + groupMapping.Scope.Evaluate(group).Reason : "out of scope: " + groupMapping.Scope.Evaluate(group).Reason);

            state.Groups.TryGetValue(group.Id, out var managed);
            var dropbox = await _dropbox.ReadGroupAsync(managed, group.Get("displayName") as string, cancellationToken).ConfigureAwait(false);
            var changes = new GroupPlanner(groupMapping, state, configuration.Settings.TakeOverDropboxGroups).Plan(directory, dropbox, new HashSet<string>(), new HashSet<string>()).Where(c => c.SourceId == group.Id).ToList();
            result.Add("Match group between Entra ID and Dropbox", ChangeStatus.Success,
                managed != null ? $"managed: Dropbox group {managed.TargetIdentity} ({managed.TargetId})" : changes.Any(c => c.IsAdoption) ? "matched an existing Dropbox group by displayName" : "no Dropbox group matches");
            return new OnePlanned { Result = result, Changes = changes, Unchanged = 0, InScope = inScope };
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
            if (change.Planned == ChangeAction.Skip || !approved)
            {
                result.Add("Perform action", ChangeStatus.Skipped, change.Planned == ChangeAction.Skip ? change.Reason : "not carried out (-WhatIf): " + change.Description);
                return result;
            }
            var run = await Runner.RunAsync(plan.CycleId, plan.StartTime, plan.State, plan.Configuration.Settings, plan.Changes, new List<ChangeOutcome>(), cancellationToken).ConfigureAwait(false);
            Outcome.Count(new CycleResult(), run.Outcomes); // one object: its counts are not kept, but a refused license is said
            _connection.Store.SaveState(plan.State);
            if (run.CredentialFailure != null) throw run.CredentialFailure;
            result.Add("Perform action", change.Status == ChangeStatus.Failure ? ChangeStatus.Failure : ChangeStatus.Success,
                change.Description + (change.StatusDetails == null ? "" : ". " + change.StatusDetails));
            return result;
        }

        /// <summary>Carries out the staged suspensions and deletions the admin approved, and lifts TooManyDeletes.</summary>
        public async Task<CycleResult> ApproveStagedAsync(ICollection<string> approvedSourceIds, CancellationToken cancellationToken)
        {
            using (CycleGate.Lock(_connection.Store, "approval", _clock))
                return await ApproveStagedLockedAsync(approvedSourceIds, cancellationToken).ConfigureAwait(false);
        }

        private async Task<CycleResult> ApproveStagedLockedAsync(ICollection<string> approvedSourceIds, CancellationToken cancellationToken)
        {
            var state = _connection.Store.LoadState();
            var settings = _connection.Store.LoadConfiguration().Settings;
            var result = new CycleResult { CycleId = Guid.NewGuid().ToString(), StartTime = _clock.UtcNow, Mode = CycleMode.Incremental };
            var changes = DeletionGuard.Release(state, approvedSourceIds);
            result.Changes = new ChangeList(changes);
            var run = await Runner.RunAsync(result.CycleId, result.StartTime, state, settings, changes, new List<ChangeOutcome>(), cancellationToken).ConfigureAwait(false);
            Outcome.Count(result, run.Outcomes);
            if (state.StagedDeletions.Count == 0 && state.Quarantine?.Reason == QuarantinePolicy.TooManyDeletes) state.Quarantine = null;
            result.EndTime = _clock.UtcNow;
            result.Status = run.CredentialFailure != null ? CycleStatus.Failed : result.Failed > 0 ? CycleStatus.CompletedWithFailures : CycleStatus.Succeeded;
            state.Record(result.ToSummary());
            _connection.Store.SaveState(state);
            if (run.CredentialFailure != null) throw run.CredentialFailure;
            return result;
        }
    }
}
