using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.TestSupport
{
    /// <summary>One request as a <see cref="ScriptedServer"/> received it.</summary>
    public sealed class ReceivedRequest
    {
        public string Method { get; set; }
        public string Path { get; set; }
        public string Authorization { get; set; }
        public string Body { get; set; }
    }

    /// <summary>
    /// A loopback HTTP server that answers as a test scripts it (a redirect, an echo of the request's headers), and keeps
    /// every request it received: to prove what a client sends where, over real sockets.
    /// </summary>
    public sealed class ScriptedServer : IDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly Func<ReceivedRequest, HttpListenerResponse, string> _answer;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <param name="answer">Sets the status and headers of the response and returns its body.</param>
        public ScriptedServer(Func<ReceivedRequest, HttpListenerResponse, string> answer)
        {
            _answer = answer;
            for (var attempt = 0; ; attempt++)
            {
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                var port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                try { _listener.Start(); BaseUri = new Uri($"http://127.0.0.1:{port}"); break; }
                catch (HttpListenerException) when (attempt < 5) { }
            }
            Task.Run(Loop);
        }

        public Uri BaseUri { get; }

        public ConcurrentQueue<ReceivedRequest> Received { get; } = new ConcurrentQueue<ReceivedRequest>();

        private async Task Loop()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
                catch (Exception) { if (_stop.IsCancellationRequested || !_listener.IsListening) return; continue; }
                try
                {
                    string body;
                    using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync().ConfigureAwait(false);
                    var request = new ReceivedRequest { Method = context.Request.HttpMethod, Path = context.Request.Url.PathAndQuery, Authorization = context.Request.Headers["Authorization"], Body = body };
                    Received.Enqueue(request);
                    var text = _answer(request, context.Response) ?? "";
                    var bytes = Encoding.UTF8.GetBytes(text);
                    context.Response.ContentLength64 = bytes.Length;
                    await context.Response.OutputStream.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
                    context.Response.Close();
                }
                catch (Exception) { try { context.Response.Abort(); } catch (Exception) { } }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            try { _listener.Stop(); _listener.Close(); } catch (ObjectDisposedException) { }
        }
    }
}
