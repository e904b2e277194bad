using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Dropbox.TeamApi
{
    public sealed partial class TeamApiTarget : IDropboxOffboarding
    {
        public async Task<bool> SuspendAsync(string id, bool wipeData, CancellationToken cancellationToken)
        {
            try
            {
                await _client.SuspendAsync(id, wipeData, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TeamApiException e) when (e.Tag == "suspend_inactive_user")
            {
                return false;
            }
        }

        public Task RemoveAsync(string id, MemberRemoval removal, CancellationToken cancellationToken) => _client.RemoveAsync(id, removal, cancellationToken);

        public Task RecoverAsync(string id, CancellationToken cancellationToken) => _client.RecoverAsync(id, cancellationToken);
    }
}
