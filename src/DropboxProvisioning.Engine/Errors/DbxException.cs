using System;

namespace DropboxProvisioning.Errors
{
    /// <summary>
    /// Every failure the engine reports to its caller. <see cref="Condition"/> is the second half of a
    /// PowerShell error id (the cmdlet layer prefixes the cmdlet name: ConnectDbxTenant + ScimUnauthorized).
    /// Messages never contain secrets.
    /// </summary>
    public class DbxException : Exception
    {
        public DbxException(string condition, DbxErrorCategory category, string message, Exception inner = null, object target = null)
            : base(Redaction.Text(message), inner)
        {
            Condition = condition;
            Category = category;
            // A URL named as the target loses its password, as the message does.
            Target = target is Uri uri && uri.IsAbsoluteUri && !string.IsNullOrEmpty(uri.UserInfo) ? new Uri(Redaction.Url(uri, UriPartial.Query)) : target is string text ? Redaction.Text(text) : target;
        }

        public string Condition { get; }
        public DbxErrorCategory Category { get; }
        /// <summary>What the error is about (a URL, a user, a path), for ErrorRecord.TargetObject.</summary>
        public object Target { get; }

        /// <summary>What the admin can do about it; when not set where it is thrown, <see cref="RecommendedActions"/> gives the condition's usual fix.</summary>
        public string RecommendedAction
        {
            get => _recommendedAction ?? RecommendedActions.For(Condition);
            set => _recommendedAction = value;
        }

        private string _recommendedAction;
    }
}
