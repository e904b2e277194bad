using System.Collections.Generic;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.Scim
{
    /// <summary>One ListResponse page.</summary>
    public sealed class ScimListPage
    {
        public ScimListPage(int totalResults, int startIndex, IReadOnlyList<JObject> resources)
        {
            TotalResults = totalResults; StartIndex = startIndex; Resources = resources;
        }
        public int TotalResults { get; }
        public int StartIndex { get; }
        public IReadOnlyList<JObject> Resources { get; }
    }
}
