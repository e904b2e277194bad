using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;

namespace DropboxProvisioning.Sandbox.Faults
{
    /// <summary>
    /// A response body that breaks off: the first bytes arrive, then the connection is gone. In-process, reading it
    /// throws <see cref="SandboxConnectionDroppedException"/> (an IOException, which HttpClient reports as
    /// HttpRequestException as it does for a reset socket); a socket server that sees this content sends the
    /// status, the headers and <see cref="Prefix"/>, then aborts the connection.
    /// </summary>
    public sealed class DroppedResponseContent : HttpContent
    {
        public DroppedResponseContent(byte[] prefix, long declaredLength, string contentType = "application/json")
        {
            Prefix = prefix ?? new byte[0];
            DeclaredLength = Math.Max(declaredLength, Prefix.Length + 1);
            if (contentType != null) Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        /// <summary>What arrives before the connection drops.</summary>
        public byte[] Prefix { get; }

        /// <summary>The Content-Length announced: always more than arrives.</summary>
        public long DeclaredLength { get; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext context)
        {
            await stream.WriteAsync(Prefix, 0, Prefix.Length).ConfigureAwait(false);
            throw new SandboxConnectionDroppedException($"The connection was closed after {Prefix.Length} of {DeclaredLength} bytes of the response.");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = DeclaredLength;
            return true;
        }
    }

    /// <summary>The sandbox dropped the connection on purpose (a fault it was told to inject).</summary>
    public sealed class SandboxConnectionDroppedException : IOException
    {
        public SandboxConnectionDroppedException(string message) : base(message) { }
    }
}
