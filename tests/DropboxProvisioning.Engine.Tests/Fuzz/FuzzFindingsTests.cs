using System.Collections.Generic;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.Mapping.Scoping;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Fuzz
{
    /// <summary>What the fuzzers found, pinned: each failed with a foreign exception before it was fixed.</summary>
    public sealed class FuzzFindingsTests
    {
        private static object Eval(string expression, params (string Name, object Value)[] attributes)
        {
            var source = new DictionaryAttributeSource();
            foreach (var (name, value) in attributes) source[name] = value;
            return ExpressionParser.Parse(expression).Evaluate(source);
        }

        [Fact]
        public void NormalizeDiacritics_of_a_lone_surrogate_keeps_the_rest() =>
            // Was: ArgumentException "String contains invalid Unicode code points" from string.Normalize.
            Assert.Equal("Zoe\uFFFD", Eval("NormalizeDiacritics([x])", ("x", "Zoë\uD800")));

        [Theory]
        [InlineData("-1")]
        [InlineData("+4")]
        [InlineData(" -128")]
        public void FormatDateTime_refuses_a_numeric_style(string styles)
        {
            // Was: ArgumentException "An undefined DateTimeStyles value is being used" (Enum.TryParse takes "-1").
            var e = Assert.Throws<ExpressionException>(() => Eval("FormatDateTime(\"2020\", [s], \"yyyy\", \"yyyy\")", ("s", styles)));
            Assert.Contains("DateTimeStyles", e.Message);
        }

        [Theory]
        [InlineData("\\\"")]
        [InlineData("\\\\")]
        public void FormatDateTime_refuses_an_input_format_that_is_not_one(string format)
        {
            // Was: FormatException "Input string was not in a correct format" from DateTime.TryParseExact.
            var e = Assert.Throws<ExpressionException>(() => Eval("FormatDateTime(\"x\", , [f], \"yyyy\")", ("f", format)));
            Assert.Contains("input format", e.Message);
        }
    
        [Theory]
        [InlineData(ScopingOperator.Exists)]
        [InlineData(ScopingOperator.NotExists)]
        [InlineData(ScopingOperator.Includes)]
        [InlineData(ScopingOperator.EndsWith)]
        public void A_clause_without_its_value_is_refused_when_evaluated(ScopingOperator op)
        {
            // Was: NullReferenceException / ArgumentNullException from string.IndexOf(null).
            var set = new ScopingFilterSet(new ScopingFilter("f", new ScopingClause("department", op, null)));
            var e = Assert.Throws<ScopingException>(() => set.Evaluate(new DictionaryAttributeSource { ["department"] = "Sales" }));
            Assert.Equal(ScopingErrorIds.MissingValue, e.ErrorId);
        }
    }
}
