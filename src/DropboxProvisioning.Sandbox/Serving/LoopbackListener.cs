using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Faults;

namespace DropboxProvisioning.Sandbox.Serving
{
    /// <summary>
    /// Serves one sandbox tenant over HTTP on 127.0.0.1 only: every request goes to <see cref="SandboxTenant.HandleAsync"/>,
    /// the same core the in-process handler uses, so several processes (jobs) act on one tenant exactly as on the real
    /// services, and tests and benchmarks cross a socket exactly as the engine does. Port 0 picks a free port.
    /// Used by dbxhost's served sandbox and by the tests' LoopbackServer.
    /// </summary>
    public sealed class LoopbackListener : IDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly SandboxTenant _tenant;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private Task _loop;

        public LoopbackListener(SandboxTenant tenant) { _tenant = tenant; }

        /// <summary>http://127.0.0.1:port, the root every emulated service hangs off.</summary>
        public Uri BaseUri { get; private set; }

        /// <summary>
        /// Called once for every request answered, with its method, path and status, before the response is sent:
        /// benchmarks count requests with it (the sandbox's journal keeps only the latest 100,000). Must be thread-safe.
        /// </summary>
        public Action<string, string, int> Served { get; set; }

        /// <summary>Starts listening; a port already in use is a <see cref="HttpListenerException"/> (port 0 retries on a race).</summary>
        public void Start(int port)
        {
            for (var attempt = 0; ; attempt++)
            {
                var chosen = port == 0 ? FreePort() : port;
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add($"http://127.0.0.1:{chosen}/");
                try
                {
                    _listener.Start();
                    BaseUri = new Uri($"http://127.0.0.1:{chosen}");
                    break;
                }
                catch (HttpListenerException) when (port == 0 && attempt < 5) { }
            }
            _loop = Task.Run(AcceptLoop);
        }

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
                catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening) { return; }
                catch (HttpListenerException) { continue; }
                _ = Task.Run(() => Serve(context));
            }
        }

        private async Task Serve(HttpListenerContext context)
        {
            try
            {
                var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), context.Request.Url);
                if (context.Request.HasEntityBody)
                {
                    var buffer = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
                    request.Content = new ByteArrayContent(buffer.ToArray());
                    if (context.Request.ContentType != null)
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
                }
                foreach (var name in context.Request.Headers.AllKeys)
                {
                    if (name == null) continue;
                    var value = context.Request.Headers[name];
                    if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content != null)
                        request.Content.Headers.TryAddWithoutValidation(name, value);
                }

                using var response = await _tenant.HandleAsync(request, _stop.Token).ConfigureAwait(false);
                Served?.Invoke(context.Request.HttpMethod, context.Request.Url.AbsolutePath, (int)response.StatusCode);
                context.Response.StatusCode = (int)response.StatusCode;
                foreach (var header in response.Headers)
                    context.Response.Headers[header.Key] = string.Join(",", header.Value);
                if (response.Content is DroppedResponseContent dropped)
                {
                    // A fault the sandbox was told to inject: the status, the headers and part of the body, then the connection is cut.
                    if (dropped.Headers.ContentType != null) context.Response.ContentType = dropped.Headers.ContentType.ToString();
                    context.Response.ContentLength64 = dropped.DeclaredLength;
                    await context.Response.OutputStream.WriteAsync(dropped.Prefix, 0, dropped.Prefix.Length).ConfigureAwait(false);
                    await context.Response.OutputStream.FlushAsync().ConfigureAwait(false);
                    context.Response.Abort();
                    return;
                }
                if (response.Content != null)
                {
                    var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    foreach (var header in response.Content.Headers)
                        if (header.Key != "Content-Type" && header.Key != "Content-Length") context.Response.Headers[header.Key] = string.Join(",", header.Value);
                    if (response.Content.Headers.ContentType != null)
                        context.Response.ContentType = response.Content.Headers.ContentType.ToString();
                    context.Response.ContentLength64 = bytes.Length;
                    await context.Response.OutputStream.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
                }
                context.Response.Close();
            }
            catch (Exception)
            {
                // Anything that went wrong (a dropped-connection fault included) cuts the connection, as a real server's crash would.
                try { context.Response.Abort(); } catch (Exception) { }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            try { _listener.Stop(); _listener.Close(); } catch (ObjectDisposedException) { }
            try { _loop?.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        }
    }
}
