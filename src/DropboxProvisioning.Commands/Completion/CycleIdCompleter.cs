using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Completion
{
    /// <summary>-CycleId: the cycles in the job's provisioning log, newest first, with when they started and, while the state remembers them, what they did.</summary>
    public sealed class CycleIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Safely(() =>
            {
                var connection = Completions.Connection(fakeBoundParameters);
                if (connection == null) return Enumerable.Empty<CompletionResult>();
                var history = connection.Store.LoadState().History.Where(h => h.CycleId != null)
                    .GroupBy(h => h.CycleId).ToDictionary(g => g.Key, g => g.First());
                var candidates = connection.Store.Logs.Cycles().Select(cycle => (
                    cycle.CycleId,
                    history.TryGetValue(cycle.CycleId, out var summary)
                        ? $"{cycle.StartTime.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z {summary.Mode} {summary.Status}: created {summary.Created}, updated {summary.Updated}, suspended {summary.Suspended}, deleted {summary.Deleted}"
                        : $"{cycle.StartTime.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z"));
                return Completions.Complete(wordToComplete, candidates);
            });
    }
}
