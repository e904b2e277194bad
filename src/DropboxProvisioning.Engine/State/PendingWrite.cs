using System;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// A create the engine is about to send (or has sent without hearing the answer): the object it is for and the identity
    /// values it sends, by which the next cycle finds the account or group again if the answer never came back.
    /// </summary>
    public sealed class PendingWrite
    {
        public const string Users = "Users";
        public const string Groups = "Groups";

        /// <summary>"Users" or "Groups".</summary>
        public string Kind { get; set; }

        /// <summary>The Entra object id.</summary>
        public string SourceId { get; set; }

        /// <summary>When it was recorded: a managed record exported since then settles it.</summary>
        public DateTimeOffset At { get; set; }

        /// <summary>The identity values sent (target path → value): userName, externalId, emails; displayName and externalId for a group.</summary>
        public AttributeValues Values { get; set; } = new AttributeValues();

        internal (string, string) Key => (Kind, SourceId.ToLowerInvariant());
    }
}
