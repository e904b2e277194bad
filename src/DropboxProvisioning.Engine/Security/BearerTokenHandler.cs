using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Security
{
    /// <summary>Adds "Authorization: Bearer" to each request; on a 401 it renews the token once and retries.</summary>
    public sealed class BearerTokenHandler : DelegatingHandler
    {
        private readonly IAccessTokenSource _tokens;
        public BearerTokenHandler(IAccessTokenSource tokens) { _tokens = tokens; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false));
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || !_tokens.CanRenew)
                return response;

            // A token that expired early or was revoked: one fresh token, one more try.
            _tokens.Invalidate();
            response.Dispose();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false));
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
