using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Sandbox.Directory
{
    /// <summary>
    /// Objects by id, kept in insertion order under a monotonic key so that a page "after key K" is found by
    /// binary search: listing 100,000 users page by page stays linear, and paging is stable while objects
    /// are added or removed between pages. Not thread-safe: the owner locks.
    /// </summary>
    internal sealed class OrderedStore<T> where T : class
    {
        private sealed class Slot
        {
            public long Key;
            public string Id;
            public T Value;
            public bool Removed;
        }

        private readonly Dictionary<string, Slot> _byId = new Dictionary<string, Slot>(StringComparer.OrdinalIgnoreCase);
        private List<Slot> _slots = new List<Slot>();
        private long _nextKey;
        private int _removed;

        public int Count => _byId.Count;

        public bool Contains(string id) => id != null && _byId.ContainsKey(id);

        public T Get(string id) => id != null && _byId.TryGetValue(id, out var slot) ? slot.Value : null;

        public void Add(string id, T value)
        {
            var slot = new Slot { Key = ++_nextKey, Id = id, Value = value };
            _byId.Add(id, slot);
            _slots.Add(slot);
        }

        public void Replace(string id, T value) => _byId[id].Value = value;

        public bool Remove(string id)
        {
            if (id == null || !_byId.TryGetValue(id, out var slot)) return false;
            _byId.Remove(id);
            slot.Removed = true;
            slot.Value = null;
            // Tombstones keep removal O(1); compact once they dominate.
            if (++_removed > 1024 && _removed > _slots.Count / 2)
            {
                _slots = _slots.FindAll(s => !s.Removed);
                _removed = 0;
            }
            return true;
        }

        public IEnumerable<T> Values
        {
            get
            {
                foreach (var slot in _slots)
                    if (!slot.Removed) yield return slot.Value;
            }
        }

        /// <summary>The objects whose key is greater than <paramref name="afterKey"/>, in order, with their keys.</summary>
        public IEnumerable<KeyValuePair<long, T>> After(long afterKey)
        {
            int lo = 0, hi = _slots.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (_slots[mid].Key <= afterKey) lo = mid + 1; else hi = mid;
            }
            for (var i = lo; i < _slots.Count; i++)
            {
                var slot = _slots[i];
                if (!slot.Removed) yield return new KeyValuePair<long, T>(slot.Key, slot.Value);
            }
        }
    }
}
