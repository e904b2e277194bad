using System;
using System.Collections.Generic;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.State
{
    /// <summary>Everything a job carries from one cycle to the next.</summary>
    public sealed class ProvisioningState
    {
        public const int CurrentVersion = 1;
        public const int HistoryLength = 20;

        public int Version { get; set; } = CurrentVersion;

        /// <summary>On or Off, as the Provisioning Status toggle.</summary>
        public ProvisioningToggle Status { get; set; } = ProvisioningToggle.On;

        public DateTimeOffset? StatusChanged { get; set; }

        /// <summary>Managed users by Entra object id.</summary>
        public Dictionary<string, ManagedObject> Users { get; set; } = new Dictionary<string, ManagedObject>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The latest cycles, newest first.</summary>
        public List<CycleSummary> History { get; set; } = new List<CycleSummary>();

        // JSON gives back plain dictionaries; ids and attribute names compare case-insensitively.
        [System.Runtime.Serialization.OnDeserialized]
        internal void Restore(System.Runtime.Serialization.StreamingContext context)
        {
            Users = new Dictionary<string, ManagedObject>(Users ?? new Dictionary<string, ManagedObject>(), StringComparer.OrdinalIgnoreCase);
            foreach (var managed in Users.Values)
            {
                managed.Exported = new Dictionary<string, string>(managed.Exported ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
                managed.Declined = new Dictionary<string, string>(managed.Declined ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
            }
            if (History == null) History = new List<CycleSummary>();
        }

        public void Record(CycleSummary summary)
        {
            History.Insert(0, summary);
            if (History.Count > HistoryLength) History.RemoveRange(HistoryLength, History.Count - HistoryLength);
        }
    }

    public enum ProvisioningToggle { On, Off }
}
