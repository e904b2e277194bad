using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.Http
{
    /// <summary>
    /// Redirects, under one rule: a redirect is followed only to the same origin (scheme, host and port) over https or to
    /// a loopback address, and never for a request that carries a credential (an Authorization header, a managed
    /// identity header, or a form body such as an OAuth token request with client_secret or refresh_token). Any other
    /// redirect is refused with an error naming where it pointed: an answer must never send a secret somewhere else.
    /// It replaces the middleware's own redirect handler, and the transport's automatic redirects are off.
    /// </summary>
    public sealed class SafeRedirectHandler : DelegatingHandler
    {
        public const int MaxRedirects = 5;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            for (var hops = 0; IsRedirect(response.StatusCode) && response.Headers.Location != null; hops++)
            {
                var from = request.RequestUri;
                var to = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(from, response.Headers.Location);
                var refusal = hops >= MaxRedirects ? "after " + MaxRedirects + " redirects"
                    : CarriesSecret(request) ? "the request carries a credential"
                    : !SameOrigin(from, to) ? "it leads to another origin"
                    : !(to.Scheme == Uri.UriSchemeHttps || to.IsLoopback) ? "it is not https"
                    : null;
                if (refusal != null)
                {
                    var status = (int)response.StatusCode;
                    response.Dispose();
                    throw new DbxException("RedirectRefused", DbxErrorCategory.SecurityError,
                        $"{Redaction.Url(from, UriPartial.Path)} answered HTTP {status} with a redirect to {Redaction.Url(to, UriPartial.Path)}, which was not followed: {refusal}. " +
                        "The engine follows a redirect only to the same origin over https (or loopback), and never one of a request that carries a credential.", target: Redaction.Url(from, UriPartial.Path))
                    {
                        RecommendedAction = "Give the service's final URL (the one it redirects to) if you trust it.",
                    };
                }
                var method = response.StatusCode == HttpStatusCode.SeeOther || ((int)response.StatusCode <= 302 && request.Method == HttpMethod.Post) ? HttpMethod.Get : request.Method;
                var next = new HttpRequestMessage(method, to) { Content = method == HttpMethod.Get ? null : request.Content, Version = request.Version };
                foreach (var header in request.Headers) next.Headers.TryAddWithoutValidation(header.Key, header.Value);
                response.Dispose();
                request = next;
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            return response;
        }

        private static bool IsRedirect(HttpStatusCode status)
        {
            var code = (int)status;
            return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
        }

        private static bool SameOrigin(Uri a, Uri b) =>
            string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

        /// <summary>Whether the request (as the inner handlers left it) holds a secret of any kind.</summary>
        internal static bool CarriesSecret(HttpRequestMessage request)
        {
            if (request.Headers.Authorization != null || request.Headers.Contains("X-IDENTITY-HEADER") || request.Headers.Contains("Cookie")) return true;
            if (!string.IsNullOrEmpty(request.RequestUri?.UserInfo)) return true;
            var type = request.Content?.Headers.ContentType?.MediaType;
            return request.Content is FormUrlEncodedContent || string.Equals(type, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        }
    }
}
