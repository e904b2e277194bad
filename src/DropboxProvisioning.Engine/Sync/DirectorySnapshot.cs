using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Collections;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>How a managed user left Entra ID.</summary>
    public enum RemovalKind
    {
        /// <summary>Soft-deleted: in the recycle bin, may come back. Dropbox: suspend.</summary>
        SoftDeleted,
        /// <summary>Deleted for good. Dropbox: delete, where the Delete target action is on.</summary>
        HardDeleted,
        /// <summary>Not returned by an initial read; soft or hard is unknown, so it is treated as soft.</summary>
        Missing,
    }

    /// <summary>
    /// The Entra side of a cycle. An initial cycle reads every user (a users/delta round from the start);
    /// an incremental one reads only what changed since the stored delta links, plus users whose
    /// entitlement changed or whose escrow is due, so its cost follows the changes, not the tenant.
    /// </summary>
    public sealed class DirectorySnapshot
    {
        /// <summary>The users this cycle looks at (all in scope or managed for an initial cycle), with IsSoftDeleted set.</summary>
        public Dictionary<string, SourceObject> Users { get; private set; } = new Dictionary<string, SourceObject>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// Lets go of the users once the plan is made: the changes carry what they write, and a large tenant's
        /// users need not stay in memory while the changes run.
        /// </summary>
        internal void ReleaseUsers()
        {
            var large = Users.Count >= LargeTenant;
            Users = new Dictionary<string, SourceObject>(StringComparer.OrdinalIgnoreCase);
            // A large tenant's users and the Graph pages they came from are garbage now, and the write phase that
            // follows can last an hour: collect once here rather than carry them until the runtime gets to it.
            if (large) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        /// <summary>From this many users, releasing them is worth a full collection (a fraction of a second).</summary>
        private const int LargeTenant = 20000;

        /// <summary>Managed users that left Entra ID, and how.</summary>
        public Dictionary<string, RemovalKind> Removed { get; } = new Dictionary<string, RemovalKind>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Users entitled by assignment (or all users when the scope says so), after this cycle.</summary>
        public HashSet<string> Entitled { get; private set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Assigned groups and their direct user members, after this cycle.</summary>
        public Dictionary<string, HashSet<string>> AssignedGroups { get; private set; } = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Entitled users that the scoping filters leave out, with the filters' reason.</summary>
        public Dictionary<string, string> FilteredOut { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Users whose scoping could not be evaluated (a regex that timed out): neither provisioned nor deprovisioned.</summary>
        public Dictionary<string, string> Unevaluable { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Groups whose attributes were read this cycle (all in scope for an initial cycle, the changed ones otherwise).</summary>
        public Dictionary<string, SourceObject> Groups { get; } = new Dictionary<string, SourceObject>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Groups to provision: assigned (or all) and passing the group scoping filters.</summary>
        public HashSet<string> GroupsInScope { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Groups deleted in Entra ID.</summary>
        public HashSet<string> RemovedGroups { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public CycleMode Mode { get; private set; }
        public string UsersDeltaLink { get; private set; }
        public string GroupsDeltaLink { get; private set; }

        public static async Task<DirectorySnapshot> ReadAsync(GraphDirectoryClient graph, string servicePrincipalId, ProvisioningSettings settings,
            CompiledMapping mapping, CompiledMapping groupMapping, ProvisioningState state, ICycleObserver observer, CancellationToken cancellationToken)
        {
            if (state.UsersDeltaLink != null)
            {
                try
                {
                    return await ReadChangesAsync(graph, servicePrincipalId, settings, mapping, groupMapping, state, observer, cancellationToken).ConfigureAwait(false);
                }
                catch (DbxException e) when (e.Condition == "GraphDeltaExpired")
                {
                    observer.Warning("Microsoft Graph no longer knows the stored delta link; this cycle reads everything again (an initial cycle).");
                }
            }
            return await ReadAllAsync(graph, servicePrincipalId, settings, mapping, groupMapping, state, observer, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<DirectorySnapshot> ReadAllAsync(GraphDirectoryClient graph, string servicePrincipalId, ProvisioningSettings settings,
            CompiledMapping mapping, CompiledMapping groupMapping, ProvisioningState state, ICycleObserver observer, CancellationToken cancellationToken)
        {
            var snapshot = new DirectorySnapshot { Mode = CycleMode.Initial };
            var all = settings.Scope == ProvisioningScope.AllUsersAndGroups;
            var direct = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var pool = new StringPool();
            Func<string, string> ids = id => pool.Share(state.SharedId(id));
            var assigned = all ? null : await ReadAssignmentsAsync(graph, servicePrincipalId, settings, direct, observer, cancellationToken, ids).ConfigureAwait(false);

            // One groups/delta round from the start gives every group with its members, and the link for next time.
            observer.Progress("Importing from Entra ID", "Reading groups", -1);
            var wanted = assigned == null ? null : new HashSet<string>(assigned, StringComparer.OrdinalIgnoreCase);
            snapshot.GroupsDeltaLink = await graph.DeltaAsync("groups", GroupSelect(groupMapping), null, item =>
            {
                var id = (string)item["id"];
                if (id == null || item["@removed"] != null) return;
                if (wanted != null && !wanted.Contains(id) && !state.Groups.ContainsKey(id)) return;
                var members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                ApplyMemberDelta(members, item, ids);
                if (wanted == null || wanted.Contains(id)) snapshot.AssignedGroups[id] = members;
                snapshot.Groups[id] = ToSourceObject(SourceObjectKind.Group, item);
            }, cancellationToken).ConfigureAwait(false);
            foreach (var group in assigned ?? new List<string>())
                if (!snapshot.AssignedGroups.ContainsKey(group)) snapshot.AssignedGroups[group] = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var group in snapshot.Groups.Values) snapshot.ScopeGroup(group, groupMapping, snapshot.AssignedGroups.ContainsKey(group.Id));
            foreach (var managed in state.Groups.Keys.Where(id => !snapshot.Groups.ContainsKey(id)))
                snapshot.RemovedGroups.Add(managed);
            snapshot.Entitled = all ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : Union(direct, snapshot.AssignedGroups);

            observer.Progress("Importing from Entra ID", "Reading users", -1);
            var select = GraphAttributeNames.Select(SourceObjectKind.User, mapping.SourceAttributes);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var values = new StringPool();
            snapshot.UsersDeltaLink = await graph.DeltaAsync("users", select, null, item =>
            {
                var id = ids((string)item["id"]);
                if (id == null || item["@removed"] != null) return;
                seen.Add(id);
                if (all) snapshot.Entitled.Add(id);
                if (!snapshot.Entitled.Contains(id) && !state.Users.ContainsKey(id)) return; // neither in scope nor ours: never held
                snapshot.Add(ToSourceObject(SourceObjectKind.User, item, id, values), mapping);
            }, cancellationToken).ConfigureAwait(false);

            foreach (var managed in state.Users.Keys.Where(id => !seen.Contains(id)))
                snapshot.Removed[managed] = RemovalKind.Missing;
            return snapshot;
        }

        private static async Task<DirectorySnapshot> ReadChangesAsync(GraphDirectoryClient graph, string servicePrincipalId, ProvisioningSettings settings,
            CompiledMapping mapping, CompiledMapping groupMapping, ProvisioningState state, ICycleObserver observer, CancellationToken cancellationToken)
        {
            var snapshot = new DirectorySnapshot { Mode = CycleMode.Incremental };
            var all = settings.Scope == ProvisioningScope.AllUsersAndGroups;
            var affected = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

            observer.Progress("Importing from Entra ID", "Reading changed users", -1);
            var select = GraphAttributeNames.Select(SourceObjectKind.User, mapping.SourceAttributes);
            var changed = new Dictionary<string, JObject>(StringComparer.OrdinalIgnoreCase);
            snapshot.UsersDeltaLink = await graph.DeltaAsync("users", select, state.UsersDeltaLink, item =>
            {
                var id = (string)item["id"];
                if (id != null) changed[id] = item;
            }, cancellationToken).ConfigureAwait(false);

            var direct = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            Func<string, string> ids = state.SharedId;
            var assigned = all ? null : await ReadAssignmentsAsync(graph, servicePrincipalId, settings, direct, observer, cancellationToken, ids).ConfigureAwait(false);
            var changedGroups = new Dictionary<string, JObject>(StringComparer.OrdinalIgnoreCase);
            observer.Progress("Importing from Entra ID", "Reading group changes", -1);
            snapshot.GroupsDeltaLink = await graph.DeltaAsync("groups", GroupSelect(groupMapping), state.GroupsDeltaLink, item =>
            {
                var id = (string)item["id"];
                if (id != null) changedGroups[id] = item;
            }, cancellationToken).ConfigureAwait(false);

            // The groups that matter: the assigned ones, or every group known so far plus new ones when all are in scope.
            var groupIds = assigned != null
                ? new HashSet<string>(assigned, StringComparer.OrdinalIgnoreCase)
                : new HashSet<string>(state.AssignedGroups.Keys.Concat(changedGroups.Keys), StringComparer.OrdinalIgnoreCase);
            foreach (var pair in changedGroups.Where(p => p.Value["@removed"] != null))
            {
                groupIds.Remove(pair.Key);
                if (state.Groups.ContainsKey(pair.Key)) snapshot.RemovedGroups.Add(pair.Key);
            }
            foreach (var group in groupIds)
            {
                changedGroups.TryGetValue(group, out var item);
                if (state.AssignedGroups.TryGetValue(group, out var members))
                {
                    members = new HashSet<string>(members, StringComparer.OrdinalIgnoreCase);
                    if (item != null) ApplyMemberDelta(members, item, ids);
                }
                else
                {
                    members = await ReadMembersAsync(graph, group, ids, observer, cancellationToken).ConfigureAwait(false);
                    if (item == null)
                    {
                        try { item = await graph.GetGroupAsync(group, GraphAttributeNames.Select(SourceObjectKind.Group, groupMapping.SourceAttributes), cancellationToken).ConfigureAwait(false); }
                        catch (DbxException e) when (e.Condition == "GraphNotFound") { continue; }
                    }
                }
                snapshot.AssignedGroups[group] = members;
                if (item != null)
                {
                    var source = ToSourceObject(SourceObjectKind.Group, item);
                    snapshot.Groups[group] = source;
                    snapshot.ScopeGroup(source, groupMapping, true);
                }
                else if (state.Groups.ContainsKey(group))
                {
                    snapshot.GroupsInScope.Add(group); // unchanged and provisioned: still in scope
                }
            }

            if (all)
            {
                snapshot.Entitled = new HashSet<string>(state.EntitledUsers, StringComparer.OrdinalIgnoreCase);
                foreach (var item in changed.Values)
                {
                    var id = (string)item["id"];
                    if (item["@removed"] == null) snapshot.Entitled.Add(id);
                    else snapshot.Entitled.Remove(id);
                }
            }
            else
            {
                snapshot.Entitled = Union(direct, snapshot.AssignedGroups);
            }

            // Whose entitlement changed: they need a look even if nothing about them changed.
            foreach (var id in snapshot.Entitled) if (!state.EntitledUsers.Contains(id)) affected.Add(id);
            foreach (var id in state.EntitledUsers) if (!snapshot.Entitled.Contains(id)) affected.Add(id);
            var now = DateTimeOffset.UtcNow;
            foreach (var escrow in state.Escrows.Values) if (escrow.NextAttempt <= now) affected.Add(escrow.SourceId);
            affected.UnionWith(state.Reconsider); // escrows a restart cleared: ordinary work again
            foreach (var staged in state.StagedDeletions) affected.Add(staged.SourceId); // held back: decided afresh

            foreach (var pair in changed)
            {
                var item = pair.Value;
                if (item["@removed"] != null)
                {
                    if (state.Users.ContainsKey(pair.Key))
                        snapshot.Removed[pair.Key] = string.Equals((string)item["@removed"]["reason"], "deleted", StringComparison.OrdinalIgnoreCase) ? RemovalKind.HardDeleted : RemovalKind.SoftDeleted;
                    continue;
                }
                if (!snapshot.Entitled.Contains(pair.Key) && !state.Users.ContainsKey(pair.Key)) continue;
                snapshot.Add(ToSourceObject(SourceObjectKind.User, item), mapping);
            }

            foreach (var id in affected.Where(id => !changed.ContainsKey(id)))
            {
                if (!snapshot.Entitled.Contains(id) && !state.Users.ContainsKey(id)) continue;
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var item = await graph.GetUserAsync(id, select, cancellationToken).ConfigureAwait(false);
                    snapshot.Add(ToSourceObject(SourceObjectKind.User, item), mapping);
                }
                catch (DbxException e) when (e.Condition == "GraphNotFound")
                {
                    var wasDelete = state.StagedDeletions.Any(d => d.SourceId == id && d.Action == nameof(ChangeAction.Delete));
                    if (state.Users.ContainsKey(id)) snapshot.Removed[id] = wasDelete ? RemovalKind.HardDeleted : RemovalKind.Missing;
                }
            }
            observer.Verbose($"Incremental cycle: {changed.Count} user change(s) from Graph, {affected.Count} user(s) whose entitlement changed or whose escrow is due.");
            return snapshot;
        }

        /// <summary>A snapshot of one user, for provisioning on demand.</summary>
        internal static DirectorySnapshot ForOne(SourceObject user, bool entitled, CompiledMapping mapping)
        {
            var snapshot = new DirectorySnapshot { Mode = CycleMode.Incremental };
            if (entitled) snapshot.Entitled.Add(user.Id);
            snapshot.Add(user, mapping);
            return snapshot;
        }

        /// <summary>A snapshot of one group and its direct user members, for provisioning on demand.</summary>
        internal static DirectorySnapshot ForOneGroup(SourceObject group, HashSet<string> members, bool assigned, CompiledMapping groupMapping)
        {
            var snapshot = new DirectorySnapshot { Mode = CycleMode.Incremental };
            snapshot.Groups[group.Id] = group;
            if (assigned) snapshot.AssignedGroups[group.Id] = members;
            snapshot.ScopeGroup(group, groupMapping, assigned);
            return snapshot;
        }

        /// <summary>Direct user members of a group (what an assignment of it entitles).</summary>
        internal static Task<HashSet<string>> MembersOfAsync(GraphDirectoryClient graph, string group, ICycleObserver observer, CancellationToken cancellationToken) =>
            ReadMembersAsync(graph, group, id => id, observer, cancellationToken);

        /// <summary>Adds a user with IsSoftDeleted computed: disabled, not entitled, or filtered out by scoping.</summary>
        private void Add(SourceObject user, CompiledMapping mapping)
        {
            var enabled = user.Get("accountEnabled") as bool? ?? true;
            var inScope = Entitled.Contains(user.Id);
            if (inScope)
            {
                try
                {
                    var scope = mapping.Scope.Evaluate(user);
                    if (!scope.InScope) { inScope = false; FilteredOut[user.Id] = scope.Reason; }
                }
                catch (Mapping.Scoping.ScopingException e)
                {
                    Unevaluable[user.Id] = e.Message;
                }
            }
            user.Set(GraphAttributeNames.IsSoftDeleted, !enabled || !inScope);
            Users[user.Id] = user;
        }

        private static string GroupSelect(CompiledMapping groupMapping) =>
            GraphAttributeNames.Select(SourceObjectKind.Group, groupMapping.SourceAttributes) + ",members";

        /// <summary>Applies a members@delta array (user members only) to a member set.</summary>
        private static void ApplyMemberDelta(HashSet<string> members, JObject item, Func<string, string> ids)
        {
            if (!(item["members@delta"] is JArray delta)) return;
            foreach (var change in delta.OfType<JObject>())
            {
                var type = (string)change["@odata.type"];
                if (type != null && !type.EndsWith(".user", StringComparison.OrdinalIgnoreCase)) continue;
                if (change["@removed"] != null) members.Remove((string)change["id"]);
                else members.Add(ids((string)change["id"]));
            }
        }

        /// <summary>A group is provisioned when assigned (or all are in scope) and its scoping filters let it through.</summary>
        private void ScopeGroup(SourceObject group, CompiledMapping groupMapping, bool assigned)
        {
            if (!assigned || !groupMapping.Mapping.Enabled) return;
            try
            {
                if (groupMapping.Scope.Evaluate(group).InScope) GroupsInScope.Add(group.Id);
            }
            catch (Mapping.Scoping.ScopingException) { } // left as it is: neither created nor deleted
        }

        /// <summary>Direct user assignments into <paramref name="direct"/>; returns the assigned groups.</summary>
        private static async Task<List<string>> ReadAssignmentsAsync(GraphDirectoryClient graph, string servicePrincipalId, ProvisioningSettings settings,
            HashSet<string> direct, ICycleObserver observer, CancellationToken cancellationToken, Func<string, string> ids)
        {
            observer.Progress("Importing from Entra ID", "Reading app role assignments", -1);
            var groups = new List<string>();
            var defaultOnly = 0;
            await graph.ListAssignmentsAsync(servicePrincipalId, assignment =>
            {
                var role = (string)assignment["appRoleId"];
                if (!settings.IncludeDefaultAccess && IsDefaultAccess(role)) { defaultOnly++; return; }
                var principal = ids((string)assignment["principalId"]);
                if (string.Equals((string)assignment["principalType"], "Group", StringComparison.OrdinalIgnoreCase)) groups.Add(principal);
                else direct.Add(principal);
            }, cancellationToken).ConfigureAwait(false);
            if (defaultOnly > 0)
                observer.Verbose($"{defaultOnly} assignment(s) carry only the Default Access role and are excluded, as the Dropbox for Business app requires.");
            return groups.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>Direct user members of an assigned group: Entra does not extend an assignment to nested groups.</summary>
        private static async Task<HashSet<string>> ReadMembersAsync(GraphDirectoryClient graph, string group, Func<string, string> ids, ICycleObserver observer, CancellationToken cancellationToken)
        {
            observer.Progress("Importing from Entra ID", $"Reading members of assigned group {group}", -1);
            var members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            await graph.ListGroupMembersAsync(group, member =>
            {
                var type = (string)member["@odata.type"];
                if (type == null || type.EndsWith(".user", StringComparison.OrdinalIgnoreCase)) members.Add(ids((string)member["id"]));
            }, cancellationToken).ConfigureAwait(false);
            return members;
        }

        private static HashSet<string> Union(HashSet<string> direct, Dictionary<string, HashSet<string>> groups)
        {
            var all = new HashSet<string>(direct, StringComparer.OrdinalIgnoreCase);
            foreach (var members in groups.Values) all.UnionWith(members);
            return all;
        }

        public static bool IsDefaultAccess(string appRoleId) =>
            string.IsNullOrEmpty(appRoleId) || Guid.TryParse(appRoleId, out var role) && role == Guid.Empty;

        /// <summary>Graph's JSON as Entra attribute values: strings, booleans, numbers, lists of strings.</summary>
        public static SourceObject ToSourceObject(SourceObjectKind kind, JObject item) => ToSourceObject(kind, item, (string)item["id"]);

        /// <param name="id">The item's id, as an instance already held elsewhere (so the object does not carry a copy).</param>
        /// <param name="shared">Where the values of <see cref="GraphAttributeNames.SharedValueProperties"/> are kept once across users.</param>
        internal static SourceObject ToSourceObject(SourceObjectKind kind, JObject item, string id, StringPool shared = null)
        {
            var result = new SourceObject(kind, id);
            foreach (var property in item.Properties())
            {
                if (property.Name.IndexOf('@') >= 0 || property.Name == "id") continue;
                var value = ToValue(property.Value);
                if (shared != null && value is string text && GraphAttributeNames.SharedValueProperties.Contains(property.Name)) value = shared.Share(text);
                result.Set(property.Name, value);
            }
            return result;
        }

        // One box each for true and false, rather than one per user and attribute.
        private static readonly object True = true, False = false;

        private static object ToValue(JToken token)
        {
            switch (token.Type)
            {
                case JTokenType.Null: case JTokenType.Undefined: return null;
                case JTokenType.Boolean: return (bool)token ? True : False;
                case JTokenType.Integer: return (long)token;
                case JTokenType.Date: return ((DateTime)token).ToString("yyyy-MM-ddTHH:mm:ssZ");
                case JTokenType.Array: return token.Select(t => t.Type == JTokenType.String ? (string)t : t.ToString(Newtonsoft.Json.Formatting.None)).ToList();
                case JTokenType.Object: return token.ToString(Newtonsoft.Json.Formatting.None);
                default: return (string)token;
            }
        }
    }
}
