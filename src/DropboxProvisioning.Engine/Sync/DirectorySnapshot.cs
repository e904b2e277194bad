using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// The Entra side of a cycle: the users that are in scope (assigned to the Dropbox app, or all),
    /// plus every user the engine already manages, with IsSoftDeleted computed as Entra computes it.
    /// </summary>
    public sealed class DirectorySnapshot
    {
        public Dictionary<string, SourceObject> Users { get; } = new Dictionary<string, SourceObject>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Users entitled by assignment (or all users when the scope says so).</summary>
        public HashSet<string> Entitled { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Entitled users that the scoping filters leave out, with the filters' reason.</summary>
        public Dictionary<string, string> FilteredOut { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Users whose scoping could not be evaluated (a regex that timed out): neither provisioned nor deprovisioned.</summary>
        public Dictionary<string, string> Unevaluable { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public static async Task<DirectorySnapshot> ReadAsync(GraphDirectoryClient graph, string servicePrincipalId, ProvisioningSettings settings,
            Mapping.CompiledMapping mapping, Func<string, bool> isManaged, ICycleObserver observer, CancellationToken cancellationToken)
        {
            var snapshot = new DirectorySnapshot();
            var all = settings.Scope == ProvisioningScope.AllUsersAndGroups;
            if (!all)
            {
                observer.Progress("Importing from Entra ID", "Reading app role assignments", -1);
                var groups = new List<string>();
                var defaultOnly = 0;
                await graph.ListAssignmentsAsync(servicePrincipalId, assignment =>
                {
                    var role = (string)assignment["appRoleId"];
                    if (!settings.IncludeDefaultAccess && IsDefaultAccess(role)) { defaultOnly++; return; }
                    var principal = (string)assignment["principalId"];
                    if (string.Equals((string)assignment["principalType"], "Group", StringComparison.OrdinalIgnoreCase)) groups.Add(principal);
                    else snapshot.Entitled.Add(principal);
                }, cancellationToken).ConfigureAwait(false);
                if (defaultOnly > 0)
                    observer.Verbose($"{defaultOnly} assignment(s) carry only the Default Access role and are excluded, as the Dropbox for Business app requires.");

                foreach (var group in groups.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    observer.Progress("Importing from Entra ID", $"Reading members of assigned group {group}", -1);
                    await graph.ListGroupMembersAsync(group, member =>
                    {
                        // Entra does not expand nested groups of an assigned group; only direct user members count.
                        var type = (string)member["@odata.type"];
                        if (type == null || type.EndsWith(".user", StringComparison.OrdinalIgnoreCase)) snapshot.Entitled.Add((string)member["id"]);
                    }, cancellationToken).ConfigureAwait(false);
                }
            }

            observer.Progress("Importing from Entra ID", "Reading users", -1);
            var select = GraphAttributeNames.Select(SourceObjectKind.User, mapping.SourceAttributes);
            await graph.ListUsersAsync(select, item =>
            {
                var id = (string)item["id"];
                if (all) snapshot.Entitled.Add(id);
                if (!snapshot.Entitled.Contains(id) && !isManaged(id)) return; // neither in scope nor ours: never held
                var user = ToSourceObject(SourceObjectKind.User, item);
                var enabled = user.Get("accountEnabled") as bool? ?? true;
                var inScope = snapshot.Entitled.Contains(id);
                if (inScope)
                {
                    try
                    {
                        var scope = mapping.Scope.Evaluate(user);
                        if (!scope.InScope) { inScope = false; snapshot.FilteredOut[id] = scope.Reason; }
                    }
                    catch (Mapping.Scoping.ScopingException e)
                    {
                        snapshot.Unevaluable[id] = e.Message;
                    }
                }
                user.Set(GraphAttributeNames.IsSoftDeleted, !enabled || !inScope);
                snapshot.Users[id] = user;
            }, cancellationToken).ConfigureAwait(false);
            return snapshot;
        }

        public static bool IsDefaultAccess(string appRoleId) =>
            string.IsNullOrEmpty(appRoleId) || Guid.TryParse(appRoleId, out var role) && role == Guid.Empty;

        /// <summary>Graph's JSON as Entra attribute values: strings, booleans, numbers, lists of strings.</summary>
        public static SourceObject ToSourceObject(SourceObjectKind kind, JObject item)
        {
            var result = new SourceObject(kind, (string)item["id"]);
            foreach (var property in item.Properties())
            {
                if (property.Name.StartsWith("@", StringComparison.Ordinal) || property.Name == "id") continue;
                result.Set(property.Name, ToValue(property.Value));
            }
            return result;
        }

        private static object ToValue(JToken token)
        {
            switch (token.Type)
            {
                case JTokenType.Null: case JTokenType.Undefined: return null;
                case JTokenType.Boolean: return (bool)token;
                case JTokenType.Integer: return (long)token;
                case JTokenType.Date: return ((DateTime)token).ToString("yyyy-MM-ddTHH:mm:ssZ");
                case JTokenType.Array: return token.Select(t => t.Type == JTokenType.String ? (string)t : t.ToString(Newtonsoft.Json.Formatting.None)).ToList();
                case JTokenType.Object: return token.ToString(Newtonsoft.Json.Formatting.None);
                default: return (string)token;
            }
        }
    }
}
