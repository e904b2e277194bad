using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Commands.Completion
{
    /// <summary>
    /// -SourceAttribute: the Entra (Graph) user or group properties the engine reads, and the directory extension attributes
    /// (extension_&lt;app id&gt;_&lt;name&gt;) the job's mappings and scoping filters already use.
    /// </summary>
    public sealed class SourceAttributeCompleter : IArgumentCompleter
    {
        private static readonly Regex Extension = new Regex(@"extension_[A-Za-z0-9_]+", RegexOptions.CultureInvariant);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Safely(() =>
            {
                var connection = Completions.Connection(fakeBoundParameters);
                var mappings = connection?.Store.LoadConfiguration().Mappings;
                var candidates = new List<(string, string)>();
                foreach (var type in Completions.ObjectTypes(fakeBoundParameters, ObjectType.User))
                {
                    var properties = type == ObjectType.User ? GraphAttributeNames.UserProperties : GraphAttributeNames.GroupProperties;
                    candidates.AddRange(properties.OrderBy(p => p, StringComparer.OrdinalIgnoreCase).Select(p => (p, $"Entra {type.ToString().ToLowerInvariant()} attribute")));
                    var mapping = mappings?.For(type);
                    if (mapping == null) continue;
                    var seen = mapping.Attributes.SelectMany(a => new[] { a.SourceAttribute, a.Expression })
                        .Concat(mapping.ScopingFilters.SelectMany(f => f.Clauses).Select(c => c.SourceAttribute))
                        .Where(text => text != null)
                        .SelectMany(text => Extension.Matches(text).Cast<Match>().Select(m => m.Value));
                    candidates.AddRange(seen.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(e => e, StringComparer.OrdinalIgnoreCase)
                        .Select(e => (e, "Directory extension attribute used by this job's mappings")));
                }
                return Completions.Complete(wordToComplete, candidates);
            });
    }
}
