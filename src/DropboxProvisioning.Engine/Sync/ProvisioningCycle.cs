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
    /// One provisioning cycle: import from Entra ID, read Dropbox, plan, then carry out the changes
    /// the caller approves (all of them, or none under -WhatIf) and record the outcome.
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

        public async Task<CyclePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var store = _connection.Store;
            var state = store.LoadState();
            if (state.Status == ProvisioningToggle.Off)
                throw new DbxException("ProvisioningOff", DbxErrorCategory.InvalidOperation,
                    $"Provisioning is Off{(state.StatusChanged.HasValue ? " since " + state.StatusChanged.Value.ToString("u") : "")}, so no cycle runs. Turn it on with Set-DbxProvisioningStatus -Status On; the next cycle picks up where the last one left off.",
                    target: store.DirectoryPath);
            var configuration = store.LoadConfiguration();
            var mapping = new CompiledMapping(configuration.Mappings.User);
            var start = DateTimeOffset.UtcNow;
            var cycleId = Guid.NewGuid().ToString();

            if (!mapping.Mapping.Enabled)
            {
                _observer.Verbose("The user mapping is disabled: nothing to provision.");
                return new CyclePlan(cycleId, start, state, configuration, new List<ProvisioningChange>(), 0, 0);
            }

            var directory = await DirectorySnapshot.ReadAsync(_connection.Graph, _connection.ServicePrincipalId, configuration.Settings,
                mapping, id => state.Users.ContainsKey(id), _observer, cancellationToken).ConfigureAwait(false);
            _observer.Verbose($"Entra ID: {directory.Entitled.Count} user(s) entitled to Dropbox; {directory.Users.Count} user(s) in scope or managed.");
            var dropbox = await DropboxSnapshot.ReadUsersAsync(_connection.Scim, mapping, _observer, cancellationToken).ConfigureAwait(false);

            _observer.Progress("Planning", "Comparing Entra ID with Dropbox", -1);
            var changes = new CyclePlanner(mapping, state).PlanUsers(directory, dropbox, out var unchanged);
            var inScope = directory.Users.Values.Count(u => !(u.Get(Directory.GraphAttributeNames.IsSoftDeleted) as bool? ?? false));
            return new CyclePlan(cycleId, start, state, configuration, changes, unchanged, inScope);
        }

        /// <summary>
        /// Carries out the approved changes (the cmdlet asks ShouldProcess about each on its own thread first);
        /// a change not approved is left undone and reported as planned. Skips are always recorded.
        /// </summary>
        public async Task<CycleResult> ExecuteAsync(CyclePlan plan, ICollection<ProvisioningChange> approvedChanges, CancellationToken cancellationToken)
        {
            var result = new CycleResult
            {
                CycleId = plan.CycleId, StartTime = plan.StartTime, Mode = CycleMode.Initial,
                Unchanged = plan.Unchanged, InScope = plan.InScope, Changes = plan.Changes.ToList(),
            };
            var approved = plan.Changes.Where(c => c.Action == ChangeAction.Skip || approvedChanges.Contains(c)).ToList();
            if (approvedChanges.Count == 0 && plan.Changes.Any(c => c.Action != ChangeAction.Skip))
            {
                result.Status = CycleStatus.WhatIf;
                result.EndTime = DateTimeOffset.UtcNow;
                return result;
            }

            var gate = new object();
            var store = _connection.Store;
            var logs = new ProvisioningLogStore(store.LogDirectory);
            var done = 0;
            var lastSave = DateTimeOffset.UtcNow;
            var pendingLogs = new List<ProvisioningLogRecord>();
            var executor = new ChangeExecutor(_connection.Scim, plan.State, gate, _observer, plan.Configuration.Settings.MaxConcurrency);

            void Completed(ProvisioningChange change)
            {
                lock (gate)
                {
                    done++;
                    pendingLogs.Add(ProvisioningLogRecord.From(plan.CycleId, change, DateTimeOffset.UtcNow));
                    if (done % 25 == 0 || done == approved.Count)
                        _observer.Progress("Provisioning to Dropbox", $"{done} of {approved.Count} change(s)", approved.Count == 0 ? 100 : done * 100 / approved.Count);
                    // Save now and then, so a crash loses little; the next cycle re-matches anything lost.
                    if (DateTimeOffset.UtcNow - lastSave > TimeSpan.FromSeconds(5))
                    {
                        store.SaveState(plan.State);
                        logs.Append(plan.CycleId, plan.StartTime, pendingLogs);
                        pendingLogs.Clear();
                        lastSave = DateTimeOffset.UtcNow;
                    }
                }
            }

            var cancelled = false;
            try
            {
                await executor.ExecuteAsync(approved, Completed, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
            }
            cancelled |= cancellationToken.IsCancellationRequested;

            foreach (var change in approved)
            {
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

            result.EndTime = DateTimeOffset.UtcNow;
            result.Status = executor.CredentialFailure != null ? CycleStatus.Failed
                : cancelled ? CycleStatus.Cancelled
                : result.Failed > 0 ? CycleStatus.CompletedWithFailures
                : CycleStatus.Succeeded;
            lock (gate)
            {
                plan.State.Record(result.ToSummary());
                store.SaveState(plan.State);
                logs.Append(plan.CycleId, plan.StartTime, pendingLogs);
            }
            if (executor.CredentialFailure != null) throw executor.CredentialFailure;
            return result;
        }
    }
}
