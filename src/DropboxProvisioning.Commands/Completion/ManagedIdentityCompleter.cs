using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace DropboxProvisioning.Commands.Completion
{
    /// <summary>-Identity: the Dropbox users and groups the job manages, from its state (the first matches only, for a large tenant).</summary>
    public sealed class ManagedIdentityCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Safely(() =>
            {
                var connection = Completions.Connection(fakeBoundParameters);
                if (connection == null) return Enumerable.Empty<CompletionResult>();
                var state = connection.Store.LoadState();
                var candidates = state.Users.Values.Select(u => (u.TargetIdentity, $"User {u.TargetId}{(u.Active ? "" : " (suspended)")}"))
                    .Concat(state.Groups.Values.Select(g => (g.TargetIdentity, $"Group {g.TargetId}")))
                    .OrderBy(c => c.TargetIdentity, System.StringComparer.OrdinalIgnoreCase);
                return Completions.Complete(wordToComplete, candidates, Completions.MaxFromState);
            });
    }
}
