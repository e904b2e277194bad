using System;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.Dropbox.Scim
{
    /// <summary>An error answer from Dropbox's SCIM endpoint (RFC 7644 §3.12), or a failure to get one.</summary>
    public sealed class ScimException : DbxException
    {
        public ScimException(string condition, DbxErrorCategory category, string message, int statusCode, string scimType, string detail, Exception inner = null, object target = null)
            : base(condition, category, message, inner, target)
        {
            StatusCode = statusCode;
            ScimType = scimType;
            Detail = detail;
        }

        /// <summary>The HTTP status; 0 when no answer arrived.</summary>
        public int StatusCode { get; }
        public string ScimType { get; }
        public string Detail { get; }

        /// <summary>True when the token was refused (401): Entra quarantines a job on this at once. A 403 is judged per operation.</summary>
        public bool IsCredentialFailure => StatusCode == 401;
    }
}
