using System.Collections.Generic;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.Mapping.Scoping;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Scoping
{
    /// <summary>Each operator's true, false and null/empty cases, as Entra's scoping-filter article describes them.</summary>
    public class ScopingOperatorTests
    {
        private static bool Evaluate(ScopingOperator op, string value, object attribute)
        {
            var source = new DictionaryAttributeSource { ["attr"] = attribute };
            var set = new ScopingFilterSet(new ScopingFilter("f", new ScopingClause("attr", op, value)));
            return set.Evaluate(source).InScope;
        }

        [Theory]
        // EQUALS: exact and case-sensitive
        [InlineData(ScopingOperator.Equals, "Sales", "Sales", true)]
        [InlineData(ScopingOperator.Equals, "Sales", "sales", false)]
        [InlineData(ScopingOperator.Equals, "Sales", null, false)]
        [InlineData(ScopingOperator.Equals, "Sales", "", false)]
        // NOT EQUALS: case-sensitive; false on null/empty
        [InlineData(ScopingOperator.NotEquals, "Sales", "sales", true)]
        [InlineData(ScopingOperator.NotEquals, "Sales", "Sales", false)]
        [InlineData(ScopingOperator.NotEquals, "Sales", null, false)]
        [InlineData(ScopingOperator.NotEquals, "Sales", "", false)]
        // REGEX MATCH / NOT REGEX MATCH: case-sensitive .NET regex; NOT is false on null/empty
        [InlineData(ScopingOperator.RegexMatch, ".*\\@domain.com", "jo@domain.com", true)]
        [InlineData(ScopingOperator.RegexMatch, ".*\\@domain.com", "jo@DOMAIN.com", false)]
        [InlineData(ScopingOperator.RegexMatch, "([1-9][0-9])", "42", true)]
        [InlineData(ScopingOperator.RegexMatch, "([1-9][0-9])", "7", false)]
        [InlineData(ScopingOperator.RegexMatch, ".*", null, false)]
        [InlineData(ScopingOperator.NotRegexMatch, ".*\\@domain.com", "jo@other.com", true)]
        [InlineData(ScopingOperator.NotRegexMatch, ".*\\@domain.com", "jo@domain.com", false)]
        [InlineData(ScopingOperator.NotRegexMatch, ".*\\@domain.com", null, false)]
        [InlineData(ScopingOperator.NotRegexMatch, ".*\\@domain.com", "", false)]
        // GREATER_THAN / GREATER_THAN_OR_EQUALS: integers only
        [InlineData(ScopingOperator.GreaterThan, "1000000", "1500000", true)]
        [InlineData(ScopingOperator.GreaterThan, "1000000", "1000000", false)]
        [InlineData(ScopingOperator.GreaterThan, "10", "12.5", false)]
        [InlineData(ScopingOperator.GreaterThan, "10", "abc", false)]
        [InlineData(ScopingOperator.GreaterThan, "10", null, false)]
        [InlineData(ScopingOperator.GreaterThanOrEquals, "1000000", "1000000", true)]
        [InlineData(ScopingOperator.GreaterThanOrEquals, "1000000", "999999", false)]
        [InlineData(ScopingOperator.GreaterThanOrEquals, "0", "", false)]
        // INCLUDES: case-sensitive substring
        [InlineData(ScopingOperator.Includes, "Eng", "Engineering", true)]
        [InlineData(ScopingOperator.Includes, "eng", "Engineering", false)]
        [InlineData(ScopingOperator.Includes, "Eng", null, false)]
        // ENDS_WITH
        [InlineData(ScopingOperator.EndsWith, "@contoso.com", "a@contoso.com", true)]
        [InlineData(ScopingOperator.EndsWith, "@contoso.com", "a@contoso.com.au", false)]
        [InlineData(ScopingOperator.EndsWith, "@contoso.com", null, false)]
        // & : the attribute's value exists in the clause value
        [InlineData(ScopingOperator.Exists, "Sales,Marketing,HR", "Marketing", true)]
        [InlineData(ScopingOperator.Exists, "Sales,Marketing,HR", "Engineering", false)]
        [InlineData(ScopingOperator.Exists, "Sales,Marketing,HR", null, false)]
        // !& : the attribute's value does not exist in the clause value; false on null/empty
        [InlineData(ScopingOperator.NotExists, "Sales,Marketing,HR", "Engineering", true)]
        [InlineData(ScopingOperator.NotExists, "Sales,Marketing,HR", "Sales", false)]
        [InlineData(ScopingOperator.NotExists, "Sales,Marketing,HR", "", false)]
        public void StringOperators(ScopingOperator op, string value, string attribute, bool expected) =>
            Assert.Equal(expected, Evaluate(op, value, attribute));

        [Theory]
        [InlineData(ScopingOperator.IsTrue, true, true)]
        [InlineData(ScopingOperator.IsTrue, false, false)]
        [InlineData(ScopingOperator.IsTrue, "True", true)]
        [InlineData(ScopingOperator.IsTrue, "yes", false)]
        [InlineData(ScopingOperator.IsTrue, null, false)]
        [InlineData(ScopingOperator.IsFalse, false, true)]
        [InlineData(ScopingOperator.IsFalse, true, false)]
        [InlineData(ScopingOperator.IsFalse, "false", true)]
        [InlineData(ScopingOperator.IsFalse, null, false)]
        [InlineData(ScopingOperator.IsNull, null, true)]
        [InlineData(ScopingOperator.IsNull, "", true)]
        [InlineData(ScopingOperator.IsNull, "x", false)]
        [InlineData(ScopingOperator.IsNotNull, "x", true)]
        [InlineData(ScopingOperator.IsNotNull, null, false)]
        [InlineData(ScopingOperator.IsNotNull, "", false)]
        public void UnaryOperators(ScopingOperator op, object attribute, bool expected) =>
            Assert.Equal(expected, Evaluate(op, null, attribute));

        [Fact]
        public void IntegerAttributes_CompareNumerically()
        {
            Assert.True(Evaluate(ScopingOperator.GreaterThan, "9", 10L));
            Assert.False(Evaluate(ScopingOperator.GreaterThan, "10", 9L));
            Assert.True(Evaluate(ScopingOperator.Equals, "10", 10L));
            Assert.False(Evaluate(ScopingOperator.GreaterThan, "0", true));
        }

        [Fact]
        public void BooleanAttributes_CompareAsTrueFalseText() => Assert.True(Evaluate(ScopingOperator.Equals, "True", true));

        [Fact]
        public void MultiValuedAttributes_AreNotFilterable()
        {
            IReadOnlyList<string> values = new[] { "Sales" };
            Assert.False(Evaluate(ScopingOperator.Equals, "Sales", values));
            Assert.True(Evaluate(ScopingOperator.IsNotNull, null, values));
            Assert.True(Evaluate(ScopingOperator.IsNull, null, new string[0]));
        }

        [Fact]
        public void RegexTimeout_IsATypedErrorQuicklyNotAHang()
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var error = Assert.Throws<ScopingException>(() => Evaluate(ScopingOperator.RegexMatch, "(a+)+$", new string('a', 40) + "!"));
            Assert.Equal(ScopingErrorIds.RegexTimeout, error.ErrorId);
            Assert.Equal("f", error.FilterName);
            Assert.Equal(0, error.ClauseIndex);
            Assert.True(watch.ElapsedMilliseconds < 5000);
        }

        [Theory]
        [InlineData("EQUALS", ScopingOperator.Equals)]
        [InlineData("NOT EQUALS", ScopingOperator.NotEquals)]
        [InlineData("not_equals", ScopingOperator.NotEquals)]
        [InlineData("IS NOT NULL", ScopingOperator.IsNotNull)]
        [InlineData("REGEX MATCH", ScopingOperator.RegexMatch)]
        [InlineData("Greater_Than_OR_EQUALS", ScopingOperator.GreaterThanOrEquals)]
        [InlineData("Includes", ScopingOperator.Includes)]
        [InlineData("ENDS_WITH", ScopingOperator.EndsWith)]
        [InlineData("&", ScopingOperator.Exists)]
        [InlineData("!&", ScopingOperator.NotExists)]
        [InlineData("NotRegexMatch", ScopingOperator.NotRegexMatch)]
        public void OperatorNames_Parse(string text, ScopingOperator expected)
        {
            Assert.True(ScopingOperators.TryParse(text, out var op));
            Assert.Equal(expected, op);
        }

        [Theory]
        [InlineData("LIKE")]
        [InlineData("7")]
        [InlineData("")]
        public void UnknownOperatorNames_DoNotParse(string text) => Assert.False(ScopingOperators.TryParse(text, out _));
    }
}
