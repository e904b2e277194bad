using System;
using System.Collections.Generic;
using System.Net.Http;
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
        public const int MaxRetries = 6;

        public static HttpClient Create(DelegatingHandler authentication, HttpMessageHandler finalHandler, TimeSpan timeout)
        {
            var handlers = new List<DelegatingHandler>
            {
                new RetryHandler(new RetryHandlerOption { MaxRetry = MaxRetries, Delay = 2 }),
                new RedirectHandler(new RedirectHandlerOption()),
            };
            if (authentication != null) handlers.Add(authentication);
            var pipeline = GraphClientFactory.CreatePipeline(handlers, finalHandler ?? new HttpClientHandler());
            return new HttpClient(pipeline, disposeHandler: true) { Timeout = timeout };
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
