using System;

namespace DropboxProvisioning.Mapping
{
    /// <summary>One target attribute of a schema: its type, whether it is sent, and the values it takes.</summary>
    public sealed class TargetAttribute
    {
        public TargetAttribute(string name, TargetValueType type) { Name = name; Type = type; }

        public string Name { get; }
        public TargetValueType Type { get; }

        /// <summary>False for an attribute the API shows but cannot set: the mapping is kept, never evaluated nor compared.</summary>
        public bool Sent { get; internal set; } = true;

        /// <summary>Why it is not sent, for Test-DbxAttributeMapping.</summary>
        public string Note { get; internal set; }

        /// <summary>For an attribute with a closed set of values: the value as the API takes it, or null when it takes none such.</summary>
        public Func<string, string> Canonical { get; internal set; }

        /// <summary>The values it takes, for messages.</summary>
        public string ValueHint { get; internal set; }

        public int? MaxLength { get; internal set; }

        /// <summary>
        /// A value the engine set is removed when the mapping no longer gives one (a custom space limit goes back to the
        /// team's default); see <see cref="Sync.ClearedValues"/>. Other attributes are left as they are.
        /// </summary>
        public bool ClearedWhenEmpty { get; internal set; }

        /// <summary>
        /// A list of e-mail addresses of which the engine adds and removes only those its mapping gives (secondaryEmails):
        /// addresses added in Dropbox by hand stay. See <see cref="EmailListValue"/> and <see cref="Sync.MergedEmails"/>.
        /// </summary>
        public bool MultiValued { get; internal set; }
    }
}
