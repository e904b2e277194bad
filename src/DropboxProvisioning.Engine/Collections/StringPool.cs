using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Collections
{
    /// <summary>
    /// One instance per distinct text. Graph names a user's id in its assignment, in each group it belongs to and
    /// on the user itself, each a string of its own; passed through one pool, a large tenant holds each id once.
    /// </summary>
    internal sealed class StringPool
    {
        private readonly Dictionary<string, string> _held = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The instance already held with this exact text, else <paramref name="value"/>, held from now on.</summary>
        public string Share(string value)
        {
            if (value == null) return null;
            if (_held.TryGetValue(value, out var held)) return held;
            _held[value] = value;
            return value;
        }
    }
}
