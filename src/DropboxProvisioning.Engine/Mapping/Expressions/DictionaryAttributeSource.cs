using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// A simple case-insensitive <see cref="IAttributeSource"/> over a dictionary: for previews
    /// ("test this expression against these values"), the PowerShell layer and tests.
    /// </summary>
    public sealed class DictionaryAttributeSource : IAttributeSource
    {
        private readonly Dictionary<string, object> values;

        public DictionaryAttributeSource()
        {
            values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        }

        public DictionaryAttributeSource(IEnumerable<KeyValuePair<string, object>> values)
            : this()
        {
            foreach (var pair in values)
            {
                this.values[pair.Key] = pair.Value;
            }
        }

        public object this[string attributeName]
        {
            get => values.TryGetValue(attributeName, out var value) ? value : null;
            set => values[attributeName] = value;
        }

        public bool TryGetValue(string attributeName, out object value) => values.TryGetValue(attributeName, out value);
    }
}
