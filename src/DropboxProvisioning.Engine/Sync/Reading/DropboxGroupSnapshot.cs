using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Dropbox's groups as a cycle sees them: in an initial cycle every group is listed (without members)
    /// and the members of the groups that matter are read one group at a time; in an incremental cycle
    /// managed groups come from the state and unmanaged ones are looked up by name.
    /// </summary>
    public sealed class DropboxGroupSnapshot
    {
        private readonly Dictionary<string, JObject> _byId = new Dictionary<string, JObject>(StringComparer.Ordinal);
        private readonly Dictionary<string, JObject> _byName = new Dictionary<string, JObject>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, HashSet<string>> _members = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        public JObject ById(string id) => id != null && _byId.TryGetValue(id, out var group) ? group : null;
        public JObject ByName(string name) => name != null && _byName.TryGetValue(name, out var group) ? group : null;
        public HashSet<string> MembersOf(string id) => id != null && _members.TryGetValue(id, out var members) ? members : null;

        /// <summary>A snapshot of the given groups (with "members" where known), as read (tests hand one to the planner).</summary>
        internal static DropboxGroupSnapshot Of(IEnumerable<JObject> groups)
        {
            var snapshot = new DropboxGroupSnapshot();
            foreach (var group in groups) snapshot.Add(group);
            return snapshot;
        }

        private void Add(JObject group)
        {
            var id = (string)group["id"];
            if (id == null) return;
            _byId[id] = group;
            var name = (string)group["displayName"];
            if (name != null) _byName[name] = group;
            if (group["members"] is JArray members)
                _members[id] = new HashSet<string>(members.Select(m => (string)m["value"]).Where(v => v != null), StringComparer.Ordinal);
        }

        /// <summary>One group for provisioning on demand: the managed one read live, or a match by name.</summary>
        internal static async Task<DropboxGroupSnapshot> ReadOneAsync(IDropboxTarget target, ManagedObject managed, string name, CancellationToken cancellationToken)
        {
            var snapshot = new DropboxGroupSnapshot();
            if (managed?.TargetId != null)
            {
                try { snapshot.Add(await target.GetAsync("Groups", managed.TargetId, cancellationToken).ConfigureAwait(false)); return snapshot; }
                catch (DropboxTargetException e) when (e.StatusCode == 404) { }
            }
            if (name == null) return snapshot;
            var found = await target.FindAsync("Groups", "displayName", name, cancellationToken).ConfigureAwait(false);
            if (found != null) snapshot.Add(await target.GetAsync("Groups", (string)found["id"], cancellationToken).ConfigureAwait(false));
            return snapshot;
        }

        public static async Task<DropboxGroupSnapshot> ReadAsync(IDropboxTarget target, ProvisioningState state, DirectorySnapshot directory,
            IEnumerable<string> wantedNames, ICycleObserver observer, CancellationToken cancellationToken)
        {
            var snapshot = new DropboxGroupSnapshot();
            if (directory.Mode == CycleMode.Initial)
            {
                observer.Progress("Reading Dropbox", "Listing groups", -1);
                await target.ListAllAsync("Groups", snapshot.Add, cancellationToken).ConfigureAwait(false);
                foreach (var managed in state.Groups.Values.Where(m => snapshot._byId.ContainsKey(m.TargetId)))
                {
                    var full = await target.GetAsync("Groups", managed.TargetId, cancellationToken).ConfigureAwait(false);
                    snapshot.Add(full);
                }
                foreach (var name in wantedNames)
                {
                    var found = snapshot.ByName(name);
                    if (found != null && !snapshot._members.ContainsKey((string)found["id"]))
                        snapshot.Add(await target.GetAsync("Groups", (string)found["id"], cancellationToken).ConfigureAwait(false));
                }
                return snapshot;
            }

            foreach (var managed in state.Groups.Values)
            {
                var group = new JObject { ["id"] = managed.TargetId, ["displayName"] = managed.TargetIdentity };
                foreach (var pair in managed.Exported) group[pair.Key] = pair.Value;
                snapshot._byId[managed.TargetId] = group;
                if (managed.TargetIdentity != null) snapshot._byName[managed.TargetIdentity] = group;
                snapshot._members[managed.TargetId] = new HashSet<string>(managed.Members ?? new HashSet<string>(), StringComparer.Ordinal);
            }
            foreach (var name in wantedNames.Where(n => snapshot.ByName(n) == null))
            {
                var found = await target.FindAsync("Groups", "displayName", name, cancellationToken).ConfigureAwait(false);
                if (found != null) snapshot.Add(found);
            }
            return snapshot;
        }
    }
}
