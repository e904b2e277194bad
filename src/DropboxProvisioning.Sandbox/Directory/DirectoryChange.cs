using System.Collections.Generic;

namespace DropboxProvisioning.Sandbox.Directory
{
    /// <summary>What kind of object a change-log entry is about.</summary>
    public enum ChangeTarget { User, Group }

    /// <summary>
    /// One entry of the directory's change log, in sequence order: the raw material of delta queries.
    /// A membership change is a change of the group, carrying the member.
    /// </summary>
    public sealed class DirectoryChange
    {
        public DirectoryChange(long sequence, ChangeTarget target, string objectId, string memberId = null, bool memberIsGroup = false, bool memberRemoved = false,
            IReadOnlyCollection<string> properties = null)
        {
            Properties = properties;
            Sequence = sequence;
            Target = target;
            ObjectId = objectId;
            MemberId = memberId;
            MemberIsGroup = memberIsGroup;
            MemberRemoved = memberRemoved;
        }

        public long Sequence { get; }
        public ChangeTarget Target { get; }
        public string ObjectId { get; }
        /// <summary>Set for a membership change of a group.</summary>
        public string MemberId { get; }
        public bool MemberIsGroup { get; }
        public bool MemberRemoved { get; }
        /// <summary>
        /// The model properties (DirectoryUser or DirectoryGroup names) an update changed; null when the whole object is
        /// the change (created, deleted, restored). Delta rounds report an update only when it touches a selected property.
        /// </summary>
        public IReadOnlyCollection<string> Properties { get; }
    }
}
