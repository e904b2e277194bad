using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Dropbox.OAuth;

namespace DropboxProvisioning.Connection
{
    /// <summary>
    /// The whole OAuth 2 code flow with PKCE when the consent can be given in-process (the sandbox's admin clicking
    /// Allow): a new verifier and challenge, the consent for the challenge, and the code exchanged at the token
    /// endpoint with the verifier. The refresh token comes back into the options, held only in memory.
    /// </summary>
    public static class ConsentedAuthorization
    {
        /// <param name="consent">Gives the code Dropbox shows after Allow on a link with this PKCE challenge.</param>
        public static Task AuthorizeTeamAppAsync(ConnectionOptions options, string appKey, Func<string, string> consent,
            Func<HttpMessageHandler> transport, CancellationToken cancellationToken) =>
            AuthorizeTeamAppAsync(options, appKey, challenge => Task.FromResult(consent(challenge)), transport, cancellationToken);

        /// <param name="consent">Gives, over HTTP (a served sandbox's consent endpoint), the code Dropbox shows after Allow on a link with this PKCE challenge.</param>
        public static async Task AuthorizeTeamAppAsync(ConnectionOptions options, string appKey, Func<string, Task<string>> consent,
            Func<HttpMessageHandler> transport, CancellationToken cancellationToken)
        {
            var pkce = PkcePair.Create();
            var code = await consent(pkce.Challenge).ConfigureAwait(false);
            using (var http = new HttpClient(transport()))
            {
                var grant = await DropboxOAuth.ExchangeCodeAsync(http, options.ApiRoot ?? DropboxOAuth.DefaultApiRoot, appKey, code, pkce.Verifier, cancellationToken).ConfigureAwait(false);
                options.AppKey = appKey;
                options.RefreshToken = grant.RefreshToken;
            }
        }
    }
}
