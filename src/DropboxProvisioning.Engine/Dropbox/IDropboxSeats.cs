using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Dropbox
{
    /// <summary>
    /// A target that can tell how many licenses the team has left before anything is created (the Team API's
    /// team/get_info). SCIM has no such read: a SCIM target does not implement this, and creates there meet Dropbox's
    /// license refusals one by one, as Entra's connector does.
    /// </summary>
    public interface IDropboxSeats
    {
        /// <summary>The team's licenses now (scope team_info.read).</summary>
        Task<DropboxSeats> GetSeatsAsync(CancellationToken cancellationToken);
    }
}
