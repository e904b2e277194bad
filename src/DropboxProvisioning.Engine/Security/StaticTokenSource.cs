using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Security
{
    /// <summary>A token given as it is: the Dropbox secret token, or a Graph access token the admin already has.</summary>
    public sealed class StaticTokenSource : IAccessTokenSource
    {
        private readonly SecureString _token;
        public StaticTokenSource(SecureString token) { _token = token.Copy(); _token.MakeReadOnly(); }
        public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult(SecureStrings.Reveal(_token));
        public void Invalidate() { }
        public bool CanRenew => false;
    }
}
