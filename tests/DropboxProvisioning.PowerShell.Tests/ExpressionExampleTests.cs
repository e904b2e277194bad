using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>One runspace with the module imported, shared by every case of a test class.</summary>
    public sealed class SharedPowerShellSession : IDisposable
    {
        public PowerShellSession Session { get; } = new PowerShellSession();

        public void Dispose() => Session.Dispose();
    }

    /// <summary>
    /// Every documented expression example of tests/data/expression-examples.json, evaluated as an admin would:
    /// Test-DbxAttributeMapping -SourceAttributes @{...} -Expression '...' in a real runspace.
    /// </summary>
    public sealed class ExpressionExampleTests : IClassFixture<SharedPowerShellSession>
    {
        private const string Script = "Test-DbxAttributeMapping -SourceAttributes $attributes -Expression $expression";

        private readonly PowerShellSession _ps;

        public ExpressionExampleTests(SharedPowerShellSession shared) => _ps = shared.Session;

        /// <summary>Every example: the clock and the values taken in the target go in through -Now and -TakenValue.</summary>
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
        public void Documented_example_through_Test_DbxAttributeMapping(string name)
        {
            var example = ExpressionExamples.Named(name);
            var attributes = new Hashtable();
            foreach (var pair in example.Attributes) attributes[pair.Key] = pair.Value;
            var variables = new Dictionary<string, object> { ["attributes"] = attributes, ["expression"] = example.Expression, ["now"] = example.Now, ["taken"] = example.Taken?.ToArray() };
            var script = Script + (example.Now != null ? " -Now $now" : "") + (example.Taken != null ? " -TakenValue $taken" : "");

            // Random output is checked as many times as the engine checks seeds; the cmdlet draws real randomness each time.
            for (var run = 0; run < (example.Seeds?.Count ?? 1); run++)
            {
                var result = _ps.Single<ExpressionTestResult>(script, variables);
                Assert.Equal(example.Expression, result.Expression);
                Assert.Equal(!example.IgnoreFlow, result.Flows);
                if (example.IgnoreFlow) Assert.Null(result.Value);
                else if (example.Matches != null) Assert.Matches(example.Matches, Assert.IsType<string>(result.Value));
                else if (example.Expected is string[] many) Assert.Equal(many, Assert.IsType<string[]>(result.Value));
                else if (example.Expected == null) Assert.Null(result.Value);
                else Assert.Equal(example.Expected, result.Value);
                Assert.Equal(result.Value == null ? "null" : result.Value.GetType().Name, result.ValueType);
            }
        }
        [Fact]
        public void Values_typed_in_PowerShell_reach_the_expression_as_the_examples_give_them()
        {
            // The examples' hashtables are built in C#; an admin types them. Int32 and Int64 literals, arrays and $null.
            object Value(string script) => _ps.Single<ExpressionTestResult>(script).Value;
            Assert.Equal("1/1/2012 11:00:00 PM", Value("Test-DbxAttributeMapping @{ lastLogonTimestamp = 129699324000000000 } -Expression 'DateFromNum([lastLogonTimestamp])'"));
            Assert.Equal(6L, Value("Test-DbxAttributeMapping @{ n = 7 } -Expression 'BitAnd([n], 6)'"));
            Assert.Equal(new[] { "SMTP:a@contoso.com", "smtp:b@contoso.com" },
                Value("Test-DbxAttributeMapping @{ proxyAddresses = 'SMTP:a@contoso.com', 'smtp:b@contoso.com', 'SMTP:a@contoso.com' } -Expression 'RemoveDuplicates([proxyAddresses])'"));
            Assert.Equal("John.Doe@contoso.com", Value("Test-DbxAttributeMapping @{ mail = $null; userPrincipalName = 'John.Doe@contoso.com' } -Expression 'Coalesce([mail],[userPrincipalName])'"));
            Assert.Equal(true, Value("Test-DbxAttributeMapping @{ attribute1 = 'same'; attribute2 = 'same' } -Expression 'CBool([attribute1] = [attribute2])'"));
        }
    }

    /// <summary>Test-DbxAttributeMapping -Expression refuses a bad expression with the engine's error id.</summary>
    public sealed class ExpressionErrorTests : IClassFixture<SharedPowerShellSession>
    {
        private readonly PowerShellSession _ps;

        public ExpressionErrorTests(SharedPowerShellSession shared) => _ps = shared.Session;

        private System.Management.Automation.ErrorRecord Refused(string expression)
        {
            var output = _ps.Invoke("Test-DbxAttributeMapping -SourceAttributes @{ mail = 'Adele@Contoso.com' } -Expression $expression",
                new Dictionary<string, object> { ["expression"] = expression });
            Assert.Empty(output);
            var error = Assert.Single(_ps.Errors);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(expression, error.TargetObject);
            return error;
        }

        [Fact]
        public void A_malformed_expression_is_a_syntax_error_that_names_the_column()
        {
            var error = Refused("ToLower([mail]");
            Assert.StartsWith("TestDbxAttributeMappingExpressionSyntax,", error.FullyQualifiedErrorId);
            Assert.Contains("column 15", error.Exception.Message);
        }

        [Fact]
        public void An_unknown_function_is_refused_by_name()
        {
            var error = Refused("tolower([mail])");
            Assert.StartsWith("TestDbxAttributeMappingExpressionUnknownFunction,", error.FullyQualifiedErrorId);
            Assert.Contains("tolower", error.Exception.Message);
        }

        [Fact]
        public void A_wrong_argument_count_is_refused()
        {
            var error = Refused("ToLower([mail], \"en-US\", 3)");
            Assert.StartsWith("TestDbxAttributeMappingExpressionArgumentCount,", error.FullyQualifiedErrorId);
            Assert.Contains("ToLower", error.Exception.Message);
        }

        [Fact]
        public void The_session_still_evaluates_after_an_error()
        {
            Refused("ToLower([mail]");
            var result = _ps.Single<ExpressionTestResult>("Test-DbxAttributeMapping -SourceAttributes @{ mail = 'Adele@Contoso.com' } -Expression 'ToLower([mail])'");
            Assert.Equal("adele@contoso.com", result.Value);
        }
    }
}
