using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    public sealed partial class ProvisioningCycle
    {
        /// <summary>
        /// The offboarding policy, after the user planner (<see cref="OffboardingPlanner"/>): suspensions take their rule,
        /// managers are read from Graph for the rules that give the files to them, and the removals that are due join the
        /// plan. Without a policy nothing changes; over SCIM a policy stops the cycle before anything is written.
        /// </summary>
        private async Task PlanOffboardingAsync(List<ProvisioningChange> changes, DirectorySnapshot directory, ProvisioningState state, ProvisioningConfiguration configuration,
            DateTimeOffset now, CancellationToken cancellationToken)
        {
            var policy = configuration.Offboarding;
            if (state.RemovedMembers.Count > 0 && _connection.Target is IDropboxOffboarding) OffboardingPlanner.Recoveries(changes, state.RemovedMembers, now);
            if (policy == null || policy.IsEmpty)
            {
                if (state.PendingRemovals.Count > 0)
                    _observer.Verbose($"{state.PendingRemovals.Count} member(s) wait for a removal, but the job has no offboarding policy any more: they stay suspended and are not removed.");
                return;
            }
            if (!(_connection.Target is IDropboxOffboarding))
                throw new DbxException("TeamApiOnlyOffboardingPolicy", DbxErrorCategory.InvalidArgument,
                    $"An offboarding policy works only over the Team API; this job provisions over {_connection.Target.DisplayName}. Connect with Connect-DbxTenant -Api TeamApi, or remove the policy (Remove-DbxOffboardingPolicy -All).",
                    target: "OffboardingPolicy");

            // Managers, for the leavers whose rule gives their files to them: one Graph call each, only for those.
            var managers = new Dictionary<string, (string, string)?>(StringComparer.OrdinalIgnoreCase);
            foreach (var change in changes.Where(c => c.Planned == ChangeAction.Disable && c.ObjectType == Mapping.ObjectType.User))
            {
                var source = directory.Users.TryGetValue(change.SourceId, out var user) ? user : null;
                var rule = policy.Select(source);
                if (rule?.Action != OffboardingAction.SuspendThenRemove || rule.TransferFilesTo != FileTransferTarget.Manager || _connection.Graph == null) continue;
                var manager = await _connection.Graph.GetManagerAsync(change.SourceId, cancellationToken).ConfigureAwait(false);
                var email = (string)manager?["mail"] ?? (string)manager?["userPrincipalName"];
                managers[change.SourceId] = manager == null ? ((string, string)?)null : (email, (string)manager["id"]);
            }
            OffboardingPlanner.DecideSuspensions(changes, policy, id => directory.Users.TryGetValue(id, out var u) ? u : null,
                id => managers.TryGetValue(id, out var m) ? m : null, now);

            var busy = new HashSet<string>(changes.Where(c => c.ObjectType == Mapping.ObjectType.User).Select(c => c.SourceId), StringComparer.OrdinalIgnoreCase);
            var due = OffboardingPlanner.DueRemovals(state.PendingRemovals.Values.ToList(), busy,
                id => state.Users.TryGetValue(id, out var m) && m.Active ? m.TargetId : null, now,
                id => state.Escrows.TryGetValue(id, out var escrow) && escrow.Reason == null ? escrow.NextAttempt : (DateTimeOffset?)null);
            if (due.Count > 0) _observer.Verbose($"{due.Count} suspended member(s) are due for removal under the offboarding policy.");
            changes.AddRange(due);
        }
    }
}
