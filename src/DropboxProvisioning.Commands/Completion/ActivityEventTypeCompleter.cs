using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using DropboxProvisioning.Activity;

namespace DropboxProvisioning.Commands.Completion
{
    /// <summary>-EventType and -Category of Get-DbxActivity: team_log's event type and category tags.</summary>
    public sealed class ActivityEventTypeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Safely(() => Completions.Complete(wordToComplete,
                string.Equals(parameterName, "Category", System.StringComparison.OrdinalIgnoreCase)
                    ? ActivityEventTypes.All.Select(t => t.Category).Distinct().OrderBy(c => c).Select(c => (c, "Dropbox event category"))
                    : ActivityEventTypes.All.OrderBy(t => t.EventType).Select(t => (t.EventType, $"{t.Activity} ({t.Category})"))));
    }
}
