using System.Collections.Generic;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.Scim
{
    /// <summary>One ListResponse page.</summary>
    public sealed class ScimListPage
    {
        public ScimListPage(int totalResults, int startIndex, IReadOnlyList<JObject> resources, int? reportedTotalResults = null, int? reportedStartIndex = null)
        {
            TotalResults = totalResults; StartIndex = startIndex; Resources = resources;
            ReportedTotalResults = reportedTotalResults; ReportedStartIndex = reportedStartIndex;
        }
        /// <summary>totalResults as the server sent it; null when it sent none.</summary>
        public int? ReportedTotalResults { get; }
        /// <summary>startIndex as the server sent it; null when it sent none.</summary>
        public int? ReportedStartIndex { get; }
        public int TotalResults { get; }
        public int StartIndex { get; }
        public IReadOnlyList<JObject> Resources { get; }
    }
}
