using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Mapping.Expressions;
using Xunit;
using static DropboxProvisioning.Engine.Tests.Expressions.ExpressionTestHelpers;

namespace DropboxProvisioning.Engine.Tests.Expressions
{
    /// <summary>Behaviour beyond the documented examples: edges, determinism, roles, uniqueness, regex limits.</summary>
    public class FunctionBehaviourTests
    {
        [Theory]
        [InlineData("Left(\"John\", 0)", "")]
        [InlineData("Left(\"John\", -1)", "John")]
        [InlineData("Left(\"John\", 10)", "John")]
        [InlineData("Mid(\"John\", 3, 10)", "hn")]
        [InlineData("Mid(\"John\", 5, 1)", "")]
        [InlineData("Word(\"a  b\", 2, \" \")", "b")]
        [InlineData("Word(\"a b\", 0, \" \")", "")]
        [InlineData("Word(\"a b\", 3, \" \")", "")]
        [InlineData("InStr(\"repEated\",\"e\",3,vbTextCompare)", "4")]
        [InlineData("InStr(\"abc\",\"z\")", "0")]
        [InlineData("StripSpaces(\" a b\tc \")", "ab\tc")]
        [InlineData("ToUpper(\"istanbul\", \"tr-TR\")", "İSTANBUL")]
        [InlineData("ToLower(\"ÀB\")", "àb")]
        [InlineData("PCase(\"o'neil mcdonald\", \" \")", "O'neil Mcdonald")]
        [InlineData("Not(\"False\")", "True")]
        [InlineData("Not(\"true\")", "False")]
        [InlineData("CBool(\"0\")", "False")]
        [InlineData("CBool(42)", "True")]
        [InlineData("CStr(42)", "42")]
        [InlineData("CStr(CBool(1))", "True")]
        [InlineData("Join(\"-\", \"a\", 1, \"b\")", "a-1-b")]
        public void Edges(string expression, string expected) => Assert.Equal(expected, Convert.ToString(Eval(expression), System.Globalization.CultureInfo.InvariantCulture));

        [Fact]
        public void Mid_StartBelowOneIsAnError() =>
            Assert.Equal(ExpressionErrorIds.InvalidArgument, Assert.Throws<ExpressionException>(() => Eval("Mid(\"abc\", 0, 1)")).ErrorId);

        [Fact]
        public void CDate_UnparseableIsATypedError()
        {
            var error = Assert.Throws<ExpressionException>(() => Eval("CDate([d])", ("d", "not a date")));
            Assert.Equal(ExpressionErrorIds.InvalidArgument, error.ErrorId);
            Assert.Equal(7, error.Position);
        }

        [Fact]
        public void DateAttribute_FlowsThroughDateFunctions() =>
            Assert.Equal("1/2/2020 0:00:00 AM".Replace("0:00", "12:00"), Eval("DateAdd(\"d\", 1, [hire])", ("hire", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero))));

        [Fact]
        public void BareDateAttribute_IsReturnedAsIs()
        {
            var date = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
            Assert.Equal(date, Eval("[hire]", ("hire", date)));
        }

        [Fact]
        public void FormatDateTime_OffsetIsConvertedToUtcLikeEntrasServers() =>
            Assert.Equal("2021-01-01 04:00", Eval("FormatDateTime([d], , \"yyyy-MM-ddTHH:mm:sszzz\", \"yyyy-MM-dd HH:mm\")", ("d", "2020-12-31T20:00:00-08:00")));

        [Fact]
        public void Count_Item_OnMultiValuedAttributes()
        {
            var proxies = Multi("a", "b", "c");
            Assert.Equal(3L, Eval("Count([p])", ("p", proxies)));
            Assert.Equal("c", Eval("Item([p], 3)", ("p", proxies)));
            Assert.Null(Eval("Item([p], 0)", ("p", proxies)));
            Assert.Null(Eval("Item([p], 4)", ("p", proxies)));
            Assert.Equal("a;b;c", Eval("Join(\";\", [p])", ("p", proxies)));
        }

        [Fact]
        public void MultiValuedWhereSingleValueExpected_IsATypedError() =>
            Assert.Equal(ExpressionErrorIds.InvalidArgument, Assert.Throws<ExpressionException>(() => Eval("ToLower([p])", ("p", Multi("a", "b")))).ErrorId);

        [Fact]
        public void Guid_And_RandomString_AreReproducibleWithAPinnedRandom()
        {
            Assert.Equal(EvalWith("Guid()", Context(seed: 7)), EvalWith("Guid()", Context(seed: 7)));
            Assert.NotEqual(EvalWith("Guid()", Context(seed: 7)), EvalWith("Guid()", Context(seed: 8)));
            Assert.Equal(EvalWith("RandomString(12,2,2,2,2)", Context(seed: 7)), EvalWith("RandomString(12,2,2,2,2)", Context(seed: 7)));
            Assert.True(ExpressionParser.Parse("Guid()").IsNonDeterministic);
        }

