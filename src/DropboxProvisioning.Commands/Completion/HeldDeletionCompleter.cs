using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace DropboxProvisioning.Commands.Completion
{
    /// <summary>-TargetIdentity of Approve-DbxProvisioningDeletion: the suspensions and deletions the threshold holds, from the state.</summary>
    public sealed class HeldDeletionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Safely(() =>
            {
                var connection = Completions.Connection(fakeBoundParameters);
                if (connection == null) return Enumerable.Empty<CompletionResult>();
                return Completions.Complete(wordToComplete, connection.Store.LoadState().StagedDeletions
                    .Select(d => (d.TargetIdentity, $"{d.Action} {d.ObjectType} {d.TargetId}: {d.Reason}")));
            });
    }
}
