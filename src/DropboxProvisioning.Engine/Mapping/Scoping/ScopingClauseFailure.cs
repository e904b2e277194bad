namespace DropboxProvisioning.Mapping.Scoping
{
    /// <summary>Why one filter did not match: its first false clause and the attribute value it saw.</summary>
    public sealed class ScopingClauseFailure
    {
        internal ScopingClauseFailure(ScopingFilter filter, ScopingClause clause, int clauseIndex, object attributeValue)
        {
            Filter = filter;
            Clause = clause;
            ClauseIndex = clauseIndex;
            AttributeValue = attributeValue;
        }

        public ScopingFilter Filter { get; }

        public ScopingClause Clause { get; }

        public int ClauseIndex { get; }

        public object AttributeValue { get; }

        public override string ToString()
        {
            var seen = AttributeValue == null ? "null"
                : AttributeValue is string text ? (text.Length == 0 ? "empty" : "\"" + text + "\"")
                : AttributeValue.ToString();
            return $"filter '{Filter}' failed on clause {ClauseIndex + 1} ({Clause}): {Clause.SourceAttribute} is {seen}";
        }
    }
}
