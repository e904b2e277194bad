using System.Linq;
using DropboxProvisioning.Mapping.Expressions;
using Xunit;
using static DropboxProvisioning.Engine.Tests.Expressions.ExpressionTestHelpers;

namespace DropboxProvisioning.Engine.Tests.Expressions
{
    /// <summary>Grammar, error reporting (id, column, message) and parse-time checks.</summary>
    public class ParserTests
    {
        [Theory]
        [InlineData("Append([a], \"x\"", 16, "Expected ')' at column 16")]
        [InlineData("Append([a] \"x\")", 12, "Expected ',' or ')' at column 12")]
        [InlineData("Append([a], \"x\")) ", 17, "Expected end of expression at column 17")]
        [InlineData("Append([a, \"x\")", 10, "Expected ']' at column 10")]
        [InlineData("Append([a], \"x)", 16, "Expected '\"' to close the string that starts at column 13 at column 16")]
        [InlineData("", 1, "Expected an attribute, a string or a function at column 1")]
        [InlineData("   ", 4, "Expected an attribute, a string or a function at column 4")]
        [InlineData("Append([a], ?)", 13, "Expected an attribute, a string or a function at column 13")]
        [InlineData("Append []", 8, "Expected '(' after 'Append' at column 8")]
        [InlineData("Append([], \"x\")", 9, "Expected an attribute name at column 9")]
        [InlineData("Left([a], 3x)", 11, "Expected a whole number at column 11")]
        [InlineData("BitAnd(&H, 1)", 10, "Expected hexadecimal digits after '&H' at column 10")]
        [InlineData("IIF([a]=, \"x\", \"y\")", 9, "Expected an attribute, a string or a function at column 9")]
        public void SyntaxErrors_NameTheColumnAndWhatWasExpected(string expression, int column, string message)
        {
            var error = ParseError(expression);
            Assert.Equal(ExpressionErrorIds.ExpressionSyntax, error.ErrorId);
            Assert.Equal(column, error.Position);
            Assert.Equal(message, error.Message);
        }

        [Fact]
        public void UnknownFunction_SuggestsTheCaseSensitiveName()
        {
            var error = ParseError("Append(tolower([mail]), \"x\")");
            Assert.Equal(ExpressionErrorIds.UnknownFunction, error.ErrorId);
            Assert.Equal(8, error.Position);
            Assert.Equal("Function 'tolower' is not known; names are case-sensitive: did you mean 'ToLower'?", error.Message);
        }

        [Fact]
        public void UnknownFunction_SuggestsNearestNameForTypos()
        {
            var error = ParseError("Apend([mail], \"x\")");
            Assert.Equal(ExpressionErrorIds.UnknownFunction, error.ErrorId);
            Assert.Contains("did you mean 'Append'?", error.Message);
        }

        [Fact]
        public void UnknownFunction_WithoutPlausibleSuggestion()
        {
            var error = ParseError("Frobnicate([mail])");
            Assert.Equal("Function 'Frobnicate' is not known.", error.Message);
        }

        [Theory]
        [InlineData("Left(\"abc\")", "Function 'Left' takes 2 arguments but was given 1")]
        [InlineData("Append([a], \"b\", \"c\")", "Function 'Append' takes 2 arguments but was given 3")]
        [InlineData("InStr([a])", "Function 'InStr' takes 2 to 4 arguments but was given 1")]
        [InlineData("Join(\",\")", "Function 'Join' takes at least 2 arguments but was given 1")]
        [InlineData("SelectUniqueValue([a])", "Function 'SelectUniqueValue' takes at least 2 arguments but was given 1")]
        [InlineData("Now(1)", "Function 'Now' takes 0 arguments but was given 1")]
        [InlineData("Replace([a], , , , , , , )", "Function 'Replace' takes 1 to 7 arguments but was given 8")]
        public void ArgumentCount_IsCheckedAtParseTime(string expression, string messageStart)
        {
            var error = ParseError(expression);
            Assert.Equal(ExpressionErrorIds.ArgumentCount, error.ErrorId);
            Assert.StartsWith(messageStart, error.Message);
            Assert.Equal(1, error.Position);
        }

