using DropboxProvisioning.Mapping.Expressions;
using Xunit;
using static DropboxProvisioning.Engine.Tests.Expressions.ExpressionTestHelpers;

namespace DropboxProvisioning.Engine.Tests.Expressions
{
    /// <summary>What each function does with a missing (null) attribute.</summary>
    public class NullHandlingTests
    {
        [Theory]
        [InlineData("Append([missing], \"x\")")]
        [InlineData("ToLower([missing])")]
        [InlineData("ToUpper([missing])")]
        [InlineData("Mid([missing], 1, 2)")]
        [InlineData("PCase([missing])")]
        [InlineData("StripSpaces([missing])")]
        [InlineData("NormalizeDiacritics([missing])")]
        [InlineData("ConvertToBase64([missing])")]
        [InlineData("ConvertToUTF8Hex([missing])")]
        [InlineData("Replace([missing], \"a\", , , \"b\", , )")]
        [InlineData("Replace([missing], , \"a\", , \"b\", , )")]
        [InlineData("Split([missing], \",\")")]
        [InlineData("CDate([missing])")]
        [InlineData("CStr([missing])")]
        [InlineData("DateAdd(\"d\", 1, [missing])")]
        [InlineData("DateDiff(\"d\", [missing], Now())")]
        [InlineData("FormatDateTime([missing], , \"yyyy\", \"yyyy\")")]
        [InlineData("NumFromDate([missing])")]
        [InlineData("DateFromNum([missing])")]
        [InlineData("BitAnd([missing], 1)")]
        [InlineData("Item([missing], 1)")]
        [InlineData("Coalesce([missing], [alsoMissing])")]
        [InlineData("SingleAppRoleAssignment([missing])")]
        [InlineData("AppRoleAssignmentsComplex([missing])")]
        [InlineData("Switch([missing], , \"a\", \"b\")")]
        [InlineData("IIF([missing] = \"a\", \"b\", \"c\")")]
        [InlineData("Redact([missing])")]
        public void NullSource_GivesNull(string expression) => Assert.Null(Eval(expression));

        [Theory]
        [InlineData("Left([missing], 3)", "")]
        [InlineData("Word([missing], 1, \" \")", "")]
        [InlineData("Join(\",\", [missing], \"b\")", "b")]
        [InlineData("Coalesce([missing], \"\")", "")]
        [InlineData("Switch([missing], \"default\", \"a\", \"b\")", "default")]
        public void DocumentedNonNullResults(string expression, string expected) => Assert.Equal(expected, Eval(expression));

        [Theory]
        [InlineData("IsNull([missing])", true)]
        [InlineData("IsNullOrEmpty([missing])", true)]
        [InlineData("IsPresent([missing])", false)]
        [InlineData("IsString([missing])", false)]
        [InlineData("Not([missing])", true)]
        [InlineData("CBool([missing])", false)]
        public void TestsOnNull(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

        [Fact]
        public void Count_OfNullIsZero() => Assert.Equal(0L, Eval("Count([missing])"));

        [Fact]
        public void InStr_OfNullIsZero() => Assert.Equal(0L, Eval("InStr([missing], \"a\")"));

        [Fact]
        public void Coalesce_SkipsEmptyStrings() => Assert.Equal("b", Eval("Coalesce([a], [b])", ("a", ""), ("b", "b")));

        [Fact]
        public void IgnoreFlow_NestedAnywhereDropsTheAttribute()
        {
            Assert.Same(IgnoreFlowSignal.Instance, Eval("Join(\"@\", IgnoreFlowIfNullOrEmpty([x]), \"contoso.com\")"));
            Assert.Equal("a@contoso.com", Eval("Join(\"@\", IgnoreFlowIfNullOrEmpty([x]), \"contoso.com\")", ("x", "a")));
            Assert.Same(IgnoreFlowSignal.Instance, Eval("CBool(IgnoreFlowIfNullOrEmpty([x]) = \"a\")", ("x", "")));
        }

        [Fact]
        public void IgnoreFlow_EmptyMultiValuedAttribute() =>
            Assert.Same(IgnoreFlowSignal.Instance, Eval("IgnoreFlowIfNullOrEmpty([proxyAddresses])", ("proxyAddresses", Multi())));

        [Fact]
        public void IsString_OnlyForStrings()
        {
            Assert.Equal(true, Eval("IsString([a])", ("a", "")));
            Assert.Equal(false, Eval("IsString([a])", ("a", 5L)));
            Assert.Equal(false, Eval("IsString([a])", ("a", true)));
        }
    }
}
