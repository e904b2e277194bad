using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Directory
{
    public enum SourceObjectKind { User, Group }

    /// <summary>
    /// An Entra ID user or group as the mappings see it: Entra's attribute names (objectId, IsSoftDeleted,
    /// userPrincipalName...) over the values Graph returned. Names are case-insensitive, as in Entra.
    /// </summary>
    public sealed class SourceObject : Mapping.IAttributeSource
    {
        // Names at even positions, values at odd ones, names interned: a cycle holds every user of a large tenant
        // at once, and a dictionary per user (with its own copy of each attribute name) cost several times the values.
        private object[] _pairs;

        public SourceObject(SourceObjectKind kind, string id)
        {
            Kind = kind;
            Id = id;
            _pairs = new object[] { "objectId", id };
        }

        public SourceObjectKind Kind { get; }
        public string Id { get; }

        /// <summary>Display name for logs and messages: userPrincipalName for users, displayName for groups.</summary>
        public string DisplayIdentity => (Get(Kind == SourceObjectKind.User ? "userPrincipalName" : "displayName") as string) ?? Id;

        public IEnumerable<KeyValuePair<string, object>> Values
        {
            get
            {
                var pairs = _pairs;
                for (var i = 0; i < pairs.Length; i += 2) yield return new KeyValuePair<string, object>((string)pairs[i], pairs[i + 1]);
            }
        }

        public object Get(string attribute) => TryGetValue(attribute, out var value) ? value : null;

        public void Set(string attribute, object value)
        {
            var index = IndexOf(attribute);
            if (index >= 0) { _pairs[index + 1] = value; return; }
            var grown = new object[_pairs.Length + 2];
            Array.Copy(_pairs, grown, _pairs.Length);
            grown[_pairs.Length] = string.Intern(attribute);
            grown[_pairs.Length + 1] = value;
            _pairs = grown;
        }

        public bool TryGetValue(string attributeName, out object value)
        {
            var index = IndexOf(attributeName);
            value = index >= 0 ? _pairs[index + 1] : null;
            return index >= 0;
        }

        private int IndexOf(string attribute)
        {
            if (attribute == null) return -1;
            var pairs = _pairs;
            for (var i = 0; i < pairs.Length; i += 2)
                if (string.Equals((string)pairs[i], attribute, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }
    }
}
