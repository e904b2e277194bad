using System;
using System.Reflection;

namespace DropboxProvisioning.Loader
{
    /// <summary>
    /// When a shipped file may answer a request for an assembly: same simple name, same culture, same public key
    /// token (or both unsigned; a request by name alone names no token), and a version equal to or higher than the one asked for. A request for a higher
    /// version than the module ships is never answered with an older copy: that is another module's assembly.
    /// Pure: the resolvers at run time and the test over the built files apply exactly these rules.
    /// </summary>
    public static class ResolutionRules
    {
        public static bool Accepts(AssemblyName requested, AssemblyName shipped)
        {
            if (requested == null) throw new ArgumentNullException(nameof(requested));
            if (shipped == null) throw new ArgumentNullException(nameof(shipped));
            if (!string.Equals(requested.Name, shipped.Name, StringComparison.OrdinalIgnoreCase)) return false;
            if (!string.IsNullOrEmpty(requested.CultureName) && !string.Equals(requested.CultureName, shipped.CultureName, StringComparison.OrdinalIgnoreCase)) return false;
            if (!SameToken(requested.GetPublicKeyToken(), shipped.GetPublicKeyToken())) return false;
            return requested.Version == null || (shipped.Version != null && shipped.Version >= requested.Version);
        }

        private static bool SameToken(byte[] a, byte[] b)
        {
            if (a == null) return true;
            var left = a;
            var right = b ?? new byte[0];
            if (left.Length == 0 || right.Length == 0) return left.Length == right.Length;
            if (left.Length != right.Length) return false;
            for (var i = 0; i < left.Length; i++)
                if (left[i] != right[i]) return false;
            return true;
        }
    }
}
