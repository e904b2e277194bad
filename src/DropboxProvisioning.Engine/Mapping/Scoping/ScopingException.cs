using System;

namespace DropboxProvisioning.Mapping.Scoping
{
    /// <summary>An invalid scoping filter (from <see cref="ScopingFilterSet.Validate(ScopingFilterSet)"/>) or a clause that could not be evaluated.</summary>
    public class ScopingException : Exception
    {
        public ScopingException(string errorId, string message, string filterName = null, int clauseIndex = -1, Exception innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            FilterName = filterName;
            ClauseIndex = clauseIndex;
        }

        /// <summary>One of <see cref="ScopingErrorIds"/>.</summary>
        public string ErrorId { get; }

        public string FilterName { get; }

        /// <summary>0-based index of the clause within its filter, or -1.</summary>
        public int ClauseIndex { get; }
    }
}
