using System;
using System.Collections.Generic;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// What the engine knows of one object it manages in Dropbox: the cache that keeps it from ever
    /// touching an account it did not create or match.
    /// </summary>
    public sealed class ManagedObject
    {
        /// <summary>The Entra object id.</summary>
        public string SourceId { get; set; }

        /// <summary>The Dropbox SCIM id.</summary>
        public string TargetId { get; set; }

        /// <summary>The Dropbox userName (or group name), for messages.</summary>
        public string TargetIdentity { get; set; }

        /// <summary>"Created" when the engine created it, else the matching attribute that found it.</summary>
        public string MatchedBy { get; set; }

        /// <summary>The values last written (target path → JSON text), to compare with in incremental cycles.</summary>
        public AttributeValues Exported { get; set; } = new AttributeValues();

        /// <summary>
        /// Values Dropbox accepted but did not keep as sent (path → value sent), for example an email that
        /// Dropbox folds into the account's single address. They are not sent again until the mapping's
        /// value changes, so a cycle with no change in Entra ID makes no writes.
        /// </summary>
        public AttributeValues Declined
        {
            get => _declined ?? (_declined = new AttributeValues());
            set => _declined = value;
        }

        // Made when first needed: most objects never have a declined value, and a state of a million accounts read from
        // its file, or a cycle that records them, need not carry an empty set for each.
        private AttributeValues _declined;

        /// <summary>The value sent that Dropbox did not keep, for this path, without making an empty set to ask.</summary>
        internal bool TryGetDeclined(string path, out string value)
        {
            value = null;
            return _declined != null && _declined.TryGetValue(path, out value);
        }

        /// <summary>Forgets a declined value, without making an empty set to forget it in.</summary>
        internal void ForgetDeclined(string path) => _declined?.Remove(path);

        /// <summary>Most objects have none: the file does not carry an empty object for each.</summary>
        public bool ShouldSerializeDeclined() => _declined != null && _declined.Count > 0;

        public bool Active { get; set; } = true;

        /// <summary>For a group: the Dropbox ids of its members as the engine last wrote them.</summary>
        public HashSet<string> Members { get; set; }

        /// <summary>
        /// For a group: the Dropbox ids of the members the engine itself added, the only ones it removes (unless the
        /// setting TakeOverDropboxGroups says otherwise). Absent in files from older versions: see GroupOwnership.
        /// </summary>
        public HashSet<string> AddedMembers { get; set; }

        public bool ShouldSerializeAddedMembers() => AddedMembers != null;

        public DateTimeOffset LastExported { get; set; }
    }
}
