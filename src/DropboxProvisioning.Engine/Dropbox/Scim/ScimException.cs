using System;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.Dropbox.Scim
{
    /// <summary>An error answer from Dropbox's SCIM endpoint (RFC 7644 §3.12), or a failure to get one.</summary>
    public sealed class ScimException : DropboxTargetException
    {
        public ScimException(string condition, DbxErrorCategory category, string message, int statusCode, string scimType, string detail, Exception inner = null, object target = null)
            : base(condition, category, message, statusCode, detail, inner, target)
        {
            ScimType = scimType;
        }

        public string ScimType { get; }
    }
}
