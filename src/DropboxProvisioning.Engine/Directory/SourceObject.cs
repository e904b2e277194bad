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
        private readonly Dictionary<string, object> _values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

        public SourceObject(SourceObjectKind kind, string id)
        {
            Kind = kind;
            Id = id;
            _values["objectId"] = id;
        }

        public SourceObjectKind Kind { get; }
        public string Id { get; }

        /// <summary>Display name for logs and messages: userPrincipalName for users, displayName for groups.</summary>
        public string DisplayIdentity => (Get(Kind == SourceObjectKind.User ? "userPrincipalName" : "displayName") as string) ?? Id;

        public IEnumerable<KeyValuePair<string, object>> Values => _values;

        public object Get(string attribute) => _values.TryGetValue(attribute, out var value) ? value : null;

        public void Set(string attribute, object value) => _values[attribute] = value;

        public bool TryGetValue(string attributeName, out object value) => _values.TryGetValue(attributeName, out value);
    }
}
