using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Mapping;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// The Dropbox side of an initial cycle: every SCIM user, read once in the largest pages Dropbox
    /// allows, indexed by id and by each matching attribute, so matching costs no request per user.
    /// </summary>
    public sealed class DropboxSnapshot
    {
        private readonly Dictionary<string, JObject> _byId = new Dictionary<string, JObject>(StringComparer.Ordinal);
        private readonly HashSet<string> _userNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Dictionary<string, JObject>> _byMatching = new Dictionary<string, Dictionary<string, JObject>>(StringComparer.OrdinalIgnoreCase);

        public int Count => _byId.Count;

        public static async Task<DropboxSnapshot> ReadUsersAsync(ScimClient scim, CompiledMapping mapping, ICycleObserver observer, CancellationToken cancellationToken)
        {
            var snapshot = new DropboxSnapshot();
            foreach (var matching in mapping.Matching)
                snapshot._byMatching[matching.Path.Text] = new Dictionary<string, JObject>(StringComparer.OrdinalIgnoreCase);
            observer.Progress("Reading Dropbox", "Listing users", -1);
            await scim.ListAllAsync("Users", user =>
            {
                var id = (string)user["id"];
                if (id == null) return;
                snapshot._byId[id] = user;
                var userName = (string)user["userName"];
                if (userName != null) snapshot._userNames.Add(userName);
                foreach (var matching in mapping.Matching)
                {
                    var value = matching.Path.Get(user);
                    if (value != null && value.Type == JTokenType.String) snapshot._byMatching[matching.Path.Text][(string)value] = user;
                }
            }, cancellationToken).ConfigureAwait(false);
            observer.Verbose($"Dropbox holds {snapshot.Count} SCIM user(s).");
            return snapshot;
        }

        /// <summary>True when a Dropbox account already has this userName (SelectUniqueValue asks).</summary>
        public bool HasUserName(string userName) => userName != null && _userNames.Contains(userName);

        public JObject ById(string id) => id != null && _byId.TryGetValue(id, out var user) ? user : null;

        /// <summary>The account whose matching attribute equals the value (case-insensitive, as Dropbox compares userName).</summary>
        public JObject ByMatching(ScimPath path, string value) =>
            value != null && _byMatching.TryGetValue(path.Text, out var index) && index.TryGetValue(value, out var user) ? user : null;
    }
}