        [Theory]
        [InlineData("Switch([a], \"d\", \"k\")")]
        [InlineData("Switch([a], \"d\", \"k\", \"v\", \"k2\")")]
        public void Switch_NeedsKeyValuePairs(string expression) =>
            Assert.Equal(ExpressionErrorIds.ArgumentCount, ParseError(expression).ErrorId);

        [Fact]
        public void RequiredArgument_CannotBeLeftEmpty()
        {
            var error = ParseError("Append(, \"x\")");
            Assert.Equal(ExpressionErrorIds.InvalidArgument, error.ErrorId);
            Assert.Contains("requires argument 1", error.Message);
        }

        [Fact]
        public void ExpressionTooLong_Over10000Characters()
        {
            var text = "\"" + new string('a', 9999) + "\"";
            var error = ParseError(text);
            Assert.Equal(ExpressionErrorIds.ExpressionTooLong, error.ErrorId);
        }

        [Fact]
        public void ExpressionOfExactly10000Characters_IsAccepted()
        {
            var text = "\"" + new string('a', 9998) + "\"";
            Assert.Equal(10000, text.Length);
            Assert.Equal(new string('a', 9998), ExpressionParser.Parse(text).Evaluate(Source()));
        }

        [Fact]
        public void StringEscapes_QuoteAndBackslash() =>
            Assert.Equal("Company name: \"Contoso\" \\ done", Eval("\"Company name: \\\"Contoso\\\" \\\\ done\""));

        [Fact]
        public void StringEscapes_OtherBackslashesAreKept() => Assert.Equal("\\d+", Eval("\"\\d+\""));

        [Fact]
        public void BareAttribute_IsAnExpression()
        {
            var parsed = ExpressionParser.Parse("[mail]");
            Assert.True(parsed.IsAttributeReference);
            Assert.Equal("a@b.c", parsed.Evaluate(Source(("MAIL", "a@b.c"))));
        }

        [Fact]
        public void BareStringLiteral_IsAnExpression()
        {
            var parsed = ExpressionParser.Parse("  \"Contoso\"  ");
            Assert.True(parsed.IsConstant);
            Assert.Equal("Contoso", parsed.Evaluate(null));
        }

        [Fact]
        public void AttributeNames_MayContainDotsColonsUnderscores() =>
            Assert.Equal("x", Eval("Coalesce([extension_abc_employeeType], [urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department])", ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "x")));

        [Fact]
        public void EmptyOptionalPositions_AreAccepted()
        {
            var parsed = ExpressionParser.Parse("Replace([mail], , \"(?<user>.*)@.*\", \"user\", , , )");
            Assert.Equal(new[] { "mail" }, parsed.ReferencedAttributes);
            // No replacementValue: the group's text is replaced with "".
            Assert.Equal("@contoso.com", parsed.Evaluate(Source(("mail", "john@contoso.com"))));
        }

        [Fact]
        public void Whitespace_IsAllowedBetweenTokens() =>
            Assert.Equal("ab", Eval(" \tAppend (\r\n [a] ,\n \"b\" ) ", ("a", "a")));

        [Fact]
        public void ReferencedAttributes_AreDistinctCaseInsensitiveInOrder()
        {
            var parsed = ExpressionParser.Parse("Join(\" \", [givenName], [surname], [GivenName], IIF([country]=\"US\", [c], [d]))");
            Assert.Equal(new[] { "givenName", "surname", "country", "c", "d" }, parsed.ReferencedAttributes.ToArray());
        }

        [Fact]
        public void LiteralRegexThatDoesNotCompile_FailsAtParseTime()
        {
            var error = ParseError("Replace([a], , \"(unclosed\", , \"\", , )");
            Assert.Equal(ExpressionErrorIds.InvalidArgument, error.ErrorId);
            Assert.Equal(16, error.Position);
        }

