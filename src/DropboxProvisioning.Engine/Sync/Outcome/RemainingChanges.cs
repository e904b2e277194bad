using System.Collections.Generic;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>What a Partial cycle left for the next one, per action (as the log names them) and object type.</summary>
    public sealed class RemainingChanges
    {
        public int Create { get; private set; }
        public int Update { get; private set; }
        /// <summary>Suspensions.</summary>
        public int Disable { get; private set; }
        public int Delete { get; private set; }
        public int GroupCreate { get; private set; }
        /// <summary>Group updates, including member changes of groups adopted or let go of.</summary>
        public int GroupUpdate { get; private set; }
        public int GroupDelete { get; private set; }

        public int Total => Create + Update + Disable + Delete + GroupCreate + GroupUpdate + GroupDelete;

        internal static RemainingChanges Of(IEnumerable<ProvisioningChange> changes)
        {
            var counts = new RemainingChanges();
            foreach (var change in changes)
            {
                if (change.ObjectType == ObjectType.Group)
                {
                    if (change.Planned == ChangeAction.Create) counts.GroupCreate++;
                    else if (change.Planned == ChangeAction.Delete) counts.GroupDelete++;
                    else counts.GroupUpdate++;
                    continue;
                }
                switch (change.Planned)
                {
                    case ChangeAction.Create: counts.Create++; break;
                    case ChangeAction.Update: counts.Update++; break;
                    case ChangeAction.Disable: counts.Disable++; break;
                    case ChangeAction.Delete: counts.Delete++; break;
                }
            }
            return counts;
        }

        /// <summary>"Create 1,200, Update 3, GroupCreate 5" (the actions with any), or "none".</summary>
        public override string ToString()
        {
            var parts = new List<string>();
            void Add(string name, int n) { if (n > 0) parts.Add(name + " " + n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)); }
            Add(nameof(Create), Create); Add(nameof(Update), Update); Add(nameof(Disable), Disable); Add(nameof(Delete), Delete);
            Add(nameof(GroupCreate), GroupCreate); Add(nameof(GroupUpdate), GroupUpdate); Add(nameof(GroupDelete), GroupDelete);
            return parts.Count == 0 ? "none" : string.Join(", ", parts);
        }
    }
}
