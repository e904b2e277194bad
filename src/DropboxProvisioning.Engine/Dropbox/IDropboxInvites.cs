using System;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Dropbox
{
    /// <summary>
    /// A target that knows which members have not accepted their invitation yet, and can send the invitation again
    /// (the Team API: members/list_v2's invited status and invited_on, members/send_welcome_email). A withdrawal is an
    /// ordinary removal of the invited member (<see cref="IDropboxTarget.DeleteAsync"/>: members/remove). SCIM shows
    /// no invitation date and sends no e-mail: a SCIM target does not implement this.
    /// </summary>
    public interface IDropboxInvites
    {
        /// <summary>Every member still invited: its id and when it was invited (TeamMemberProfile.invited_on).</summary>
        Task ListInvitedAsync(Action<string, DateTimeOffset> onInvited, CancellationToken cancellationToken);

        /// <summary>members/send_welcome_email (a no-op for a member who is no longer pending).</summary>
        Task SendWelcomeEmailAsync(string id, CancellationToken cancellationToken);
    }
}
