using System;
using System.Collections.Generic;

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

        /// <summary>The identity values a user create records, and is looked up by in this order.</summary>
        public static readonly IReadOnlyList<string> UserKeys = new[] { "userName", "externalId", "emails[type eq \"work\"].value" };

        /// <summary>The identity values a group create records: the external id first (the Entra object id), else the name.</summary>
        public static readonly IReadOnlyList<string> GroupKeys = new[] { "externalId", "displayName" };

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
