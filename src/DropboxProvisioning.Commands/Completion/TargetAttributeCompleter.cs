using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Commands.Completion
{
    /// <summary>-TargetAttribute: the Dropbox attributes the connected API takes (SCIM's, or the Team API's), for -ObjectType (User by default).</summary>
    public sealed class TargetAttributeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completions.Safely(() =>
            {
                var connection = Completions.Connection(fakeBoundParameters);
                var schema = connection == null ? TargetSchema.Scim : TargetSchema.For(connection.Api);
                var candidates = Completions.ObjectTypes(fakeBoundParameters, ObjectType.User).SelectMany(type =>
                    schema.Attributes(type).OrderBy(a => a, System.StringComparer.OrdinalIgnoreCase).Select(name =>
                    {
                        schema.TryGet(type, name, out var attribute);
                        return (name, $"{type} attribute over {schema.Name} ({attribute.Type}){(attribute.Note == null ? "" : ": " + attribute.Note)}");
                    }));
                return Completions.Complete(wordToComplete, candidates);
            });
    }
}
