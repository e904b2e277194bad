using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Invitations that were never accepted (Team API; settings InviteReminderAfterDays, InviteReminderEveryDays,
    /// WithdrawInviteAfterDays, all off by default). For each managed member still invited, by its age (now minus
    /// Dropbox's invited_on):
    /// <list type="bullet">
    /// <item>at WithdrawInviteAfterDays or more: the invitation is withdrawn, a Delete of the invited member
    /// (members/remove), which the accidental-deletions threshold counts like any other; the user then waits in escrow as
    /// <see cref="EscrowEntry.InviteWithdrawn"/> and is not invited again until Restart-DbxProvisioning -Scope Escrows;</item>
    /// <item>else at InviteReminderAfterDays or more, when no reminder was sent in the last InviteReminderEveryDays
    /// (default: InviteReminderAfterDays): a Remind (members/send_welcome_email);</item>
    /// <item>a member the cycle changes anyway (an update, a suspension) is left to that change.</item>
    /// </list>
    /// Pure: the pending invitations and the time are passed in.
    /// </summary>
    internal static class InvitePlanner
    {
        public static List<ProvisioningChange> Plan(IEnumerable<PendingInvite> pending, ISet<string> busy, ProvisioningSettings settings, DateTimeOffset now)
        {
            var changes = new List<ProvisioningChange>();
            foreach (var invite in pending.OrderBy(i => i.InvitedOn).ThenBy(i => i.SourceId, StringComparer.Ordinal))
            {
                if (busy.Contains(invite.SourceId)) continue;
                var age = now - invite.InvitedOn;
                var days = invite.AgeDays(now);
                if (settings.WithdrawInviteAfterDays is int withdraw && age >= TimeSpan.FromDays(withdraw))
                {
                    changes.Add(Change(invite, ChangeAction.Delete,
                        $"the invitation was withdrawn: invited {invite.InvitedOn:u}, {days} day(s) ago, and not accepted within WithdrawInviteAfterDays ({withdraw}); "
                        + "the invited member is removed (members/remove) and not invited again until Restart-DbxProvisioning -Scope Escrows",
                        EscrowEntry.InviteWithdrawn));
                    continue;
                }
                if (!(settings.InviteReminderAfterDays is int after) || age < TimeSpan.FromDays(after)) continue;
                var every = TimeSpan.FromDays(settings.InviteReminderEveryDays ?? after);
                if (invite.LastReminder.HasValue && now - invite.LastReminder.Value < every) continue;
                changes.Add(Change(invite, ChangeAction.Remind,
                    $"invited {invite.InvitedOn:u}, {days} day(s) ago, and not accepted (InviteReminderAfterDays {after}"
                    + (invite.LastReminder.HasValue ? $"; last reminder {invite.LastReminder:u}, InviteReminderEveryDays {every.TotalDays:0}" : "") + "): members/send_welcome_email",
                    null));
            }
            return changes;
        }

        private static ProvisioningChange Change(PendingInvite invite, ChangeAction action, string reason, string escrowAs) => new ProvisioningChange
        {
            Planned = action,
            SourceId = invite.SourceId,
            SourceIdentity = invite.Identity,
            TargetId = invite.TargetId,
            TargetIdentity = invite.Identity,
            Reason = reason,
            EscrowAs = escrowAs,
        };
    }
}
