using System;

namespace DropboxProvisioning.Sandbox.Directory
{
    /// <summary>A message sent through Graph's sendMail (e.g. a provisioning report), kept for tests to read.</summary>
    public sealed class SentMail
    {
        public string From { get; set; }
        public string[] To { get; set; }
        public string Subject { get; set; }
        public string Body { get; set; }
        public string ContentType { get; set; }
        public DateTimeOffset Sent { get; set; }
    }
}
