using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Security
{
    /// <summary>
    /// Adds "Authorization: Bearer" to each request; on a 401 it renews the token once and retries. A refusal whose body
    /// repeats the token (a server that echoes the request's headers) has it masked, so no error message can carry it.
    /// </summary>
    public sealed class BearerTokenHandler : DelegatingHandler
    {
        private readonly IAccessTokenSource _tokens;
        public BearerTokenHandler(IAccessTokenSource tokens) { _tokens = tokens; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || !_tokens.CanRenew)
                return await WithoutEcho(response, token).ConfigureAwait(false);

            // A token that expired early or was revoked: one fresh token, one more try.
            _tokens.Invalidate();
            response.Dispose();
            token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await WithoutEcho(await base.SendAsync(request, cancellationToken).ConfigureAwait(false), token).ConfigureAwait(false);
        }

        /// <summary>A refusal's body with the token masked wherever it appears; a successful answer as it is.</summary>
        private static async Task<HttpResponseMessage> WithoutEcho(HttpResponseMessage response, string token)
        {
            if (response.IsSuccessStatusCode || response.Content == null || string.IsNullOrEmpty(token)) return response;
            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            if (text.IndexOf(token, System.StringComparison.Ordinal) < 0) return response; // buffered: readable again
            var masked = new StringContent(text.Replace(token, Errors.Redaction.Mask), System.Text.Encoding.UTF8);
            masked.Headers.ContentType = response.Content.Headers.ContentType;
            response.Content = masked;
            return response;
        }
    }
}
