using System;
using System.Collections.Generic;
using DropboxProvisioning.Mapping.Expressions;

namespace DropboxProvisioning.Engine.Tests.Expressions
{
    /// <summary>Short ways to parse and evaluate an expression against a few attribute values.</summary>
    internal static class ExpressionTestHelpers
    {
        public static readonly DateTimeOffset FixedNow = new DateTimeOffset(2021, 7, 2, 15, 33, 38, 250, TimeSpan.Zero);

        public static ExpressionContext Context(Func<string, bool> isUnique = null, int seed = 42) =>
            new ExpressionContext { Clock = () => FixedNow, Random = new Random(seed), IsValueUnique = isUnique };

        public static DictionaryAttributeSource Source(params (string Name, object Value)[] attributes)
        {
            var source = new DictionaryAttributeSource();
            foreach (var (name, value) in attributes)
            {
                source[name] = value;
            }

            return source;
        }

        public static object Eval(string expression, params (string Name, object Value)[] attributes) =>
            ExpressionParser.Parse(expression).Evaluate(Source(attributes), Context());

        public static object EvalWith(string expression, ExpressionContext context, params (string Name, object Value)[] attributes) =>
            ExpressionParser.Parse(expression).Evaluate(Source(attributes), context);

        public static ExpressionException ParseError(string expression) =>
            Xunit.Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(expression));

        public static IReadOnlyList<string> Multi(params string[] values) => values;
    }
}
