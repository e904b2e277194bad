using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Security
{
    /// <summary>Supplies a bearer token for one service; implementations cache and renew as their protocol requires.</summary>
    public interface IAccessTokenSource
    {
        Task<string> GetTokenAsync(CancellationToken cancellationToken);

        /// <summary>Forgets a cached token after the service rejected it, so the next call gets a fresh one.</summary>
        void Invalidate();

        /// <summary>True when <see cref="Invalidate"/> can lead to a different token (a fixed token cannot be renewed).</summary>
        bool CanRenew { get; }
    }
}
