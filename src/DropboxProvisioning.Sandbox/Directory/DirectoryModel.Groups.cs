using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.Sandbox.Directory
{
    public sealed partial class DirectoryModel
    {
        private sealed class GroupRecord
        {
            public DirectoryGroup Group;        // MemberIds unused here: Members is the truth
            public OrderedStore<string> Members; // direct member ids, in the order they were added
        }

        private readonly OrderedStore<GroupRecord> _groups = new OrderedStore<GroupRecord>();
        // member id -> ids of the groups it directly belongs to, so deleting an object is not a scan of all groups
        // (a short list: an object belongs to few groups, and 100,000 small sets cost more than lists)
        private readonly Dictionary<string, List<string>> _parents = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);

        public IReadOnlyList<DirectoryGroup> Groups
        {
            get { lock (_gate) return _groups.Values.Select(CopyOf).ToList(); }
        }

        /// <summary>A group by id (a copy, with its direct members), or null when there is none.</summary>
        public DirectoryGroup GetGroup(string id)
        {
            lock (_gate)
            {
                var record = _groups.Get(id);
                return record == null ? null : CopyOf(record);
            }
        }

        /// <summary>
        /// A group's properties only (a copy without its members): a delta round renders a large group once per part of its
        /// members, and copying every member set for each part made serving a large tenant's round quadratic.
        /// </summary>
        public DirectoryGroup GetGroupProperties(string id)
        {
            lock (_gate)
            {
                var record = _groups.Get(id);
                if (record == null) return null;
                var copy = record.Group.Clone();
                copy.MemberIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                return copy;
            }
        }

        /// <summary>Adds a group; members listed in <see cref="DirectoryGroup.MemberIds"/> are added too.</summary>
        public DirectoryGroup AddGroup(DirectoryGroup group)
        {
            if (group == null) throw new ArgumentNullException(nameof(group));
            if (string.IsNullOrWhiteSpace(group.DisplayName))
                throw new ArgumentException("A group needs a displayName.", nameof(group));
            lock (_gate)
            {
                var stored = group.Clone();
                stored.Id = stored.Id ?? NewId();
                if (_groups.Contains(stored.Id) || _users.Contains(stored.Id))
                    throw new ArgumentException($"An object with id '{stored.Id}' already exists.", nameof(group));
                foreach (var memberId in stored.MemberIds) RequireMemberCandidate(memberId, stored.Id);
                if (stored.CreatedDateTime == default) stored.CreatedDateTime = _clock();
                var members = stored.MemberIds;
                stored.MemberIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                _groups.Add(stored.Id, new GroupRecord { Group = stored, Members = new OrderedStore<string>() });
                Log(ChangeTarget.Group, stored.Id);
                foreach (var memberId in members) AddMemberLocked(stored.Id, memberId);
                return GetGroupLocked(stored.Id);
            }
        }

        /// <summary>Changes a group's properties; a changed MemberIds set is applied as member additions and removals.</summary>
        public void UpdateGroup(string id, Action<DirectoryGroup> change)
        {
            if (change == null) throw new ArgumentNullException(nameof(change));
            lock (_gate)
            {
                var record = GroupOrThrow(id);
                var before = CopyOf(record);
                var updated = CopyOf(record);
                change(updated);
                if (!string.Equals(updated.Id, before.Id, StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException("A group's id cannot change.", nameof(change));
                var wanted = updated.MemberIds ?? new HashSet<string>();
                foreach (var memberId in wanted.Where(m => !before.MemberIds.Contains(m)))
                    RequireMemberCandidate(memberId, before.Id);
                updated.Id = before.Id;
                updated.MemberIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                record.Group = updated;
                Log(ChangeTarget.Group, before.Id, properties: ChangedProperties(before, updated));
                foreach (var memberId in before.MemberIds.Where(m => !wanted.Contains(m)).ToList())
                    RemoveMemberLocked(before.Id, memberId);
                foreach (var memberId in wanted.Where(m => !before.MemberIds.Contains(m)).ToList())
                    AddMemberLocked(before.Id, memberId);
            }
        }

        /// <summary>Deletes a group (security groups are not restorable), its memberships in other groups and its assignments.</summary>
        public void DeleteGroup(string id)
        {
            lock (_gate)
            {
                var record = GroupOrThrow(id);
                var groupId = record.Group.Id;
                foreach (var parentId in ParentGroupIds(groupId))
                    RemoveMemberLocked(parentId, groupId);
                foreach (var memberId in record.Members.Values.ToList())
                    Unlink(groupId, memberId);
                RemoveAssignmentsLocked(groupId);
                _groups.Remove(groupId);
                Log(ChangeTarget.Group, groupId);
            }
        }

        public void AddMember(string groupId, string memberId)
        {
            lock (_gate)
            {
                var record = GroupOrThrow(groupId);
                RequireMemberCandidate(memberId, record.Group.Id);
                if (record.Members.Contains(memberId))
                    throw new ArgumentException($"One or more added object references already exist for the following modified properties: 'members' ('{memberId}' is already a member of '{groupId}').", nameof(memberId));
                AddMemberLocked(record.Group.Id, memberId);
            }
        }

        public void RemoveMember(string groupId, string memberId)
        {
            lock (_gate)
            {
                var record = GroupOrThrow(groupId);
                if (!record.Members.Contains(memberId))
                    throw new ArgumentException($"'{memberId}' is not a member of group '{groupId}'.", nameof(memberId));
                RemoveMemberLocked(record.Group.Id, memberId);
            }
        }

        /// <summary>One page of groups in creation order, after the given key (0 for the first page).</summary>
        public Page<DirectoryGroup> ListGroups(long afterKey, int top, Func<DirectoryGroup, bool> filter = null)
        {
            lock (_gate)
                return TakePage(_groups.After(afterKey), top, r => filter == null || filter(r.Group), CopyOf);
        }

        /// <summary>
        /// One page of a group's direct members that Graph would list: users (not soft-deleted) and groups,
        /// each a <see cref="DirectoryUser"/> or <see cref="DirectoryGroup"/> copy. Null when the group does not exist.
        /// </summary>
        public Page<object> ListMembers(string groupId, long afterKey, int top)
        {
            lock (_gate)
            {
                var record = _groups.Get(groupId);
                if (record == null) return null;
                return TakePage(record.Members.After(afterKey), top, IsListableMember, MemberCopy);
            }
        }

        /// <summary>
        /// Every user or group reachable from the group through nested membership, each once (the group itself
        /// excluded, cycles tolerated), as Graph's transitiveMembers. Null when the group does not exist.
        /// </summary>
        public IReadOnlyList<object> TransitiveMembers(string groupId)
        {
            lock (_gate)
            {
                var root = _groups.Get(groupId);
                if (root == null) return null;
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { root.Group.Id };
                var result = new List<object>();
                var pending = new Queue<GroupRecord>();
                pending.Enqueue(root);
                while (pending.Count > 0)
                {
                    foreach (var memberId in pending.Dequeue().Members.Values)
                    {
                        if (!seen.Add(memberId) || !IsListableMember(memberId)) continue;
                        result.Add(MemberCopy(memberId));
                        var nested = _groups.Get(memberId);
                        if (nested != null) pending.Enqueue(nested);
                    }
                }
                return result;
            }
        }

        private bool IsListableMember(string memberId)
        {
            var user = _users.Get(memberId);
            return user != null ? !user.Deleted : _groups.Contains(memberId);
        }

        private object MemberCopy(string memberId)
        {
            var user = _users.Get(memberId);
            if (user != null) return user.User.Clone();
            return CopyOf(_groups.Get(memberId));
        }

        private void AddMemberLocked(string groupId, string memberId)
        {
            var record = _groups.Get(groupId);
            if (record.Members.Contains(memberId)) return;
            var canonical = _users.Get(memberId)?.User.Id ?? _groups.Get(memberId).Group.Id;
            record.Members.Add(canonical, canonical);
            if (!_parents.TryGetValue(canonical, out var parents))
                _parents[canonical] = parents = new List<string>(2);
            parents.Add(groupId);
            Log(ChangeTarget.Group, groupId, canonical, _groups.Contains(canonical), removed: false);
        }

        private void RemoveMemberLocked(string groupId, string memberId)
        {
            var isGroup = _groups.Contains(memberId);
            Unlink(groupId, memberId);
            Log(ChangeTarget.Group, groupId, memberId, isGroup, removed: true);
        }

        private void Unlink(string groupId, string memberId)
        {
            _groups.Get(groupId)?.Members.Remove(memberId);
            if (_parents.TryGetValue(memberId, out var parents))
            {
                parents.RemoveAll(p => string.Equals(p, groupId, StringComparison.OrdinalIgnoreCase));
                if (parents.Count == 0) _parents.Remove(memberId);
            }
        }

        private List<string> ParentGroupIds(string memberId) =>
            _parents.TryGetValue(memberId, out var parents) ? parents.ToList() : new List<string>();

        private void RequireMemberCandidate(string memberId, string groupId)
        {
            if (string.Equals(memberId, groupId, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"A group cannot be a member of itself ('{groupId}').", nameof(memberId));
            var user = _users.Get(memberId);
            if (user != null && !user.Deleted) return;
            if (_groups.Contains(memberId)) return;
            throw new ArgumentException($"There is no user or group with id '{memberId}' to add as a member.", nameof(memberId));
        }

        private GroupRecord GroupOrThrow(string id) =>
            _groups.Get(id) ?? throw new ArgumentException($"There is no group with id '{id}'.", nameof(id));

        private DirectoryGroup GetGroupLocked(string id) => CopyOf(_groups.Get(id));

        private static DirectoryGroup CopyOf(GroupRecord record)
        {
            var copy = record.Group.Clone();
            copy.MemberIds = new HashSet<string>(record.Members.Values, StringComparer.OrdinalIgnoreCase);
            return copy;
        }
    }
}
