using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Commands.Completion
{
    /// <summary>
    /// What the argument completers share: candidates filtered by what was typed (a prefix, else a part of the value,
    /// or a wildcard pattern), quoted where PowerShell needs quotes; and the connection and object type the command
    /// line names. A completer never throws: no candidates instead.
    /// </summary>
    internal static class Completions
    {
        /// <summary>The most candidates taken from the state (a large tenant's accounts would flood the console).</summary>
        public const int MaxFromState = 200;

        public static IEnumerable<CompletionResult> Complete(string wordToComplete, IEnumerable<(string Value, string Tooltip)> candidates, int max = int.MaxValue)
        {
            var word = Unquote(wordToComplete ?? "");
            var all = candidates.Where(c => !string.IsNullOrEmpty(c.Value))
                .GroupBy(c => c.Value, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
            List<(string Value, string Tooltip)> chosen;
            if (WildcardPattern.ContainsWildcardCharacters(word))
            {
                var pattern = new WildcardPattern(word, WildcardOptions.IgnoreCase);
                chosen = all.Where(c => pattern.IsMatch(c.Value)).ToList();
            }
            else
            {
                chosen = all.Where(c => c.Value.StartsWith(word, StringComparison.OrdinalIgnoreCase)).ToList();
                if (chosen.Count == 0) chosen = all.Where(c => c.Value.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0).ToList();
            }
            return chosen.Take(max).Select(c => new CompletionResult(
                Quote(c.Value), c.Value, CompletionResultType.ParameterValue, string.IsNullOrEmpty(c.Tooltip) ? c.Value : c.Tooltip));
        }

        /// <summary>Runs a completer's work, giving no candidates if anything goes wrong (a locked or half-written file, no connection).</summary>
        public static IEnumerable<CompletionResult> Safely(Func<IEnumerable<CompletionResult>> complete)
        {
            try { return complete().ToList(); }
            catch (Exception) { return Enumerable.Empty<CompletionResult>(); }
        }

        /// <summary>The -Connection on the command line, else the runspace's current connection; null when there is neither.</summary>
        public static DbxConnection Connection(IDictionary fakeBoundParameters) =>
            Value(fakeBoundParameters, "Connection") as DbxConnection ?? RunspaceSessions<DbxConnection>.Current;

        /// <summary>The -ObjectType values on the command line; <paramref name="otherwise"/> when none.</summary>
        public static IReadOnlyList<ObjectType> ObjectTypes(IDictionary fakeBoundParameters, params ObjectType[] otherwise)
        {
            var value = Value(fakeBoundParameters, "ObjectType");
            var values = value is IEnumerable list && !(value is string) ? list.Cast<object>() : value == null ? Enumerable.Empty<object>() : new[] { value };
            var types = values.Select(v => Enum.TryParse<ObjectType>((v is PSObject p ? p.BaseObject : v)?.ToString(), true, out var t) ? (ObjectType?)t : null)
                .Where(t => t.HasValue).Select(t => t.Value).Distinct().ToList();
            return types.Count > 0 ? types : otherwise;
        }

        private static object Value(IDictionary parameters, string name)
        {
            if (parameters == null) return null;
            foreach (DictionaryEntry entry in parameters)
                if (string.Equals(entry.Key as string, name, StringComparison.OrdinalIgnoreCase))
                    return entry.Value is PSObject p ? p.BaseObject : entry.Value;
            return null;
        }

        private static string Unquote(string word)
        {
            if (word.Length > 0 && (word[0] == '\'' || word[0] == '"')) word = word.Substring(1);
            if (word.Length > 0 && (word[word.Length - 1] == '\'' || word[word.Length - 1] == '"')) word = word.Substring(0, word.Length - 1);
            return word;
        }

        // Anything the argument parser would read as syntax (spaces, quotes, brackets, &, $..., or @ # - first) is single-quoted.
        private static string Quote(string value) =>
            value.IndexOfAny(" \t'\"`$&|;,(){}[]<>".ToCharArray()) >= 0 || "@#-".IndexOf(value[0]) >= 0
                ? "'" + value.Replace("'", "''") + "'"
                : value;
    }
}
