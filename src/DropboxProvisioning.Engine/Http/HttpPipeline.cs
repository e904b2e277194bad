using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Kiota.Abstractions;
using Microsoft.Graph;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace DropboxProvisioning.Http
{
    /// <summary>
    /// Builds the HttpClients the engine talks through: Microsoft.Graph.Core's middleware pipeline
    /// (retry honouring Retry-After on 429/503/504, redirects, compression) over either the platform's
    /// own handler or an in-process sandbox handler. TLS validation is never switched off.
    /// </summary>
    public static class HttpPipeline
    {
        public const int MaxRetries = 10;

        public static HttpClient Create(DelegatingHandler authentication, HttpMessageHandler finalHandler, TimeSpan timeout, RequestPacer pacer = null)
        {
            var handlers = new List<DelegatingHandler>
            {
                new RetriesExhaustedHandler(),
                new RetryHandler(new RetryHandlerOption { MaxRetry = MaxRetries, Delay = 2 }),
                new RedirectHandler(new RedirectHandlerOption()),
            };
            if (authentication != null) handlers.Add(authentication);
            handlers.Add(new CharsetGuardHandler());
            if (pacer != null) handlers.Add(pacer);
            var pipeline = GraphClientFactory.CreatePipeline(handlers, finalHandler ?? new HttpClientHandler());
            return new HttpClient(pipeline, disposeHandler: true) { Timeout = timeout };
        }

        /// <summary>
        /// Outside the retry handler: when its retries run out it throws (AggregateException over Kiota ApiExceptions,
        /// InvalidOperationException in older versions) instead of handing back the last answer. This turns that back
        /// into the last answer (status, headers, body), so that every client reports it as the service's own refusal
        /// (429 throttled, 503 unavailable) with its own error type, and a cycle never meets a foreign exception.
        /// </summary>
        internal sealed class RetriesExhaustedHandler : DelegatingHandler
        {
            public const string Header = "X-Dbx-Retries-Exhausted";

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                try
                {
                    return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsRetriesExhausted(e))
                {
                    return LastAnswer(request, e);
                }
                catch (Exception e) when (!(e is HttpRequestException || e is OperationCanceledException || e is Errors.DbxException || e is ObjectDisposedException)
                    && !e.Message.StartsWith("Too many redirects", StringComparison.Ordinal))
                {
                    // Anything else the middleware throws about an answer it could not handle is an answer that could not be read.
                    throw new HttpRequestException("The answer could not be read: " + e.Message, e);
                }
            }

            private static bool IsRetriesExhausted(Exception e) =>
                (e is AggregateException || e is InvalidOperationException) && e.Message.StartsWith("Too many retries", StringComparison.Ordinal);

            private static HttpResponseMessage LastAnswer(HttpRequestMessage request, Exception e)
            {
                var inner = e is AggregateException aggregate ? aggregate.InnerExceptions : (IEnumerable<Exception>)new[] { e.InnerException };
                var last = inner.OfType<ApiException>().LastOrDefault();
                var status = last != null && last.ResponseStatusCode >= 400 ? last.ResponseStatusCode : 503;
                var response = new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = request };
                if (last?.ResponseHeaders != null)
                    foreach (var header in last.ResponseHeaders)
                        response.Headers.TryAddWithoutValidation(header.Key, header.Value);
                response.Headers.TryAddWithoutValidation(Header, HttpPipeline.MaxRetries.ToString(CultureInfo.InvariantCulture));
                // Kiota keeps the body in the message: "HTTP request failed with status code: TooManyRequests.{body}".
                var body = "";
                var message = last?.Message ?? "";
                var marker = message.IndexOf("status code: ", StringComparison.Ordinal);
                var dot = marker < 0 ? -1 : message.IndexOf('.', marker);
                if (dot >= 0) body = message.Substring(dot + 1);
                response.Content = new StringContent(body, Encoding.UTF8, body.TrimStart().StartsWith("{", StringComparison.Ordinal) ? "application/json" : "text/plain");
                return response;
            }
        }

        /// <summary>
        /// Next to the transport: an answer whose Content-Type names a charset .NET does not know loses the charset
        /// (JSON is UTF-8 anyway), so no middleware that reads the body as text fails on it.
        /// </summary>
        internal sealed class CharsetGuardHandler : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var type = response.Content?.Headers.ContentType;
                if (type?.CharSet != null)
                {
                    try { Encoding.GetEncoding(type.CharSet.Trim('"')); }
                    catch (ArgumentException) { type.CharSet = null; }
                }
                return response;
            }
        }

        /// <summary>https everywhere; plain http only to a loopback address (the sandbox behind a socket).</summary>
        public static void RequireSecureOrLoopback(Uri uri, string what)
        {
            if (uri == null) throw new ArgumentNullException(nameof(uri));
            if (!uri.IsAbsoluteUri)
                throw new Errors.DbxException("InvalidUrl", Errors.DbxErrorCategory.InvalidArgument, $"The {what} '{uri}' is not an absolute URL.", target: uri);
            if (uri.Scheme == Uri.UriSchemeHttps) return;
            if (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback) return;
            throw new Errors.DbxException("InsecureUrl", Errors.DbxErrorCategory.SecurityError,
                $"The {what} '{uri.GetLeftPart(UriPartial.Path)}' must use https; plain http is allowed only to a loopback address.", target: uri);
        }
    }
}
