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
using DropboxProvisioning.Time;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>What a cycle, or an on-demand run, reads from Entra ID: tests hand in their own snapshots.</summary>
    internal interface IDirectoryReader
    {
        Task<DirectorySnapshot> ReadAsync(ProvisioningSettings settings, CompiledMapping mapping, CompiledMapping groupMapping, ProvisioningState state, CancellationToken cancellationToken);

        /// <summary>For one user on demand: the user with whether it is entitled to Dropbox (a GraphNotFound DbxException when Entra has none).</summary>
        Task<SingleUserRead> ReadUserAsync(ProvisioningSettings settings, CompiledMapping mapping, string userId, CancellationToken cancellationToken);

        /// <summary>For one group on demand: the group, its direct user members and whether it is assigned (GraphNotFound when Entra has none).</summary>
        Task<SingleGroupRead> ReadGroupAsync(ProvisioningSettings settings, CompiledMapping groupMapping, string groupId, CancellationToken cancellationToken);
    }

    /// <summary>
    /// Reads the Entra side of a cycle through Microsoft Graph. An initial cycle reads every user (a users/delta round
    /// from the start); an incremental one reads only what changed since the stored delta links, plus users whose
    /// entitlement changed or whose escrow is due, so its cost follows the changes, not the tenant.
    /// </summary>
    internal sealed class GraphDirectoryReader : IDirectoryReader
    {
        private readonly IDirectoryClient _graph;
        private readonly string _servicePrincipalId;
        private readonly ICycleObserver _observer;
        private readonly IClock _clock;

        public GraphDirectoryReader(IDirectoryClient graph, string servicePrincipalId, ICycleObserver observer, IClock clock)
        {
            _graph = graph; _servicePrincipalId = servicePrincipalId; _observer = observer; _clock = clock;
        }

        public Task<SingleUserRead> ReadUserAsync(ProvisioningSettings settings, CompiledMapping mapping, string userId, CancellationToken cancellationToken) =>
            SingleObjectReader.ReadUserAsync(_graph, _servicePrincipalId, settings, mapping, userId, cancellationToken);

        public Task<SingleGroupRead> ReadGroupAsync(ProvisioningSettings settings, CompiledMapping groupMapping, string groupId, CancellationToken cancellationToken) =>
            SingleObjectReader.ReadGroupAsync(_graph, _servicePrincipalId, settings, groupMapping, groupId, _observer, cancellationToken);

        public async Task<DirectorySnapshot> ReadAsync(ProvisioningSettings settings, CompiledMapping mapping, CompiledMapping groupMapping, ProvisioningState state, CancellationToken cancellationToken)
        {
            if (state.UsersDeltaLink != null)
            {
                try
                {
                    return await ReadChangesAsync(settings, mapping, groupMapping, state, cancellationToken).ConfigureAwait(false);
                }
                catch (DbxException e) when (e.Condition == "GraphDeltaExpired")
                {
                    _observer.Warning("Microsoft Graph no longer knows the stored delta link; this cycle reads everything again (an initial cycle).");
                }
            }
            return await ReadAllAsync(_graph, _servicePrincipalId, settings, mapping, groupMapping, state, _observer, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<DirectorySnapshot> ReadAllAsync(IDirectoryClient graph, string servicePrincipalId, ProvisioningSettings settings,
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
                // A large group comes in several items, each with part of its members (delta-query-groups): merge them.
                if (!snapshot.AssignedGroups.TryGetValue(id, out var members)) members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                ApplyMemberDelta(members, item, ids);
                if (wanted == null || wanted.Contains(id)) snapshot.AssignedGroups[id] = members;
                snapshot.Groups[id] = DirectorySnapshot.ToSourceObject(SourceObjectKind.Group, item);
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
                snapshot.Add(DirectorySnapshot.ToSourceObject(SourceObjectKind.User, item, id, values), mapping);
            }, cancellationToken).ConfigureAwait(false);

            foreach (var managed in state.Users.Keys.Where(id => !seen.Contains(id)))
                snapshot.Removed[managed] = RemovalKind.Missing;
            return snapshot;
        }

        private async Task<DirectorySnapshot> ReadChangesAsync(ProvisioningSettings settings, CompiledMapping mapping, CompiledMapping groupMapping,
            ProvisioningState state, CancellationToken cancellationToken)
        {
            var snapshot = new DirectorySnapshot { Mode = CycleMode.Incremental };
            var all = settings.Scope == ProvisioningScope.AllUsersAndGroups;

            _observer.Progress("Importing from Entra ID", "Reading changed users", -1);
            var select = GraphAttributeNames.Select(SourceObjectKind.User, mapping.SourceAttributes);
            var changed = new Dictionary<string, JObject>(StringComparer.OrdinalIgnoreCase);
            snapshot.UsersDeltaLink = await _graph.DeltaAsync("users", select, state.UsersDeltaLink, item =>
            {
                var id = (string)item["id"];
                if (id != null) changed[id] = item;
            }, cancellationToken).ConfigureAwait(false);

            var direct = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            Func<string, string> ids = state.SharedId;
            var assigned = all ? null : await ReadAssignmentsAsync(_graph, _servicePrincipalId, settings, direct, _observer, cancellationToken, ids).ConfigureAwait(false);
            await ReadGroupChangesAsync(snapshot, assigned, groupMapping, state, ids, cancellationToken).ConfigureAwait(false);
            snapshot.Entitled = all ? EntitledAfter(state.EntitledUsers, changed.Values) : Union(direct, snapshot.AssignedGroups);

            var affected = Affected(snapshot, state, _clock.UtcNow);
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
                snapshot.Add(DirectorySnapshot.ToSourceObject(SourceObjectKind.User, item), mapping);
            }
            await ReadAffectedAsync(snapshot, affected.Where(id => !changed.ContainsKey(id)), select, mapping, state, cancellationToken).ConfigureAwait(false);
            _observer.Verbose($"Incremental cycle: {changed.Count} user change(s) from Graph, {affected.Count} user(s) whose entitlement changed or whose escrow is due.");
            return snapshot;
        }

        /// <summary>
        /// The groups that matter after a groups/delta round: the assigned ones, or every group known so far plus new
        /// ones when all are in scope; members are kept in step from the delta, or read whole for a group new to the job.
        /// </summary>
        private async Task ReadGroupChangesAsync(DirectorySnapshot snapshot, List<string> assigned, CompiledMapping groupMapping, ProvisioningState state,
            Func<string, string> ids, CancellationToken cancellationToken)
        {
            var changedGroups = new Dictionary<string, JObject>(StringComparer.OrdinalIgnoreCase);
            _observer.Progress("Importing from Entra ID", "Reading group changes", -1);
            snapshot.GroupsDeltaLink = await _graph.DeltaAsync("groups", GroupSelect(groupMapping), state.GroupsDeltaLink, item =>
            {
                var id = (string)item["id"];
                if (id != null) changedGroups[id] = changedGroups.TryGetValue(id, out var earlier) ? MergeGroupItems(earlier, item) : item;
            }, cancellationToken).ConfigureAwait(false);

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
                    members = await ReadMembersAsync(_graph, group, ids, _observer, cancellationToken).ConfigureAwait(false);
                    if (item == null)
                    {
                        try { item = await _graph.GetGroupAsync(group, GraphAttributeNames.Select(SourceObjectKind.Group, groupMapping.SourceAttributes), cancellationToken).ConfigureAwait(false); }
                        catch (DbxException e) when (e.Condition == "GraphNotFound") { continue; }
                    }
                }
                snapshot.AssignedGroups[group] = members;
                if (item != null)
                {
                    var source = DirectorySnapshot.ToSourceObject(SourceObjectKind.Group, item);
                    snapshot.Groups[group] = source;
                    snapshot.ScopeGroup(source, groupMapping, true);
                }
                else if (state.Groups.ContainsKey(group))
                {
                    snapshot.GroupsInScope.Add(group); // unchanged and provisioned: still in scope
                }
            }
        }

        /// <summary>With every user in scope: the users entitled last time, plus the new ones and less the removed ones.</summary>
        private static HashSet<string> EntitledAfter(HashSet<string> before, IEnumerable<JObject> changed)
        {
            var entitled = new HashSet<string>(before, StringComparer.OrdinalIgnoreCase);
            foreach (var item in changed)
            {
                var id = (string)item["id"];
                if (item["@removed"] == null) entitled.Add(id);
                else entitled.Remove(id);
            }
            return entitled;
        }

        /// <summary>
        /// Users to look at even if nothing about them changed: their entitlement changed, their escrow is due, their deletion
        /// was held, or an earlier part of the cycle left them unmatched as rivals for one Dropbox account (all are read, so that
        /// none is matched to it while another still claims it).
        /// </summary>
        internal static HashSet<string> Affected(DirectorySnapshot snapshot, ProvisioningState state, DateTimeOffset now)
        {
            var affected = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var id in snapshot.Entitled) if (!state.EntitledUsers.Contains(id)) affected.Add(id);
            foreach (var id in state.EntitledUsers) if (!snapshot.Entitled.Contains(id)) affected.Add(id);
            foreach (var escrow in state.Escrows.Values) if (escrow.NextAttempt <= now) affected.Add(escrow.SourceId);
            affected.UnionWith(state.Reconsider); // escrows a restart cleared: ordinary work again
            foreach (var staged in state.StagedDeletions) affected.Add(staged.SourceId); // held back: decided afresh
            if (state.PartialCycle != null) affected.UnionWith(state.PartialCycle.Ambiguous);
            return affected;
        }

        /// <summary>Reads the affected users that Graph's delta did not bring; one gone from Entra ID is removed (deleted for good if its deletion was held).</summary>
        private async Task ReadAffectedAsync(DirectorySnapshot snapshot, IEnumerable<string> affected, string select, CompiledMapping mapping, ProvisioningState state, CancellationToken cancellationToken)
        {
            foreach (var id in affected)
            {
                if (!snapshot.Entitled.Contains(id) && !state.Users.ContainsKey(id)) continue;
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var item = await _graph.GetUserAsync(id, select, cancellationToken).ConfigureAwait(false);
                    snapshot.Add(DirectorySnapshot.ToSourceObject(SourceObjectKind.User, item), mapping);
                }
                catch (DbxException e) when (e.Condition == "GraphNotFound")
                {
                    var wasDelete = state.StagedDeletions.Any(d => d.SourceId == id && d.Action == nameof(ChangeAction.Delete));
                    if (state.Users.ContainsKey(id)) snapshot.Removed[id] = wasDelete ? RemovalKind.HardDeleted : RemovalKind.Missing;
                }
            }
        }

        /// <summary>Direct user members of a group (what an assignment of it entitles).</summary>
        internal static Task<HashSet<string>> MembersOfAsync(IDirectoryClient graph, string group, ICycleObserver observer, CancellationToken cancellationToken) =>
            ReadMembersAsync(graph, group, id => id, observer, cancellationToken);

        private static string GroupSelect(CompiledMapping groupMapping) =>
            GraphAttributeNames.Select(SourceObjectKind.Group, groupMapping.SourceAttributes) + ",members";

        /// <summary>
        /// Two items of one group in a round: the later one's properties, with the members@delta of both in order, since
        /// Graph splits a large group's members across items (delta-query-groups: "locally merge each group's state").
        /// </summary>
        private static JObject MergeGroupItems(JObject earlier, JObject later)
        {
            if (!(earlier["members@delta"] is JArray merged)) return later;
            earlier.Remove("members@delta");
            if (later["members@delta"] is JArray more)
            {
                var added = more.ToList();
                more.Clear();
                foreach (var member in added) merged.Add(member);
            }
            later["members@delta"] = merged;
            return later;
        }

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

        /// <summary>Direct user assignments into <paramref name="direct"/>; returns the assigned groups.</summary>
        private static async Task<List<string>> ReadAssignmentsAsync(IDirectoryClient graph, string servicePrincipalId, ProvisioningSettings settings,
            HashSet<string> direct, ICycleObserver observer, CancellationToken cancellationToken, Func<string, string> ids)
        {
            observer.Progress("Importing from Entra ID", "Reading app role assignments", -1);
            var groups = new List<string>();
            var defaultOnly = 0;
            await graph.ListAssignmentsAsync(servicePrincipalId, assignment =>
            {
                var role = (string)assignment["appRoleId"];
                if (!settings.IncludeDefaultAccess && DirectorySnapshot.IsDefaultAccess(role)) { defaultOnly++; return; }
                var principal = ids((string)assignment["principalId"]);
                if (string.Equals((string)assignment["principalType"], "Group", StringComparison.OrdinalIgnoreCase)) groups.Add(principal);
                else direct.Add(principal);
            }, cancellationToken).ConfigureAwait(false);
            if (defaultOnly > 0)
                observer.Verbose($"{defaultOnly} assignment(s) carry only the Default Access role and are excluded, as the Dropbox for Business app requires.");
            return groups.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>Direct user members of an assigned group: Entra does not extend an assignment to nested groups.</summary>
        private static async Task<HashSet<string>> ReadMembersAsync(IDirectoryClient graph, string group, Func<string, string> ids, ICycleObserver observer, CancellationToken cancellationToken)
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

        /// <summary>The directly assigned users (the set itself, not a copy: a million ids once, not twice) and the assigned groups' members.</summary>
        private static HashSet<string> Union(HashSet<string> direct, Dictionary<string, HashSet<string>> groups)
        {
            foreach (var members in groups.Values) direct.UnionWith(members);
            return direct;
        }
    }
}
