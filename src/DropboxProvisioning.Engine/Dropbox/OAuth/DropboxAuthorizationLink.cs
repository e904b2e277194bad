using System;

namespace DropboxProvisioning.Dropbox.OAuth
{
    /// <summary>A generated authorization link ("Generate link"): what the admin opens, and the PKCE challenge it carries.</summary>
    public sealed class DropboxAuthorizationLink
    {
        public string AppKey { get; internal set; }
        public Uri AuthorizationUrl { get; internal set; }
        public DateTimeOffset Created { get; internal set; }
        internal string CodeChallenge { get; set; }
        public override string ToString() => AuthorizationUrl.ToString();
    }
}
