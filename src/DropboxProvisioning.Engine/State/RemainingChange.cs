using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// One change a cycle planned and did not make before its deadline, as the state keeps it: everything the runner needs
    /// to make it later without reading or planning it again (the values to send, the Dropbox object as read, the members).
    /// </summary>
    public sealed class RemainingChange
    {
        [JsonConverter(typeof(StringEnumConverter))]
        public Mapping.ObjectType ObjectType { get; set; }

        /// <summary>The planned action: Create, Update, Disable or Delete (users); Create, Update, Adopt, Delete or Other (groups).</summary>
        [JsonConverter(typeof(StringEnumConverter))]
        public ChangeAction Action { get; set; }

        public string SourceId { get; set; }
        public string SourceIdentity { get; set; }
        public string TargetId { get; set; }
        public string TargetIdentity { get; set; }
        public string Reason { get; set; }

        /// <summary>What the planner noted (members left out of a group).</summary>
        public string Details { get; set; }

        public string MatchedBy { get; set; }

        /// <summary>The change takes an existing, matching Dropbox object under management.</summary>
        public bool IsAdoption { get; set; }

        public bool ShouldSerializeIsAdoption() => IsAdoption;

        /// <summary>The values the change sends, by target attribute (in the mapping's order).</summary>
        public JObject Values { get; set; } = new JObject();

        /// <summary>Every value the mapping gives (recorded as exported), when it is more than <see cref="Values"/>.</summary>
        public JObject Desired { get; set; }

        /// <summary>The modified properties as planned, when they are not the values (a create's are).</summary>
        public List<ModifiedProperty> Modified { get; set; }

        /// <summary>For a group: the Entra ids of the members it should have.</summary>
        public HashSet<string> SourceMembers { get; set; }

        /// <summary>For a group: the Dropbox member ids it had as read.</summary>
        public HashSet<string> CurrentMembers { get; set; }

        /// <summary>The Dropbox object as the cycle read it (updates).</summary>
        public JObject Existing { get; set; }

        /// <summary>The offboarding policy's decision for a suspension or removal (Team API); null without a policy.</summary>
        public OffboardingDecisionRecord Offboarding { get; set; }

        public bool ShouldSerializeOffboarding() => Offboarding != null;
    }
}
