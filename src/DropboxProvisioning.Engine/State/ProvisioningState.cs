using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.State
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    /// <summary>Everything a job carries from one cycle to the next.</summary>
    public sealed class ProvisioningState
    {
        /// <summary>
        /// The newest version this module reads and writes. Version 2 adds <see cref="PartialCycle"/>: a state that carries
        /// one is written as version 2, which a module that reads only version 1 refuses rather than drop the remaining
        /// work; a state without one is written as version 1, as before, and stays readable by older modules.
        /// </summary>
        public const int CurrentVersion = 2;

        /// <summary>The version of a state without a partial cycle.</summary>
        public const int FirstVersion = 1;

        public const int HistoryLength = 20;

        public int Version { get; set; } = FirstVersion;

        [System.Runtime.Serialization.OnSerializing]
        internal void Stamp(System.Runtime.Serialization.StreamingContext context) => Version = PartialCycle == null ? FirstVersion : CurrentVersion;

        /// <summary>Set while a cycle that stopped at its deadline has work left: the next cycle continues it.</summary>
        public PartialCycle PartialCycle { get; set; }

        /// <summary>Held while the managed records, escrows or the saved file are read or changed as changes complete in parallel.</summary>
        internal object Gate { get; } = new object();

        /// <summary>On or Off, as the Provisioning Status toggle.</summary>
        public ProvisioningToggle Status { get; set; } = ProvisioningToggle.On;

        public DateTimeOffset? StatusChanged { get; set; }

        /// <summary>Managed users by Entra object id.</summary>
        [Newtonsoft.Json.JsonProperty(ObjectCreationHandling = Newtonsoft.Json.ObjectCreationHandling.Reuse)] // filled into the case-insensitive instance
        public Dictionary<string, ManagedObject> Users { get; set; } = new Dictionary<string, ManagedObject>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Where the next incremental cycle's users/delta round starts; null means the next cycle is an initial one.</summary>
        public string UsersDeltaLink { get; set; }

        /// <summary>
        /// A fingerprint of the mappings, filters and settings the last cycle ran with. When they change, the
        /// next cycle is an initial one, as Entra restarts after a mapping or scope change.
        /// </summary>
        public string ConfigurationFingerprint { get; set; }

        /// <summary>
        /// When the last full reconciliation (drift repair, setting FullReconciliationInterval) began: a cycle that read the
        /// Dropbox side in full and ran to its end. Absent while the setting was never on.
        /// </summary>
        [Newtonsoft.Json.JsonProperty(NullValueHandling = Newtonsoft.Json.NullValueHandling.Ignore)]
        public DateTimeOffset? LastFullReconciliation { get; set; }

        /// <summary>Where the next groups/delta round starts (membership changes of assigned groups).</summary>
        public string GroupsDeltaLink { get; set; }

        /// <summary>The users entitled to Dropbox at the end of the last cycle, to see whose entitlement changed.</summary>
        public HashSet<string> EntitledUsers { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Assigned groups and their direct user members, kept in step by groups/delta.</summary>
        public Dictionary<string, HashSet<string>> AssignedGroups { get; set; } = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Failed changes waiting to be retried, by Entra object id.</summary>
        [Newtonsoft.Json.JsonProperty(ObjectCreationHandling = Newtonsoft.Json.ObjectCreationHandling.Reuse)] // filled into the case-insensitive instance
        public Dictionary<string, EscrowEntry> Escrows { get; set; } = new Dictionary<string, EscrowEntry>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// Team API, with the invitation settings on: the managed members still invited as the last such cycle found them
        /// (by Entra id), with the engine's reminders. Absent from files of older versions and of jobs without the settings.
        /// </summary>
        public Dictionary<string, PendingInvite> PendingInvites { get; set; } = new Dictionary<string, PendingInvite>(StringComparer.OrdinalIgnoreCase);

        public bool ShouldSerializePendingInvites() => PendingInvites != null && PendingInvites.Count > 0;

        /// <summary>Team API: the team folder access the engine gave provisioned groups (Set-DbxTeamFolderAccess); only these it ever changes or removes.</summary>
        public List<TeamFolderGrant> TeamFolderGrants { get; set; } = new List<TeamFolderGrant>();

        public bool ShouldSerializeTeamFolderGrants() => TeamFolderGrants != null && TeamFolderGrants.Count > 0;

        /// <summary>
        /// Team API: team folder access changes Dropbox refused, waiting with the usual doubling backoff before they are sent
        /// again, by <see cref="Sync.TeamFolderAccessChange.EscrowKey"/> (the group's Entra id and the team folder's name).
        /// </summary>
        [Newtonsoft.Json.JsonProperty(ObjectCreationHandling = Newtonsoft.Json.ObjectCreationHandling.Reuse)] // filled into the case-insensitive instance
        public Dictionary<string, EscrowEntry> TeamFolderEscrows { get; set; } = new Dictionary<string, EscrowEntry>(StringComparer.OrdinalIgnoreCase);

        public bool ShouldSerializeTeamFolderEscrows() => TeamFolderEscrows != null && TeamFolderEscrows.Count > 0;
        /// <summary>Team API, with an offboarding policy: members suspended by a rule that removes them later, by Entra id.</summary>
        [Newtonsoft.Json.JsonProperty(ObjectCreationHandling = Newtonsoft.Json.ObjectCreationHandling.Reuse)] // filled into the case-insensitive instance
        public Dictionary<string, PendingRemoval> PendingRemovals { get; set; } = new Dictionary<string, PendingRemoval>(StringComparer.OrdinalIgnoreCase);

        public bool ShouldSerializePendingRemovals() => PendingRemovals != null && PendingRemovals.Count > 0;

        /// <summary>Members the offboarding policy removed that Dropbox can still recover, by Entra id.</summary>
        [Newtonsoft.Json.JsonProperty(ObjectCreationHandling = Newtonsoft.Json.ObjectCreationHandling.Reuse)] // filled into the case-insensitive instance
        public Dictionary<string, RemovedMember> RemovedMembers { get; set; } = new Dictionary<string, RemovedMember>(StringComparer.OrdinalIgnoreCase);

        public bool ShouldSerializeRemovedMembers() => RemovedMembers != null && RemovedMembers.Count > 0;

        /// <summary>
        /// Objects the next cycle looks at although nothing about them changed: the escrows that
        /// Restart-DbxProvisioning -Scope Escrows cleared, so that their work (a failed create) comes back as ordinary work.
        /// </summary>
        public HashSet<string> Reconsider { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public bool ShouldSerializeReconsider() => Reconsider != null && Reconsider.Count > 0;

        /// <summary>Set while the job is in quarantine.</summary>
        public QuarantineInfo Quarantine { get; set; }

        /// <summary>Suspensions and deletions held back by the accidental-deletions threshold.</summary>
        public List<StagedDeletion> StagedDeletions { get; set; } = new List<StagedDeletion>();

        /// <summary>Managed groups by Entra object id.</summary>
        [Newtonsoft.Json.JsonProperty(ObjectCreationHandling = Newtonsoft.Json.ObjectCreationHandling.Reuse)] // filled into the case-insensitive instance
        public Dictionary<string, ManagedObject> Groups { get; set; } = new Dictionary<string, ManagedObject>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The latest cycles, newest first.</summary>
        public List<CycleSummary> History { get; set; } = new List<CycleSummary>();

        // JSON gives back plain dictionaries; ids and attribute names compare case-insensitively. Ids that appear in
        // several places (the Users key, SourceId, EntitledUsers, group members) are made one string again, so a
        // large tenant's state costs each id once.
        [System.Runtime.Serialization.OnDeserialized]
        internal void Restore(System.Runtime.Serialization.StreamingContext context)
        {
            Users = WithComparer(Users);
            foreach (var pair in Users)
            {
                var managed = pair.Value ?? throw new Newtonsoft.Json.JsonSerializationException($"The managed user '{pair.Key}' is empty.");
                managed.SourceId = pair.Key;
                managed.Exported = managed.Exported ?? new AttributeValues();
                // Declined stays unmade until needed (ManagedObject.Declined); how it was matched is one of a few words.
                if (managed.MatchedBy != null) managed.MatchedBy = string.Intern(managed.MatchedBy);
                if (managed.TargetIdentity != null && managed.Exported.TryGetValue("userName", out var userName) && managed.TargetIdentity == userName)
                    managed.TargetIdentity = userName;
            }
            if (History == null) History = new List<CycleSummary>();
            EntitledUsers = new HashSet<string>((EntitledUsers ?? new HashSet<string>()).Select(SharedId), StringComparer.OrdinalIgnoreCase);
            AssignedGroups = new Dictionary<string, HashSet<string>>((AssignedGroups ?? new Dictionary<string, HashSet<string>>())
                .ToDictionary(p => p.Key, p => new HashSet<string>((p.Value ?? new HashSet<string>()).Select(SharedId), StringComparer.OrdinalIgnoreCase)), StringComparer.OrdinalIgnoreCase);
            Escrows = WithComparer(Escrows);
            Reconsider = new HashSet<string>(Reconsider ?? new HashSet<string>(), StringComparer.OrdinalIgnoreCase);
            StagedDeletions = StagedDeletions ?? new List<StagedDeletion>();
            TeamFolderGrants = TeamFolderGrants ?? new List<TeamFolderGrant>();
            TeamFolderEscrows = WithComparer(TeamFolderEscrows);
            Groups = WithComparer(Groups);
            foreach (var pair in Groups)
            {
                var managed = pair.Value ?? throw new Newtonsoft.Json.JsonSerializationException($"The managed group '{pair.Key}' is empty.");
                managed.SourceId = pair.Key;
                managed.Members = new HashSet<string>(managed.Members ?? new HashSet<string>(), StringComparer.Ordinal);
                managed.Exported = managed.Exported ?? new AttributeValues();
                managed.Declined = managed.Declined ?? new AttributeValues();
            }
        }

        /// <summary>A managed user's own id string for an id read again (Graph gives a new one each time), else the id as given.</summary>
        internal string SharedId(string id) => id != null && Users.TryGetValue(id, out var managed) ? managed.SourceId : id;

        private static Dictionary<string, T> WithComparer<T>(Dictionary<string, T> loaded) =>
            loaded == null ? new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase)
            : Equals(loaded.Comparer, StringComparer.OrdinalIgnoreCase) ? loaded
            : new Dictionary<string, T>(loaded, StringComparer.OrdinalIgnoreCase);

        public void Record(CycleSummary summary)
        {
            History.Insert(0, summary);
            if (History.Count > HistoryLength) History.RemoveRange(HistoryLength, History.Count - HistoryLength);
        }
    }

    public enum ProvisioningToggle : long { On, Off }
}
