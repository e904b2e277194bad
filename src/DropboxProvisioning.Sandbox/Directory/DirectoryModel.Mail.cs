using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Sandbox.Directory
{
    public sealed partial class DirectoryModel
    {
        private readonly List<SentMail> _sentMail = new List<SentMail>();

        /// <summary>Messages sent through Graph's sendMail, oldest first.</summary>
        public IReadOnlyList<SentMail> SentMail
        {
            get { lock (_gate) return _sentMail.ToArray(); }
        }

        /// <summary>Records a message as sent (what POST /users/{id}/sendMail does).</summary>
        public void RecordMail(SentMail mail)
        {
            if (mail == null) throw new ArgumentNullException(nameof(mail));
            lock (_gate)
            {
                if (mail.Sent == default) mail.Sent = _clock();
                _sentMail.Add(mail);
            }
        }
    }
}