        [Fact]
        public void LiteralRegexGroupThatDoesNotExist_FailsAtParseTime() =>
            Assert.Equal(ExpressionErrorIds.InvalidArgument, ParseError("Replace([a], , \"(?<x>a)\", \"y\", \"\", , )").ErrorId);

        [Theory]
        [InlineData("DateAdd(\"q\", 1, Now())")]
        [InlineData("DateDiff(\"D\", Now(), Now())")]
        [InlineData("ToLower([a], \"xx-NOT-A-CULTURE-xx\")")]
        [InlineData("InStr([a], \"b\", 1, \"vbFancyCompare\")")]
        [InlineData("FormatDateTime([a], \"NotAStyle\", \"yyyy\", \"yyyy\")")]
        [InlineData("RandomString(3, 2, 2, 0, 0)")]
        [InlineData("RandomString(300, 0, 0, 0, 0)")]
        public void InvalidLiteralArguments_FailAtParseTime(string expression) =>
            Assert.Equal(ExpressionErrorIds.InvalidArgument, ParseError(expression).ErrorId);

        [Fact]
        public void SelectUniqueValue_CannotBeNested()
        {
            var error = ParseError("ToLower(SelectUniqueValue([a], [b]))");
            Assert.Equal(ExpressionErrorIds.InvalidArgument, error.ErrorId);
            Assert.Equal(9, error.Position);
        }

        [Theory]
        [InlineData("IIF(5 > 3, \"y\", \"n\")", "y")]
        [InlineData("IIF(5 >= 6, \"y\", \"n\")", "n")]
        [InlineData("IIF(2 < 10, \"y\", \"n\")", "y")]
        [InlineData("IIF(\"2\" < \"10\", \"y\", \"n\")", "n")]
        [InlineData("IIF(10 <= 10, \"y\", \"n\")", "y")]
        [InlineData("IIF(\"a\" <> \"A\", \"y\", \"n\")", "y")]
        [InlineData("IIF(-3 = -3, \"y\", \"n\")", "y")]
        public void ComparisonOperators(string expression, string expected) => Assert.Equal(expected, Eval(expression));

        [Fact]
        public void Nesting_DeeperThanTheLimitIsRejected()
        {
            var text = string.Concat(Enumerable.Repeat("ToLower(", 101)) + "[a]" + new string(')', 101);
            Assert.Equal(ExpressionErrorIds.ExpressionSyntax, ParseError(text).ErrorId);
        }

        [Fact]
        public void FunctionCatalog_ListsEveryEntraFunctionWithSignatures()
        {
            var expected = new[]
            {
                "Append", "AppRoleAssignmentsComplex", "AssertiveAppRoleAssignmentsComplex", "BitAnd", "CBool", "CDate", "Coalesce",
                "ConvertToBase64", "ConvertToUTF8Hex", "Count", "CStr", "DateAdd", "DateDiff", "DateFromNum", "FormatDateTime", "Guid",
                "IgnoreFlowIfNullOrEmpty", "IIF", "InStr", "IsNull", "IsNullOrEmpty", "IsPresent", "IsString", "Item", "Join", "Left",
                "Mid", "NormalizeDiacritics", "Not", "Now", "NumFromDate", "PCase", "RandomString", "Redact", "RemoveDuplicates",
                "Replace", "SelectUniqueValue", "SingleAppRoleAssignment", "Split", "StripSpaces", "Switch", "ToLower", "ToUpper", "Word",
            };
            Assert.Equal(expected.OrderBy(n => n, System.StringComparer.Ordinal), ExpressionFunctions.All.Select(f => f.Name));
            foreach (var function in ExpressionFunctions.All)
            {
                Assert.StartsWith(function.Name + "(", function.Signature);
                Assert.False(string.IsNullOrWhiteSpace(function.Description));
                Assert.True(function.MinArgs <= function.MaxArgs);
            }
        }
    }
}