        [Fact]
        public void Guid_WithoutPinnedRandomIsFresh() =>
            Assert.NotEqual(ExpressionParser.Parse("Guid()").Evaluate(null), ExpressionParser.Parse("Guid()").Evaluate(null));

        [Fact]
        public void RandomString_WithoutPinnedRandomUsesCryptographicSource() =>
            Assert.Equal(16, ((string)ExpressionParser.Parse("RandomString(16,4,4,4,4)").Evaluate(null)).Length);

        [Fact]
        public void SelectUniqueValue_AllTakenEscrowsWithTypedError()
        {
            var error = Assert.Throws<ExpressionException>(() =>
                EvalWith("SelectUniqueValue(\"a\", [missing], \"b\")", Context(isUnique: _ => false)));
            Assert.Equal(ExpressionErrorIds.NoUniqueValue, error.ErrorId);
            Assert.Contains("a, b", error.Message);
        }

        [Fact]
        public void SelectUniqueValue_WithoutLookupReturnsFirstCandidate()
        {
            var parsed = ExpressionParser.Parse("SelectUniqueValue([missing], \"a\", \"b\")");
            Assert.True(parsed.UsesUniqueValueLookup);
            Assert.Equal("a", parsed.Evaluate(Source()));
        }

        private static readonly IReadOnlyList<AppRoleAssignmentValue> Roles = new[]
        {
            new AppRoleAssignmentValue("id-admin", "Admin", "Administrator", "User"),
            new AppRoleAssignmentValue("id-user", "User", "Standard user", "Group"),
            new AppRoleAssignmentValue("id-admin", "Admin", "Administrator", "Group"),
        };

        [Fact]
        public void SingleAppRoleAssignment_FirstRoleAsPrimary()
        {
            var role = Assert.IsType<RoleValue>(Eval("SingleAppRoleAssignment([appRoleAssignments])", ("appRoleAssignments", Roles)));
            Assert.True(role.Primary);
            Assert.Equal("Admin", role.Value);
            Assert.Equal("Administrator", role.Display);
            Assert.Equal("WindowsAzureActiveDirectoryRole", role.Type);
        }

        [Fact]
        public void SingleAppRoleAssignment_UsableAsStringInSwitch() =>
            Assert.Equal("admin", Eval("Switch(SingleAppRoleAssignment([appRoleAssignments]), \"user\", \"Admin\", \"admin\")", ("appRoleAssignments", Roles)));

        [Theory]
        [InlineData("AppRoleAssignmentsComplex([appRoleAssignments])", false)]
        [InlineData("AssertiveAppRoleAssignmentsComplex([appRoleAssignments])", true)]
        public void AppRoleAssignmentsComplex_AllRolesNotPrimaryDeduplicated(string expression, bool assertive)
        {
            var result = Assert.IsType<AppRoleAssignmentsResult>(Eval(expression, ("appRoleAssignments", Roles)));
            Assert.Equal(assertive, result.Assertive);
            Assert.Equal(new[] { "Admin", "User" }, result.Roles.Select(r => r.Value));
            Assert.All(result.Roles, r => Assert.False(r.Primary));
        }

        [Fact]
        public void Replace_RegexTimeoutIsATypedErrorNotAHang()
        {
            var watch = Stopwatch.StartNew();
            var error = Assert.Throws<ExpressionException>(() =>
                Eval("Replace([a], , \"(a+)+$\", , \"x\", , )", ("a", new string('a', 40) + "!")));
            Assert.Equal(ExpressionErrorIds.RegexTimeout, error.ErrorId);
            Assert.True(watch.ElapsedMilliseconds < 5000);
        }

        [Fact]
        public void Replace_RuntimePattern()
        {
            Assert.Equal("a-b", Eval("Replace([s], , [p], , \"-\", , )", ("s", "a b"), ("p", "\\s")));
            Assert.Equal(ExpressionErrorIds.InvalidArgument, Assert.Throws<ExpressionException>(() => Eval("Replace([s], , [p], , \"-\", , )", ("s", "a"), ("p", "("))).ErrorId);
        }

        [Fact]
        public void Replace_IsCaseSensitive() => Assert.Equal("Abc", Eval("Replace(\"Abc\", \"a\", , , \"x\", , )"));

        [Fact]
        public void DateFromNum_NeverExpiresHasNoDate() => Assert.Null(Eval("DateFromNum(9223372036854775807)"));

        [Fact]
        public void Evaluation_IsConcurrentSafe()
        {
            var parsed = ExpressionParser.Parse("Join(\" \", PCase([a]), Replace([b], , \"(?<d>\\\\d+)\", \"d\", \"#\", , ))");
            System.Threading.Tasks.Parallel.For(0, 2000, i =>
                Assert.Equal($"Name{i} x#y", parsed.Evaluate(Source(("a", $"NAME{i}"), ("b", $"x{i}y")))));
        }
    }
}
