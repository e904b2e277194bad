using System;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.Dropbox
{
    /// <summary>
    /// A refusal from the Dropbox provisioning target, whichever API it speaks, with the HTTP-like status the engine
    /// decides on: 401 credentials refused (the job quarantines), 404 gone, 409 already exists or conflicts.
    /// </summary>
    public class DropboxTargetException : DbxException
    {
        public DropboxTargetException(string condition, DbxErrorCategory category, string message, int statusCode, string detail, Exception inner = null, object target = null)
            : base(condition, category, message, inner, target)
        {
            StatusCode = statusCode;
            Detail = detail;
        }

        /// <summary>The HTTP status (or its equivalent for a Team API route error); 0 when no answer arrived.</summary>
        public int StatusCode { get; }
        public string Detail { get; }

        /// <summary>True when the team has no license left for a new member (SCIM answers 403 naming the license limit).</summary>
        public virtual bool IsLicenseLimit => StatusCode == 403 && (Detail ?? Message).IndexOf("license", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>True when the credentials were refused: Entra quarantines a job on this at once.</summary>
        public bool IsCredentialFailure => StatusCode == 401;
    }
}
