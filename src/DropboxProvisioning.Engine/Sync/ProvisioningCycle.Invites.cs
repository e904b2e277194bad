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
        /// Invitations, after the user planner: a user whose invitation the engine withdrew is not created again (it waits
        /// in escrow as InviteWithdrawn); with the invitation settings on, the members still invited are read (Team API:
        /// members/list_v2), recorded in the state with their age, and reminded or withdrawn (<see cref="InvitePlanner"/>).
        /// </summary>
        private async Task PlanInvitesAsync(List<ProvisioningChange> changes, ProvisioningState state, ProvisioningSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
        {
            foreach (var change in changes)
            {
                if (change.Planned != ChangeAction.Create || change.ObjectType != Mapping.ObjectType.User) continue;
                if (!state.Escrows.TryGetValue(change.SourceId, out var escrow) || escrow.Reason != EscrowEntry.InviteWithdrawn) continue;
                change.Planned = ChangeAction.Skip;
                change.PlannedStatus = ChangeStatus.Skipped;
                change.ModifiedFromValues = false;
                change.Reason = $"{EscrowEntry.InviteWithdrawn}: the engine withdrew this user's invitation on {escrow.FirstFailure:u}; it is not invited again until Restart-DbxProvisioning -Scope Escrows";
            }
            if (!settings.InviteReminderAfterDays.HasValue && !settings.WithdrawInviteAfterDays.HasValue) return;
            if (!(_connection.Target is IDropboxInvites target))
                throw new DbxException("TeamApiOnlySetting", DbxErrorCategory.InvalidArgument,
                    $"The invitation settings (InviteReminderAfterDays, WithdrawInviteAfterDays) work only over the Team API; this job provisions over {_connection.Target.DisplayName}. Connect with Connect-DbxTenant -Api TeamApi, or turn them off.",
                    target: nameof(ProvisioningSettings.InviteReminderAfterDays));

            var invited = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            await target.ListInvitedAsync((id, on) => invited[id] = on, cancellationToken).ConfigureAwait(false);
            var pending = new Dictionary<string, PendingInvite>(StringComparer.OrdinalIgnoreCase);
            foreach (var managed in state.Users.Values)
            {
                if (managed.TargetId == null || !invited.TryGetValue(managed.TargetId, out var on)) continue;
                state.PendingInvites.TryGetValue(managed.SourceId, out var before);
                pending[managed.SourceId] = new PendingInvite
                {
                    SourceId = managed.SourceId, TargetId = managed.TargetId, Identity = managed.TargetIdentity, InvitedOn = on,
                    LastReminder = before?.TargetId == managed.TargetId ? before.LastReminder : null,
                    Reminders = before?.TargetId == managed.TargetId ? before.Reminders : 0,
                };
            }
            state.PendingInvites = pending;
            if (pending.Count > 0)
            {
                var oldest = pending.Values.OrderBy(p => p.InvitedOn).First();
                _observer.Verbose($"{pending.Count} managed member(s) have not accepted the Dropbox invitation; the oldest, '{oldest.Identity}', was invited {oldest.InvitedOn:u} ({oldest.AgeDays(now)} day(s) ago).");
            }
            var busy = new HashSet<string>(changes.Where(c => c.ObjectType == Mapping.ObjectType.User).Select(c => c.SourceId), StringComparer.OrdinalIgnoreCase);
            changes.AddRange(InvitePlanner.Plan(pending.Values, busy, settings, now));
        }
    }
}
