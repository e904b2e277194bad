using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.Mapping.Scoping
{
    /// <summary>Whether an object is in scope, and which filter or clauses decided it.</summary>
    public sealed class ScopingResult
    {
        internal static readonly ScopingResult NoFilters = new ScopingResult(true, null, Array.Empty<ScopingClauseFailure>());

        private string reason;

        private ScopingResult(bool inScope, ScopingFilter matchedFilter, IReadOnlyList<ScopingClauseFailure> failures)
        {
            InScope = inScope;
            MatchedFilter = matchedFilter;
            Failures = failures;
        }

        public bool InScope { get; }

        /// <summary>The filter whose clauses all held, when in scope because of a filter; null otherwise.</summary>
        public ScopingFilter MatchedFilter { get; }

        /// <summary>When out of scope: for each filter, its first false clause.</summary>
        public IReadOnlyList<ScopingClauseFailure> Failures { get; }

        /// <summary>A sentence for logs and admins, built only when read.</summary>
        public string Reason => reason ?? (reason = BuildReason());

        public override string ToString() => Reason;

        internal static ScopingResult Matched(ScopingFilter filter) =>
            new ScopingResult(true, filter, Array.Empty<ScopingClauseFailure>());

        internal static ScopingResult NotMatched(ScopingClauseFailure[] failures) =>
            new ScopingResult(false, null, failures);

        private string BuildReason()
        {
            if (InScope)
            {
                return MatchedFilter == null
                    ? "In scope: no scoping filters are defined."
                    : $"In scope: every clause of filter '{MatchedFilter}' is true.";
            }

            return "Out of scope: " + string.Join("; ", Failures.Select(f => f.ToString())) + ".";
        }
    }
}
