using System.Diagnostics;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.Mapping.Scoping;
using Xunit;
using Xunit.Abstractions;

namespace DropboxProvisioning.Engine.Tests.Expressions
{
    /// <summary>
    /// A coarse guard on the budget the engine needs (200,000 users per second per core for mapping + scoping).
    /// The assertion is loose so Debug builds and busy CI machines pass; the measured rate is printed.
    /// </summary>
    public class ThroughputTests
    {
        private static readonly string[] TypicalMapping =
        {
            "[userPrincipalName]",
            "[mail]",
            "[givenName]",
            "[surname]",
            "Join(\" \", [givenName], [surname])",
            "Not([IsSoftDeleted])",
            "Switch([department], \"Other\", \"Sales\", \"S\", \"Engineering\", \"E\")",
            "ToLower(Replace([userPrincipalName], , \"(?<suffix>@.*)\", \"suffix\", \"@dropbox.contoso.com\", , ))",
        };

        private readonly ITestOutputHelper output;

        public ThroughputTests(ITestOutputHelper output)
        {
            this.output = output;
        }

        [Fact]
        public void EightAttributeMappingPlusScoping_IsFast()
        {
            var expressions = System.Array.ConvertAll(TypicalMapping, ExpressionParser.Parse);
            var scoping = new ScopingFilterSet(new ScopingFilter(
                "employees",
                new ScopingClause("department", ScopingOperator.IsNotNull),
                new ScopingClause("userPrincipalName", ScopingOperator.EndsWith, "@contoso.com")));
            var user = new DictionaryAttributeSource
            {
                ["userPrincipalName"] = "John.Doe@contoso.com",
                ["mail"] = "john.doe@contoso.com",
                ["givenName"] = "John",
                ["surname"] = "Doe",
                ["IsSoftDeleted"] = false,
                ["department"] = "Sales",
            };
            var context = new ExpressionContext();

            for (var i = 0; i < 2000; i++)
            {
                Run(expressions, scoping, user, context);
            }

            const int users = 100000;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < users; i++)
            {
                Run(expressions, scoping, user, context);
            }

            watch.Stop();
            var perSecond = users / watch.Elapsed.TotalSeconds;
            output.WriteLine($"{perSecond:N0} users/s (8 expressions + 2-clause scoping, one thread)");
            Assert.True(perSecond > 20000, $"only {perSecond:N0} users/s");
        }

        private static void Run(ParsedExpression[] expressions, ScopingFilterSet scoping, IAttributeSource user, ExpressionContext context)
        {
            if (!scoping.Evaluate(user).InScope)
            {
                throw new System.InvalidOperationException("expected in scope");
            }

            foreach (var expression in expressions)
            {
                expression.Evaluate(user, context);
            }
        }
    }
}
