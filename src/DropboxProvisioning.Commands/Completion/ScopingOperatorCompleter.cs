using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using DropboxProvisioning.Mapping.Scoping;

namespace DropboxProvisioning.Commands.Completion
{
    /// <summary>-Operator of a scoping clause: Entra's operator names (EQUALS, NOT_EQUALS, ..., &amp;, !&amp;).</summary>
    public sealed class ScopingOperatorCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Safely(() => Completions.Complete(wordToComplete,
                Enum.GetValues(typeof(ScopingOperator)).Cast<ScopingOperator>().Select(op => (
                    ScopingOperators.ToEntraName(op),
                    ScopingOperators.RequiresValue(op) ? $"{op}: compares the attribute with -Value" : $"{op}: takes no -Value"))));
    }
}
