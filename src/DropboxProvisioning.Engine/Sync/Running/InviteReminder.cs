using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;
using DropboxProvisioning.Time;

namespace DropboxProvisioning.Sync
{
    /// <summary>Runs a Remind: members/send_welcome_email, then the reminder is recorded on the pending invitation (for InviteReminderEveryDays).</summary>
    internal static class InviteReminder
    {
        public static async Task SendAsync(IDropboxTarget target, ProvisioningState state, ChangeOutcome outcome, IClock clock, CancellationToken cancellationToken)
        {
            if (!(target is IDropboxInvites invites))
                throw new DbxException("TeamApiOnlySetting", DbxErrorCategory.InvalidArgument, $"{target.DisplayName} cannot send an invitation again.");
            await invites.SendWelcomeEmailAsync(outcome.Change.TargetId, cancellationToken).ConfigureAwait(false);
            lock (state.Gate)
            {
                if (state.PendingInvites.TryGetValue(outcome.Change.SourceId, out var pending))
                {
                    pending.LastReminder = clock.UtcNow;
                    pending.Reminders++;
                }
            }
            outcome.Status = ChangeStatus.Success;
        }
    }
}
