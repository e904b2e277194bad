using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>One Entra user read on its own, with whether it is entitled to Dropbox and why not.</summary>
    public sealed class SingleUserRead
    {
        public SourceObject User { get; internal set; }
        /// <summary>Null when the user is entitled (assigned, or all users are in scope); otherwise the reason.</summary>
        public string NotEntitledReason { get; internal set; }
    }

    /// <summary>One Entra group read on its own, with its direct user members and whether it is assigned to the app.</summary>
    public sealed class SingleGroupRead
    {
        public SourceObject Group { get; internal set; }
        public HashSet<string> Members { get; internal set; }
        /// <summary>Assigned to the Dropbox app (not only with Default Access), or every group is in scope.</summary>
        public bool Assigned { get; internal set; }
    }

    /// <summary>Reads one user or group and decides its entitlement, for previews and provisioning on demand.</summary>
    public static class SingleObjectReader
    {
        public static Task<SingleUserRead> ReadUserAsync(Connection.DbxConnection connection, ProvisioningSettings settings, CompiledMapping mapping, string userId, CancellationToken cancellationToken) =>
            ReadUserAsync(connection.Directory, connection.ServicePrincipalId, settings, mapping, userId, cancellationToken);

        public static async Task<SingleUserRead> ReadUserAsync(IDirectoryClient graph, string servicePrincipalId, ProvisioningSettings settings, CompiledMapping mapping, string userId, CancellationToken cancellationToken)
        {
            var item = await graph.GetUserAsync(userId, GraphAttributeNames.Select(SourceObjectKind.User, mapping.SourceAttributes), cancellationToken).ConfigureAwait(false);
            var user = DirectorySnapshot.ToSourceObject(SourceObjectKind.User, item);
            string reason = null;
            if (settings.Scope != ProvisioningScope.AllUsersAndGroups)
            {
                var direct = new List<string>();
                var groups = new List<string>();
                await graph.ListAssignmentsAsync(servicePrincipalId, assignment =>
                {
                    var role = (string)assignment["appRoleId"];
                    var principal = (string)assignment["principalId"];
                    var isGroup = string.Equals((string)assignment["principalType"], "Group", StringComparison.OrdinalIgnoreCase);
                    if (!settings.IncludeDefaultAccess && DirectorySnapshot.IsDefaultAccess(role))
                    {
                        if (!isGroup && principal == user.Id) direct.Add("default");
                        return;
                    }
                    if (isGroup) groups.Add(principal);
                    else if (principal == user.Id) direct.Add(role);
                }, cancellationToken).ConfigureAwait(false);

                var entitled = direct.Any(r => r != "default");
                foreach (var group in groups.Distinct())
                {
                    if (entitled) break;
                    await graph.ListGroupMembersAsync(group, member => entitled |= (string)member["id"] == user.Id, cancellationToken).ConfigureAwait(false);
                }
                if (!entitled)
                    reason = direct.Contains("default")
                        ? "assigned only with the Default Access role, which the Dropbox for Business app excludes"
                        : "not assigned to the Dropbox app, directly or through a group";
            }
            var enabled = user.Get("accountEnabled") as bool? ?? true;
            user.Set(GraphAttributeNames.IsSoftDeleted, !enabled || reason != null);
            return new SingleUserRead { User = user, NotEntitledReason = reason };
        }

        public static async Task<SingleGroupRead> ReadGroupAsync(IDirectoryClient graph, string servicePrincipalId, ProvisioningSettings settings, CompiledMapping groupMapping,
            string groupId, ICycleObserver observer, CancellationToken cancellationToken)
        {
            var item = await graph.GetGroupAsync(groupId, GraphAttributeNames.Select(SourceObjectKind.Group, groupMapping.SourceAttributes), cancellationToken).ConfigureAwait(false);
            var group = DirectorySnapshot.ToSourceObject(SourceObjectKind.Group, item);
            var members = await GraphDirectoryReader.MembersOfAsync(graph, group.Id, observer, cancellationToken).ConfigureAwait(false);
            var assigned = settings.Scope == ProvisioningScope.AllUsersAndGroups;
            if (!assigned)
                await graph.ListAssignmentsAsync(servicePrincipalId, a =>
                {
                    if ((string)a["principalId"] == group.Id && (settings.IncludeDefaultAccess || !DirectorySnapshot.IsDefaultAccess((string)a["appRoleId"]))) assigned = true;
                }, cancellationToken).ConfigureAwait(false);
            return new SingleGroupRead { Group = group, Members = members, Assigned = assigned };
        }
    }
}
