using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.Sandbox.Directory
{
    /// <summary>
    /// The Entra ID tenant: users, groups, memberships, app role assignments to the Dropbox service principal,
    /// and the change log behind delta queries. Thread-safe: one lock guards the whole model, because Graph
    /// requests arrive concurrently and a page must be read from one consistent state. Objects handed out are
    /// copies; change them through the mutation methods so that every change is logged.
    /// </summary>
    public sealed partial class DirectoryModel
    {
        private sealed class UserRecord
        {
            public DirectoryUser User;
            public bool Deleted;
        }

        private readonly object _gate = new object();
        private readonly OrderedStore<UserRecord> _users = new OrderedStore<UserRecord>();
        // Live users only: a soft-deleted user's UPN is free for lookups until it is restored.
        private readonly Dictionary<string, string> _idByUpn = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private Func<Guid> _newGuid = Guid.NewGuid;
        private Func<DateTimeOffset> _clock = () => DateTimeOffset.UtcNow;

        public DirectoryModel(string servicePrincipalId = SandboxCredentials.ServicePrincipalId)
        {
            ServicePrincipalId = servicePrincipalId ?? throw new ArgumentNullException(nameof(servicePrincipalId));
        }

        /// <summary>The Dropbox enterprise application's service principal, the resource of every assignment.</summary>
        public string ServicePrincipalId { get; }

        /// <summary>Source of new object ids; the tenant generator makes it deterministic.</summary>
        public Func<Guid> IdGenerator
        {
            get { lock (_gate) return _newGuid; }
            set { lock (_gate) _newGuid = value ?? Guid.NewGuid; }
        }

        /// <summary>Source of timestamps (createdDateTime); the tenant generator makes it deterministic.</summary>
        public Func<DateTimeOffset> Clock
        {
            get { lock (_gate) return _clock; }
            set { lock (_gate) _clock = value ?? (() => DateTimeOffset.UtcNow); }
        }

        /// <summary>Live users (copies), in creation order.</summary>
        public IReadOnlyList<DirectoryUser> Users
        {
            get { lock (_gate) return _users.Values.Where(r => !r.Deleted).Select(r => r.User.Clone()).ToList(); }
        }

        /// <summary>Soft-deleted users (copies): Entra's deleted items, restorable.</summary>
        public IReadOnlyList<DirectoryUser> DeletedUsers
        {
            get { lock (_gate) return _users.Values.Where(r => r.Deleted).Select(r => r.User.Clone()).ToList(); }
        }

        /// <summary>A live user by id or user principal name (a copy), or null when there is none.</summary>
        public DirectoryUser GetUser(string idOrUpn)
        {
            lock (_gate) return FindLiveUser(idOrUpn)?.User.Clone();
        }

        /// <summary>True when the id is a user in deleted items.</summary>
        public bool IsSoftDeleted(string id)
        {
            lock (_gate) return _users.Get(id)?.Deleted == true;
        }

        public DirectoryUser AddUser(DirectoryUser user)
        {
            if (user == null) throw new ArgumentNullException(nameof(user));
            return AddUserOwned(user.Clone()).Clone();
        }

        /// <summary>Adds a user the caller hands over (no copy): the bulk path of the tenant generator.</summary>
        internal DirectoryUser AddUserOwned(DirectoryUser stored)
        {
            if (string.IsNullOrWhiteSpace(stored.UserPrincipalName))
                throw new ArgumentException("A user needs a userPrincipalName.", "user");
            lock (_gate)
            {
                stored.Id = stored.Id ?? NewId();
                if (_users.Contains(stored.Id) || _groups.Contains(stored.Id))
                    throw new ArgumentException($"An object with id '{stored.Id}' already exists.", "user");
                if (_idByUpn.ContainsKey(stored.UserPrincipalName))
                    throw new ArgumentException($"Another object with the same value for property userPrincipalName already exists: '{stored.UserPrincipalName}'.", "user");
                if (stored.CreatedDateTime == default) stored.CreatedDateTime = _clock();
                _users.Add(stored.Id, new UserRecord { User = stored });
                _idByUpn[stored.UserPrincipalName] = stored.Id;
                Log(ChangeTarget.User, stored.Id);
                return stored;
            }
        }

        /// <summary>Changes a live user's properties; the id cannot change.</summary>
        public void UpdateUser(string id, Action<DirectoryUser> change)
        {
            if (change == null) throw new ArgumentNullException(nameof(change));
            lock (_gate)
            {
                var record = LiveUserOrThrow(id);
                var updated = record.User.Clone();
                change(updated);
                if (!string.Equals(updated.Id, record.User.Id, StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException("A user's id cannot change.", nameof(change));
                if (string.IsNullOrWhiteSpace(updated.UserPrincipalName))
                    throw new ArgumentException("A user needs a userPrincipalName.", nameof(change));
                if (!string.Equals(updated.UserPrincipalName, record.User.UserPrincipalName, StringComparison.OrdinalIgnoreCase))
                {
                    if (_idByUpn.ContainsKey(updated.UserPrincipalName))
                        throw new ArgumentException($"Another object with the same value for property userPrincipalName already exists: '{updated.UserPrincipalName}'.", nameof(change));
                    _idByUpn.Remove(record.User.UserPrincipalName);
                    _idByUpn[updated.UserPrincipalName] = updated.Id;
                }
                updated.Id = record.User.Id;
                var changed = ChangedProperties(record.User, updated);
                record.User = updated;
                Log(ChangeTarget.User, updated.Id, properties: changed);
            }
        }

        /// <summary>
        /// Moves a user to deleted items, as DELETE /users/{id} does. Its memberships and assignments are kept
        /// (a restore brings them back) but hidden from listings while it is deleted.
        /// </summary>
        public void SoftDeleteUser(string id)
        {
            lock (_gate)
            {
                var record = LiveUserOrThrow(id);
                record.Deleted = true;
                _idByUpn.Remove(record.User.UserPrincipalName);
                Log(ChangeTarget.User, record.User.Id);
            }
        }

        public void RestoreUser(string id)
        {
            lock (_gate)
            {
                var record = _users.Get(id);
                if (record == null || !record.Deleted)
                    throw new ArgumentException($"There is no user with id '{id}' in deleted items.", nameof(id));
                if (_idByUpn.ContainsKey(record.User.UserPrincipalName))
                    throw new ArgumentException($"Cannot restore '{id}': its userPrincipalName '{record.User.UserPrincipalName}' is now taken.", nameof(id));
                record.Deleted = false;
                _idByUpn[record.User.UserPrincipalName] = record.User.Id;
                Log(ChangeTarget.User, record.User.Id);
            }
        }

        /// <summary>Deletes a user for good (live or from deleted items), with its memberships and assignments.</summary>
        public void HardDeleteUser(string id)
        {
            lock (_gate)
            {
                var record = _users.Get(id) ?? throw new ArgumentException($"There is no user with id '{id}'.", nameof(id));
                var userId = record.User.Id;
                foreach (var groupId in ParentGroupIds(userId))
                    RemoveMemberLocked(groupId, userId);
                RemoveAssignmentsLocked(userId);
                if (!record.Deleted) _idByUpn.Remove(record.User.UserPrincipalName);
                _users.Remove(userId);
                foreach (var other in _users.Values)
                {
                    // A manager reference to a deleted object disappears in Entra too. It is a link, not a
                    // property, so users/delta (which does not track manager here) does not report it.
                    if (string.Equals(other.User.ManagerId, userId, StringComparison.OrdinalIgnoreCase))
                    {
                        other.User = other.User.Clone();
                        other.User.ManagerId = null;
                    }
                }
                Log(ChangeTarget.User, userId);
            }
        }

        /// <summary>One page of live users in creation order, after the given key (0 for the first page).</summary>
        public Page<DirectoryUser> ListUsers(long afterKey, int top, Func<DirectoryUser, bool> filter = null)
        {
            lock (_gate)
            {
                return TakePage(_users.After(afterKey), top,
                    r => !r.Deleted && (filter == null || filter(r.User)), r => r.User.Clone());
            }
        }

        private static Page<TOut> TakePage<TIn, TOut>(IEnumerable<KeyValuePair<long, TIn>> source, int top, Func<TIn, bool> include, Func<TIn, TOut> copy)
        {
            var items = new List<TOut>(Math.Min(top, 1000));
            long lastKey = 0;
            foreach (var pair in source)
            {
                if (!include(pair.Value)) continue;
                if (items.Count == top) return new Page<TOut>(items, lastKey);
                items.Add(copy(pair.Value));
                lastKey = pair.Key;
            }
            return new Page<TOut>(items, null);
        }

        private UserRecord FindLiveUser(string idOrUpn)
        {
            if (string.IsNullOrEmpty(idOrUpn)) return null;
            var record = _users.Get(idOrUpn);
            if (record == null && _idByUpn.TryGetValue(idOrUpn, out var id)) record = _users.Get(id);
            return record != null && !record.Deleted ? record : null;
        }

        private UserRecord LiveUserOrThrow(string idOrUpn)
        {
            var record = FindLiveUser(idOrUpn);
            if (record != null) return record;
            if (_users.Get(idOrUpn)?.Deleted == true)
                throw new ArgumentException($"User '{idOrUpn}' is in deleted items; restore it first.", nameof(idOrUpn));
            throw new ArgumentException($"There is no user with id or userPrincipalName '{idOrUpn}'.", nameof(idOrUpn));
        }

        private string NewId() => _newGuid().ToString();
    }
}
