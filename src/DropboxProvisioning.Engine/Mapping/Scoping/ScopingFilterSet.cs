using System.Collections.Generic;
using DropboxProvisioning.Mapping.Expressions;

namespace DropboxProvisioning.Mapping.Scoping
{
    /// <summary>
    /// The scoping filters of one object mapping. An object is in scope when any filter (OR) has all its clauses
    /// true (AND); with no filters everything is in scope.
    /// </summary>
    public sealed class ScopingFilterSet
    {
        public ScopingFilterSet() { }

        public ScopingFilterSet(params ScopingFilter[] filters)
        {
            Filters = new List<ScopingFilter>(filters);
        }

        public IList<ScopingFilter> Filters { get; set; } = new List<ScopingFilter>();

        /// <summary>
        /// Evaluates the filters against one object. Throws <see cref="ScopingException"/> for a clause that cannot be
        /// evaluated (invalid regex or integer that skipped validation, a regex that timed out): the caller should skip
        /// the object rather than treat it as out of scope.
        /// </summary>
        public ScopingResult Evaluate(IAttributeSource source)
        {
            var filters = Filters;
            if (filters == null || filters.Count == 0)
            {
                return ScopingResult.NoFilters;
            }

            ScopingClauseFailure[] failures = null;
            for (var f = 0; f < filters.Count; f++)
            {
                var filter = filters[f];
                var failure = FirstFalseClause(filter, source);
                if (failure == null)
                {
                    return filter.MatchedResult;
                }

                (failures = failures ?? new ScopingClauseFailure[filters.Count])[f] = failure;
            }

            return ScopingResult.NotMatched(failures);
        }

        /// <summary>Throws a <see cref="ScopingException"/> for the first invalid filter or clause.</summary>
        public static void Validate(ScopingFilterSet set) => Validate(set?.Filters);

        /// <summary>Throws a <see cref="ScopingException"/> for the first invalid filter or clause.</summary>
        public static void Validate(IEnumerable<ScopingFilter> filters)
        {
            var problems = FindProblems(filters);
            if (problems.Count > 0)
            {
                throw problems[0];
            }
        }

        /// <summary>
        /// Every problem, one exception per clause: unknown operator, missing attribute or value, non-integer value for
        /// GREATER_THAN*, invalid regex, filter without clauses.
        /// </summary>
        public static IReadOnlyList<ScopingException> FindProblems(IEnumerable<ScopingFilter> filters)
        {
            var problems = new List<ScopingException>();
            if (filters == null)
            {
                return problems;
            }

            foreach (var filter in filters)
            {
                if (filter == null)
                {
                    continue;
                }

                if (filter.Clauses == null || filter.Clauses.Count == 0)
                {
                    problems.Add(new ScopingException(ScopingErrorIds.EmptyFilter, $"Scoping filter '{filter}' has no clauses.", filter.Name));
                    continue;
                }

                for (var i = 0; i < filter.Clauses.Count; i++)
                {
                    var clause = filter.Clauses[i];
                    var problem = clause?.FindProblem();
                    if (clause == null)
                    {
                        problems.Add(new ScopingException(ScopingErrorIds.MissingAttribute, $"Scoping filter '{filter}', clause {i + 1} is empty.", filter.Name, i));
                    }
                    else if (problem.HasValue)
                    {
                        problems.Add(new ScopingException(
                            problem.Value.Key,
                            $"Scoping filter '{filter}', clause {i + 1} ({clause}): {problem.Value.Value}",
                            filter.Name,
                            i));
                    }
                }
            }

            return problems;
        }

        private static ScopingClauseFailure FirstFalseClause(ScopingFilter filter, IAttributeSource source)
        {
            var clauses = filter.Clauses;
            if (clauses == null)
            {
                // AND over no clauses is true; Validate reports such filters as EmptyFilter.
                return null;
            }

            for (var i = 0; i < clauses.Count; i++)
            {
                var clause = clauses[i];
                object value = null;
                source?.TryGetValue(clause.SourceAttribute ?? string.Empty, out value);
                if (!clause.Evaluate(value, filter.Name, i))
                {
                    return new ScopingClauseFailure(filter, clause, i, value);
                }
            }

            return null;
        }
    }
}
