using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>Schema URNs are compared ignoring case (RFC 7643 §2.1: URNs and attribute names are case-insensitive).</summary>
    internal static class ScimStrings
    {
        public static bool ContainsIgnoringCase(this IEnumerable<string> values, string wanted)
        {
            foreach (var v in values) if (string.Equals(v, wanted, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }
    }
}
