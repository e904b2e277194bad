using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
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

    /// <summary>Reads one user and decides its entitlement, for previews and provisioning on demand.</summary>
    public static class SingleObjectReader
    {
        public static async Task<SingleUserRead> ReadUserAsync(DbxConnection connection, ProvisioningSettings settings, CompiledMapping mapping, string userId, CancellationToken cancellationToken)
        {
            var graph = connection.Graph;
            var item = await graph.GetUserAsync(userId, GraphAttributeNames.Select(SourceObjectKind.User, mapping.SourceAttributes), cancellationToken).ConfigureAwait(false);
            var user = DirectorySnapshot.ToSourceObject(SourceObjectKind.User, item);
            string reason = null;
            if (settings.Scope != ProvisioningScope.AllUsersAndGroups)
            {
                var direct = new List<string>();
                var groups = new List<string>();
                await graph.ListAssignmentsAsync(connection.ServicePrincipalId, assignment =>
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
    }
}
