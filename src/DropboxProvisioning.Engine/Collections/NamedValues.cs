using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Collections
{
    /// <summary>
    /// A handful of named values held compactly: one array per object, names at even positions (interned, so a
    /// name is one string however many objects carry it) and values at odd ones; lookups are a short linear search,
    /// case-insensitive. A large tenant holds 100,000 such objects (source users, managed accounts), where a
    /// dictionary each, with its own copy of every name, cost several times the values.
    /// </summary>
    public abstract class NamedValues<T> where T : class
    {
        private static readonly object[] None = new object[0];
        private object[] _pairs = None;

        public int Count => _pairs.Length / 2;

        public bool ContainsKey(string name) => IndexOf(name) >= 0;

        public bool TryGetValue(string name, out T value)
        {
            var index = IndexOf(name);
            value = index >= 0 ? (T)_pairs[index + 1] : null;
            return index >= 0;
        }

        /// <summary>Sets the value of a name, adding the name when it is new.</summary>
        protected void Set(string name, T value)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            value = Share(value);
            var index = IndexOf(name);
            if (index >= 0) { _pairs[index + 1] = value; return; }
            var grown = new object[_pairs.Length + 2];
            Array.Copy(_pairs, grown, _pairs.Length);
            grown[_pairs.Length] = string.Intern(name);
            grown[_pairs.Length + 1] = value;
            _pairs = grown;
        }

        public bool Remove(string name)
        {
            var index = IndexOf(name);
            if (index < 0) return false;
            var shrunk = _pairs.Length == 2 ? None : new object[_pairs.Length - 2];
            Array.Copy(_pairs, 0, shrunk, 0, index);
            Array.Copy(_pairs, index + 2, shrunk, index, _pairs.Length - index - 2);
            _pairs = shrunk;
            return true;
        }

        /// <summary>The pairs in the order the names were added.</summary>
        protected IEnumerable<KeyValuePair<string, T>> Pairs()
        {
            var pairs = _pairs;
            for (var i = 0; i < pairs.Length; i += 2) yield return new KeyValuePair<string, T>((string)pairs[i], (T)pairs[i + 1]);
        }

        /// <summary>A value equal to one already held may be given back as that one (one string for both).</summary>
        protected virtual T Share(T value) => value;

        /// <summary>The value already held that equals <paramref name="value"/> (ordinal), or null.</summary>
        protected T Held(T value)
        {
            var pairs = _pairs;
            for (var i = 1; i < pairs.Length; i += 2)
                if (pairs[i] != null && pairs[i].Equals(value)) return (T)pairs[i];
            return null;
        }

        private int IndexOf(string name)
        {
            if (name == null) return -1;
            var pairs = _pairs;
            for (var i = 0; i < pairs.Length; i += 2)
                if (string.Equals((string)pairs[i], name, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }
    }
}
