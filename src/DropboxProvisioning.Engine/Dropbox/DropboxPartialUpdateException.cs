using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox
{
    /// <summary>
    /// A write Dropbox carried out in part: the member was updated (or created), but some of its values were refused one
    /// by one (a secondary e-mail another account owns, one rate limited). <see cref="Held"/> is the member as it now is;
    /// <see cref="Retryable"/> says whether sending the refused values again can help (then the change waits in escrow).
    /// </summary>
    public sealed class DropboxPartialUpdateException : DropboxTargetException
    {
        public DropboxPartialUpdateException(string condition, string message, JObject held, bool retryable)
            : base(condition, DbxErrorCategory.InvalidResult, message, 409, condition)
        {
            Held = held;
            Retryable = retryable;
        }

        public JObject Held { get; }
        public bool Retryable { get; }
    }
}
