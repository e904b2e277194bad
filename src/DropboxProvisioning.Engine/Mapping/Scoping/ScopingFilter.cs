using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Scoping
{
    /// <summary>A named group of clauses that must all be true (AND).</summary>
    public sealed class ScopingFilter
    {
        private ScopingResult matchedResult;

        public ScopingFilter() { }

        public ScopingFilter(string name, params ScopingClause[] clauses)
        {
            Name = name;
            Clauses = new List<ScopingClause>(clauses);
        }

        public string Name { get; set; }

        public IList<ScopingClause> Clauses { get; set; } = new List<ScopingClause>();

        public override string ToString() => string.IsNullOrEmpty(Name) ? "(unnamed filter)" : Name;

        /// <summary>The (immutable) "in scope because of this filter" result, built once so in-scope evaluations do not allocate.</summary>
        internal ScopingResult MatchedResult => matchedResult ?? (matchedResult = ScopingResult.Matched(this));
    }
}
