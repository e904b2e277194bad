using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.TestSupport;
using Xunit;
using static DropboxProvisioning.Engine.Tests.Expressions.ExpressionTestHelpers;

namespace DropboxProvisioning.Engine.Tests.Expressions
{
    /// <summary>
    /// Every example of Microsoft's "Reference for writing expressions for attribute mappings in Microsoft Entra ID",
    /// with its documented input and output, evaluated by the engine. The examples live in tests/data/expression-examples.json,
    /// which the PowerShell tests run through Test-DbxAttributeMapping too. Where the doc's output contradicts its own
    /// expression, the case's note says so.
    /// </summary>
    public class DocumentedExamplesTests
    {
        public static TheoryData<string> Examples
        {
            get
            {
                var data = new TheoryData<string>();
                foreach (var example in ExpressionExamples.All) data.Add(example.Name);
                return data;
            }
        }

        [Theory]
        [MemberData(nameof(Examples))]
        public void Documented_example(string name)
        {
            var example = ExpressionExamples.Named(name);
            var attributes = example.Attributes.Select(p => (p.Key, p.Value)).ToArray();
            // Without seeds the case runs once with the helpers' context (fixed clock, seed 42), as Eval does.
            foreach (var seed in example.Seeds ?? new[] { 42 })
            {
                var context = Context(isUnique: example.Taken == null ? null : candidate => !example.Taken.Contains(candidate), seed: seed);
                if (example.Now is { } now) context.Clock = () => now;
                var parsed = ExpressionParser.Parse(example.Expression);
                if (example.Redacted) Assert.True(parsed.IsRedacted, "the expression should be redacted");
                if (example.NonDeterministic) Assert.True(parsed.IsNonDeterministic, "the expression should be non-deterministic");
                AssertResult(example, parsed.Evaluate(Source(attributes), context));
            }
        }

        private static void AssertResult(ExpressionExample example, object value)
        {
            if (example.IgnoreFlow) Assert.Same(IgnoreFlowSignal.Instance, value);
            else if (example.Matches != null) Assert.Matches(example.Matches, Assert.IsType<string>(value));
            else if (example.Expected is string[] many) Assert.Equal(many, Assert.IsAssignableFrom<IEnumerable<string>>(value));
            else if (example.Expected == null) Assert.Null(value);
            else Assert.Equal(example.Expected, value);
        }
    }
}
