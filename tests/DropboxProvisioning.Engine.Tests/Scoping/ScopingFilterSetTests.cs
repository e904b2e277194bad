using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.Mapping.Scoping;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Scoping
{
    /// <summary>AND within a filter, OR across filters, empty set, reasons, validation.</summary>
    public class ScopingFilterSetTests
    {
        // The article's example: New York, Engineering, employee ID between 1,000,000 and 2,000,000, job title present.
        private static ScopingFilter NewYorkEngineers() => new ScopingFilter(
            "NY engineers",
            new ScopingClause("state", ScopingOperator.Equals, "New York"),
            new ScopingClause("department", ScopingOperator.Equals, "Engineering"),
            new ScopingClause("employeeId", ScopingOperator.GreaterThanOrEquals, "1000000"),
            new ScopingClause("employeeId", ScopingOperator.RegexMatch, "^(1[0-9]{6}|2000000)$"),
            new ScopingClause("jobTitle", ScopingOperator.IsNotNull));

        private static DictionaryAttributeSource User(string state = "New York", string department = "Engineering", string employeeId = "1500000", string jobTitle = "Engineer") =>
            new DictionaryAttributeSource { ["state"] = state, ["department"] = department, ["employeeId"] = employeeId, ["jobTitle"] = jobTitle };

        [Fact]
        public void EmptySet_EverythingInScope()
        {
            var result = new ScopingFilterSet().Evaluate(User());
            Assert.True(result.InScope);
            Assert.Equal("In scope: no scoping filters are defined.", result.Reason);
        }

        [Fact]
        public void AllClausesTrue_InScope()
        {
            var filter = NewYorkEngineers();
            var result = new ScopingFilterSet(filter).Evaluate(User());
            Assert.True(result.InScope);
            Assert.Same(filter, result.MatchedFilter);
            Assert.Equal("In scope: every clause of filter 'NY engineers' is true.", result.Reason);
        }

        [Theory]
        [InlineData("Boston", "Engineering", "1500000", "Engineer")]
        [InlineData("New York", "Sales", "1500000", "Engineer")]
        [InlineData("New York", "Engineering", "999999", "Engineer")]
        [InlineData("New York", "Engineering", "2000001", "Engineer")]
        [InlineData("New York", "Engineering", "1500000", null)]
        public void AnyClauseFalse_OutOfScope(string state, string department, string employeeId, string jobTitle) =>
            Assert.False(new ScopingFilterSet(NewYorkEngineers()).Evaluate(User(state, department, employeeId, jobTitle)).InScope);

        [Fact]
        public void OutOfScope_ReasonNamesTheFailingClauseOfEachFilter()
        {
            var set = new ScopingFilterSet(
                NewYorkEngineers(),
                new ScopingFilter("Sales", new ScopingClause("department", ScopingOperator.Equals, "Sales")));
            var result = set.Evaluate(User(department: "HR"));
            Assert.False(result.InScope);
            Assert.Equal(2, result.Failures.Count);
            Assert.Equal(
                "Out of scope: filter 'NY engineers' failed on clause 2 (department EQUALS \"Engineering\"): department is \"HR\"; " +
                "filter 'Sales' failed on clause 1 (department EQUALS \"Sales\"): department is \"HR\".",
                result.Reason);
        }

        [Fact]
        public void Filters_AreOred()
        {
            var set = new ScopingFilterSet(
                NewYorkEngineers(),
                new ScopingFilter("Sales", new ScopingClause("department", ScopingOperator.Equals, "Sales")));
            var result = set.Evaluate(User(state: "Boston", department: "Sales"));
            Assert.True(result.InScope);
            Assert.Equal("Sales", result.MatchedFilter.Name);
        }

        [Fact]
        public void Clauses_MayBeChangedAfterFirstEvaluation()
        {
            var clause = new ScopingClause("department", ScopingOperator.Equals, "Sales");
            var set = new ScopingFilterSet(new ScopingFilter("f", clause));
            Assert.False(set.Evaluate(User()).InScope);
            clause.Value = "Engineering";
            Assert.True(set.Evaluate(User()).InScope);
            clause.Operator = ScopingOperator.RegexMatch;
            clause.Value = "^Eng";
            Assert.True(set.Evaluate(User()).InScope);
        }

        [Theory]
        [InlineData(ScopingOperator.Equals, null, ScopingErrorIds.MissingValue)]
        [InlineData(ScopingOperator.Includes, "", ScopingErrorIds.MissingValue)]
        [InlineData(ScopingOperator.GreaterThan, "12.5", ScopingErrorIds.NonIntegerValue)]
        [InlineData(ScopingOperator.GreaterThanOrEquals, "ten", ScopingErrorIds.NonIntegerValue)]
        [InlineData(ScopingOperator.RegexMatch, "(unclosed", ScopingErrorIds.InvalidRegex)]
        [InlineData(ScopingOperator.NotRegexMatch, "[z-a]", ScopingErrorIds.InvalidRegex)]
        [InlineData((ScopingOperator)99, "x", ScopingErrorIds.UnknownOperator)]
        public void Validate_RejectsBadClauses(ScopingOperator op, string value, string errorId)
        {
            var set = new ScopingFilterSet(new ScopingFilter("f", new ScopingClause("department", op, value)));
            var error = Assert.Throws<ScopingException>(() => ScopingFilterSet.Validate(set));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal("f", error.FilterName);
            Assert.Equal(0, error.ClauseIndex);
        }

        [Fact]
        public void Validate_RejectsMissingAttributeAndEmptyFilter()
        {
            Assert.Equal(ScopingErrorIds.MissingAttribute, Assert.Throws<ScopingException>(() =>
                ScopingFilterSet.Validate(new ScopingFilterSet(new ScopingFilter("f", new ScopingClause(" ", ScopingOperator.IsNull))))).ErrorId);
            Assert.Equal(ScopingErrorIds.EmptyFilter, Assert.Throws<ScopingException>(() =>
                ScopingFilterSet.Validate(new ScopingFilterSet(new ScopingFilter("f")))).ErrorId);
        }

        [Fact]
        public void Validate_AcceptsValidFiltersAndUnaryOperatorsWithoutValue()
        {
            ScopingFilterSet.Validate(new ScopingFilterSet(NewYorkEngineers()));
            ScopingFilterSet.Validate(new ScopingFilterSet());
            Assert.Empty(ScopingFilterSet.FindProblems(new[] { new ScopingFilter("f", new ScopingClause("a", ScopingOperator.IsTrue)) }));
        }

        [Fact]
        public void FindProblems_ReportsEveryBadClause() =>
            Assert.Equal(2, ScopingFilterSet.FindProblems(new[]
            {
                new ScopingFilter("f", new ScopingClause("a", ScopingOperator.GreaterThan, "x"), new ScopingClause("b", ScopingOperator.RegexMatch, "(")),
            }).Count);

        [Fact]
        public void UnvalidatedBadClause_ThrowsTypedErrorWhenEvaluated() =>
            Assert.Equal(ScopingErrorIds.NonIntegerValue, Assert.Throws<ScopingException>(() =>
                new ScopingFilterSet(new ScopingFilter("f", new ScopingClause("employeeId", ScopingOperator.GreaterThan, "x"))).Evaluate(User())).ErrorId);
    }
}
