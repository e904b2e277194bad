using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Collections;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>How a managed user left Entra ID.</summary>
    public enum RemovalKind
    {
        /// <summary>Soft-deleted: in the recycle bin, may come back. Dropbox: suspend.</summary>
        SoftDeleted,
        /// <summary>Deleted for good. Dropbox: delete, where the Delete target action is on.</summary>
        HardDeleted,
        /// <summary>Not returned by an initial read; soft or hard is unknown, so it is treated as soft.</summary>
        Missing,
    }

    /// <summary>
    /// The Entra side of a cycle, as <see cref="GraphDirectoryReader"/> read it (or a test made it): the users to look
    /// at with their scope decided, the managed users that left, the groups in scope and their members, the watermarks.
    /// </summary>
    public sealed class DirectorySnapshot
    {
        /// <summary>The users this cycle looks at (all in scope or managed for an initial cycle), with IsSoftDeleted set.</summary>
        public Dictionary<string, SourceObject> Users { get; internal set; } = new Dictionary<string, SourceObject>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// Lets go of the users once the plan is made: the changes carry what they write, and a large tenant's
        /// users need not stay in memory while the changes run.
        /// </summary>
        internal void ReleaseUsers()
        {
            var large = Users.Count >= LargeTenant;
            Users = new Dictionary<string, SourceObject>(StringComparer.OrdinalIgnoreCase);
            // A large tenant's users and the Graph pages they came from are garbage now, and the write phase that
            // follows can last an hour: collect once here rather than carry them until the runtime gets to it.
            if (large) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        /// <summary>From this many users, releasing them is worth a full collection (a fraction of a second).</summary>
        private const int LargeTenant = 20000;

        /// <summary>Managed users that left Entra ID, and how.</summary>
        public Dictionary<string, RemovalKind> Removed { get; } = new Dictionary<string, RemovalKind>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Users entitled by assignment (or all users when the scope says so), after this cycle.</summary>
        public HashSet<string> Entitled { get; internal set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Assigned groups and their direct user members, after this cycle.</summary>
        public Dictionary<string, HashSet<string>> AssignedGroups { get; internal set; } = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Entitled users that the scoping filters leave out, with the filters' reason.</summary>
        public Dictionary<string, string> FilteredOut { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Users whose scoping could not be evaluated (a regex that timed out): neither provisioned nor deprovisioned.</summary>
        public Dictionary<string, string> Unevaluable { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Groups whose attributes were read this cycle (all in scope for an initial cycle, the changed ones otherwise).</summary>
        public Dictionary<string, SourceObject> Groups { get; } = new Dictionary<string, SourceObject>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Groups to provision: assigned (or all) and passing the group scoping filters.</summary>
        public HashSet<string> GroupsInScope { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Groups deleted in Entra ID.</summary>
        public HashSet<string> RemovedGroups { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public CycleMode Mode { get; internal set; }
        public string UsersDeltaLink { get; internal set; }
        public string GroupsDeltaLink { get; internal set; }

        /// <summary>A snapshot of one user, for provisioning on demand.</summary>
        internal static DirectorySnapshot ForOne(SourceObject user, bool entitled, CompiledMapping mapping)
        {
            var snapshot = new DirectorySnapshot { Mode = CycleMode.Incremental };
            if (entitled) snapshot.Entitled.Add(user.Id);
            snapshot.Add(user, mapping);
            return snapshot;
        }

        /// <summary>A snapshot of one group and its direct user members, for provisioning on demand.</summary>
        internal static DirectorySnapshot ForOneGroup(SourceObject group, HashSet<string> members, bool assigned, CompiledMapping groupMapping)
        {
            var snapshot = new DirectorySnapshot { Mode = CycleMode.Incremental };
            snapshot.Groups[group.Id] = group;
            if (assigned) snapshot.AssignedGroups[group.Id] = members;
            snapshot.ScopeGroup(group, groupMapping, assigned);
            return snapshot;
        }

        /// <summary>Adds a user with IsSoftDeleted computed: disabled, not entitled, or filtered out by scoping.</summary>
        internal void Add(SourceObject user, CompiledMapping mapping)
        {
            var enabled = user.Get("accountEnabled") as bool? ?? true;
            var inScope = Entitled.Contains(user.Id);
            if (inScope)
            {
                try
                {
                    var scope = mapping.Scope.Evaluate(user);
                    if (!scope.InScope) { inScope = false; FilteredOut[user.Id] = scope.Reason; }
                }
                catch (Mapping.Scoping.ScopingException e)
                {
                    Unevaluable[user.Id] = e.Message;
                }
            }
            user.Set(GraphAttributeNames.IsSoftDeleted, !enabled || !inScope);
            Users[user.Id] = user;
        }

        /// <summary>A group is provisioned when assigned (or all are in scope) and its scoping filters let it through.</summary>
        internal void ScopeGroup(SourceObject group, CompiledMapping groupMapping, bool assigned)
        {
            if (!assigned || !groupMapping.Mapping.Enabled) return;
            try
            {
                if (groupMapping.Scope.Evaluate(group).InScope) GroupsInScope.Add(group.Id);
            }
            catch (Mapping.Scoping.ScopingException) { } // left as it is: neither created nor deleted
        }

        public static bool IsDefaultAccess(string appRoleId) =>
            string.IsNullOrEmpty(appRoleId) || Guid.TryParse(appRoleId, out var role) && role == Guid.Empty;

        /// <summary>Graph's JSON as Entra attribute values: strings, booleans, numbers, lists of strings.</summary>
        public static SourceObject ToSourceObject(SourceObjectKind kind, JObject item) => ToSourceObject(kind, item, (string)item["id"]);

        /// <param name="id">The item's id, as an instance already held elsewhere (so the object does not carry a copy).</param>
        /// <param name="shared">Where the values of <see cref="GraphAttributeNames.SharedValueProperties"/> are kept once across users.</param>
        internal static SourceObject ToSourceObject(SourceObjectKind kind, JObject item, string id, StringPool shared = null)
        {
            var result = new SourceObject(kind, id);
            foreach (var property in item.Properties())
            {
                if (property.Name.IndexOf('@') >= 0 || property.Name == "id") continue;
                var value = ToValue(property.Value);
                if (shared != null && value is string text && GraphAttributeNames.SharedValueProperties.Contains(property.Name)) value = shared.Share(text);
                result.Set(property.Name, value);
            }
            return result;
        }

        // One box each for true and false, rather than one per user and attribute.
        private static readonly object True = true, False = false;

        private static object ToValue(JToken token)
        {
            switch (token.Type)
            {
                case JTokenType.Null: case JTokenType.Undefined: return null;
                case JTokenType.Boolean: return (bool)token ? True : False;
                case JTokenType.Integer: return (long)token;
                case JTokenType.Date: return ((DateTime)token).ToString("yyyy-MM-ddTHH:mm:ssZ");
                case JTokenType.Array: return token.Select(t => t.Type == JTokenType.String ? (string)t : t.ToString(Newtonsoft.Json.Formatting.None)).ToList();
                case JTokenType.Object: return token.ToString(Newtonsoft.Json.Formatting.None);
                default: return (string)token;
            }
        }
    }
}
