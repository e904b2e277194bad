using System;
using System.Collections.Generic;
using DropboxProvisioning.Collections;

namespace DropboxProvisioning.Directory
{
    public enum SourceObjectKind { User, Group }

    /// <summary>
    /// An Entra ID user or group as the mappings see it: Entra's attribute names (objectId, IsSoftDeleted,
    /// userPrincipalName...) over the values Graph returned. Names are case-insensitive, as in Entra.
    /// </summary>
    public sealed class SourceObject : NamedValues<object>, Mapping.Expressions.IAttributeSource
    {
        public SourceObject(SourceObjectKind kind, string id)
        {
            Kind = kind;
            Id = id;
            Set("objectId", id);
        }

        public SourceObjectKind Kind { get; }
        public string Id { get; }

        /// <summary>Display name for logs and messages: userPrincipalName for users, displayName for groups.</summary>
        public string DisplayIdentity => (Get(Kind == SourceObjectKind.User ? "userPrincipalName" : "displayName") as string) ?? Id;

        public IEnumerable<KeyValuePair<string, object>> Values => Pairs();

        public object Get(string attribute) => TryGetValue(attribute, out var value) ? value : null;

        public new void Set(string attribute, object value) => base.Set(attribute, value);

        // A text equal to another of the same object is kept once (a user's mail is often their userPrincipalName):
        // the changes and the state that take their values from it then share it too.
        protected override object Share(object value) => value is string text ? Held(text) ?? text : value;
    }
}
