using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.Sandbox.Directory
{
    public sealed partial class DirectoryModel
    {
        // Sequence n is _changes[n - 1]: the log is append-only, so "changes since n" is a range copy.
        private readonly List<DirectoryChange> _changes = new List<DirectoryChange>();
        private int _deltaEpoch;

        /// <summary>The sequence number of the latest change (0 before any).</summary>
        public long ChangeSequence
        {
            get { lock (_gate) return _changes.Count; }
        }

        /// <summary>Bumped by <see cref="ExpireDeltaTokens"/>: delta tokens of an older epoch are refused.</summary>
        public int DeltaEpoch
        {
            get { lock (_gate) return _deltaEpoch; }
        }

        /// <summary>Makes every delta token issued so far unusable, as when Entra's 7-day token lifetime passes.</summary>
        public void ExpireDeltaTokens()
        {
            lock (_gate) _deltaEpoch++;
        }

        /// <summary>The changes after the given sequence number, oldest first.</summary>
        public IReadOnlyList<DirectoryChange> ChangesSince(long sequence)
        {
            lock (_gate)
            {
                var start = (int)Math.Max(0, Math.Min(sequence, _changes.Count));
                return _changes.GetRange(start, _changes.Count - start);
            }
        }

        /// <summary>The ids of every live object of a kind and the sequence they were read at, in one consistent read.</summary>
        public long Snapshot(ChangeTarget target, out IReadOnlyList<string> ids)
        {
            lock (_gate)
            {
                ids = target == ChangeTarget.User
                    ? _users.Values.Where(r => !r.Deleted).Select(r => r.User.Id).ToList()
                    : _groups.Values.Select(r => r.Group.Id).ToList();
                return _changes.Count;
            }
        }

        /// <summary>A user by id whatever its state (a copy; null when gone).</summary>
        public DirectoryUser GetUserAnyState(string id, out ObjectState state)
        {
            lock (_gate)
            {
                var record = _users.Get(id);
                state = record == null ? ObjectState.Gone : record.Deleted ? ObjectState.SoftDeleted : ObjectState.Live;
                return record?.User.Clone();
            }
        }

        /// <summary>A group's listable direct members, each with whether it is a group. Null when the group does not exist.</summary>
        public IReadOnlyList<KeyValuePair<string, bool>> MemberRefs(string groupId)
        {
            lock (_gate)
            {
                var record = _groups.Get(groupId);
                return record?.Members.Values.Where(IsListableMember)
                    .Select(m => new KeyValuePair<string, bool>(m, _groups.Contains(m))).ToList();
            }
        }

        private void Log(ChangeTarget target, string objectId, string memberId = null, bool memberIsGroup = false, bool removed = false, IReadOnlyCollection<string> properties = null)
        {
            _changes.Add(new DirectoryChange(_changes.Count + 1, target, objectId, memberId, memberIsGroup, removed, properties));
        }

        private static readonly System.Reflection.PropertyInfo[] UserProperties = Comparable(typeof(DirectoryUser));
        private static readonly System.Reflection.PropertyInfo[] GroupProperties = Comparable(typeof(DirectoryGroup));

        private static System.Reflection.PropertyInfo[] Comparable(Type type) =>
            type.GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "Id" && p.Name != "MemberIds").ToArray();

        /// <summary>The names of the properties whose values differ between two versions of an object.</summary>
        private static IReadOnlyCollection<string> ChangedProperties(object before, object after)
        {
            var properties = before is DirectoryUser ? UserProperties : GroupProperties;
            return properties.Where(p => !Equals(p.GetValue(before), p.GetValue(after))).Select(p => p.Name).ToArray();
        }

        /// <summary>Bumped with the epoch by <see cref="ResetDeltaSync"/>: tokens from before it are answered 410 Gone, a synchronization reset.</summary>
        private int _resetEpoch;

        /// <summary>
        /// Makes every delta token issued so far unusable as Graph's synchronization reset does (delta-query-overview,
        /// "Synchronization reset": 410 Gone with a Location to start over), rather than as an expired token (400 syncStateNotFound).
        /// </summary>
        public void ResetDeltaSync()
        {
            lock (_gate) { _deltaEpoch++; _resetEpoch = _deltaEpoch; }
        }

        /// <summary>True when a token of this epoch was ended by <see cref="ResetDeltaSync"/> rather than by expiry.</summary>
        public bool WasReset(int epoch)
        {
            lock (_gate) return epoch < _resetEpoch;
        }
    }
}
