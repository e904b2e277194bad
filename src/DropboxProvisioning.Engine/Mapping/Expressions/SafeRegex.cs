using System;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// Builds regexes the way both expressions and scoping filters need them: .NET syntax, case-sensitive,
    /// culture-invariant, and with a match timeout so a catastrophic pattern cannot hang a sync cycle.
    /// Literal patterns are built once at parse time; patterns computed at run time go through a bounded cache.
    /// </summary>
    internal static class SafeRegex
    {
        /// <summary>Longest a single match may run before it is abandoned.</summary>
        public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

        private const int MaxCachedPatterns = 512;
        private static readonly ConcurrentDictionary<string, Regex> Cache = new ConcurrentDictionary<string, Regex>(StringComparer.Ordinal);

        public static bool TryCreate(string pattern, out Regex regex, out string error)
        {
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
                error = null;
                return true;
            }
            catch (ArgumentException e)
            {
                regex = null;
                error = e.Message;
                return false;
            }
        }

        /// <summary>A regex for a pattern only known while evaluating; null when the pattern does not compile.</summary>
        public static Regex GetOrCreate(string pattern, out string error)
        {
            if (Cache.TryGetValue(pattern, out var cached))
            {
                error = null;
                return cached;
            }

            if (!TryCreate(pattern, out var regex, out error))
            {
                return null;
            }

            if (Cache.Count >= MaxCachedPatterns)
            {
                // Bounded: data-driven patterns must not grow memory without limit.
                Cache.Clear();
            }

            Cache[pattern] = regex;
            return regex;
        }
    }
}
