using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using DropboxProvisioning.Activity;

namespace DropboxProvisioning.Commands.Completion
{
    /// <summary>-Activity of Get-DbxActivity: the connector's activity names of every team_log event type ("Upload file"...).</summary>
    public sealed class ActivityNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Safely(() => Completions.Complete(wordToComplete,
                ActivityEventTypes.All.OrderBy(t => t.Activity, System.StringComparer.OrdinalIgnoreCase)
                    .Select(t => (t.Activity, $"{t.EventType} ({t.Category}): {t.Description}"))));
    }
}
