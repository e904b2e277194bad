using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Sandbox.Directory
{
    /// <summary>An Entra ID group. Members are direct: user ids or group ids (a nested group).</summary>
    public sealed class DirectoryGroup
    {
        public string Id { get; set; }
        public string DisplayName { get; set; }
        public string Description { get; set; }
        public string MailNickname { get; set; }
        public string Mail { get; set; }
        public bool SecurityEnabled { get; set; } = true;
        public bool MailEnabled { get; set; }
        public DateTimeOffset CreatedDateTime { get; set; }

        /// <summary>Direct members (user or group ids). A copy when read from the model.</summary>
        public ISet<string> MemberIds { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public DirectoryGroup Clone()
        {
            var copy = (DirectoryGroup)MemberwiseClone();
            copy.MemberIds = new HashSet<string>(MemberIds ?? new HashSet<string>(), StringComparer.OrdinalIgnoreCase);
            return copy;
        }

        public override string ToString() => DisplayName ?? Id;
    }
}
