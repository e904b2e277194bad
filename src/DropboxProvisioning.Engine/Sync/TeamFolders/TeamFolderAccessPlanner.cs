using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Decides the team folder access changes of a cycle from the table, the groups the engine provisions (managed, or
    /// created by this cycle's plan), what the engine granted before and the team's folders. Its rules:
    /// a row names its group by Entra object id or by the provisioned group's name; access goes only to groups the
    /// engine provisions (any other row is a skip that says so); a team folder is found by name, created only for a row
    /// that asks for it, and an archived one is left alone; a grant the state holds at the row's level is left as it is,
    /// at another level it is changed; a grant the engine made that no row asks for any more is removed, and one whose
    /// group or team folder is gone is forgotten. Access given by hand is never in the state, so never touched. A change
    /// Dropbox refused before waits in escrow (its doubling backoff) and is a skip that says so until it is due again.
    /// Pure: no I/O, everything handed in (the time too).
    /// </summary>
    internal static class TeamFolderAccessPlanner
    {
        public static List<TeamFolderAccessChange> Plan(IReadOnlyList<TeamFolderAccessRule> rules, IReadOnlyDictionary<string, ManagedObject> managedGroups,
            IEnumerable<ProvisioningChange> groupChanges, IReadOnlyList<TeamFolderGrant> grants, IReadOnlyList<DropboxTeamFolder> folders,
            IReadOnlyDictionary<string, EscrowEntry> escrows = null, DateTimeOffset now = default)
        {
            var changes = PlanAll(rules, managedGroups, groupChanges, grants, folders);
            if (escrows == null || escrows.Count == 0) return changes;
            return changes.Select(c => c.WritesToDropbox && escrows.TryGetValue(c.EscrowKey, out var escrow) && escrow.NextAttempt > now ? Waiting(c, escrow) : c).ToList();
        }

        /// <summary>A refused change not due yet: a skip naming the refusal and when it is sent again.</summary>
        private static TeamFolderAccessChange Waiting(TeamFolderAccessChange planned, EscrowEntry escrow) => new TeamFolderAccessChange(TeamFolderAccessAction.Skip)
        {
            GroupId = planned.GroupId, GroupName = planned.GroupName, DropboxGroupId = planned.DropboxGroupId, TeamFolder = planned.TeamFolder, TeamFolderId = planned.TeamFolderId,
            AccessLevel = planned.AccessLevel, OldAccessLevel = planned.OldAccessLevel,
            Reason = $"Escrowed: Dropbox refused it {escrow.Attempts} time(s) since {escrow.FirstFailure:u}; it is sent again at or after {escrow.NextAttempt:u} (Restart-DbxProvisioning -Scope Escrows sends it at the next cycle). Last refusal: {escrow.LastError}",
        };

        private static List<TeamFolderAccessChange> PlanAll(IReadOnlyList<TeamFolderAccessRule> rules, IReadOnlyDictionary<string, ManagedObject> managedGroups,
            IEnumerable<ProvisioningChange> groupChanges, IReadOnlyList<TeamFolderGrant> grants, IReadOnlyList<DropboxTeamFolder> folders)
        {
            var planned = groupChanges.Where(c => c.ObjectType == ObjectType.Group).ToList();
            var creating = planned.Where(c => c.Planned == ChangeAction.Create).ToList();
            var leaving = new HashSet<string>(planned.Where(c => c.Planned == ChangeAction.Delete || c.Planned == ChangeAction.Other).Select(c => c.SourceId), StringComparer.OrdinalIgnoreCase);
            var byName = folders.GroupBy(f => f.Name ?? "", StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.OrderBy(f => f.IsActive ? 0 : 1).First(), StringComparer.OrdinalIgnoreCase);
            var byId = folders.Where(f => f.Id != null).GroupBy(f => f.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

            var changes = new List<TeamFolderAccessChange>();
            var wanted = new HashSet<TeamFolderGrant>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var rule in rules ?? new List<TeamFolderAccessRule>())
            {
                var group = Resolve(rule.Group, managedGroups, creating, leaving, out var name, out var dropboxId, out var why);
                if (group == null) { changes.Add(Skip(rule, rule.Group, null, why)); continue; }
                if (!seen.Add(group + "\n" + rule.TeamFolder.Trim())) continue; // a row by id and one by name for the same group: the first decides
                byName.TryGetValue(rule.TeamFolder.Trim(), out var folder);
                if (folder == null && !rule.Create)
                {
                    changes.Add(Skip(rule, name, group, $"TeamFolderNotFound: the team has no team folder named '{rule.TeamFolder}' (create it in the Dropbox admin console, or add -Create to the row)"));
                    continue;
                }
                if (folder != null && !folder.IsActive)
                {
                    changes.Add(Skip(rule, name, group, $"TeamFolderNotActive: the team folder '{folder.Name}' is {folder.Status}; the engine neither gives access to it nor restores it"));
                    continue;
                }
                var granted = folder == null ? null : grants.FirstOrDefault(g => string.Equals(g.GroupId, group, StringComparison.OrdinalIgnoreCase) && g.TeamFolderId == folder.Id
                    && (dropboxId == null || g.DropboxGroupId == dropboxId));
                if (granted != null)
                {
                    wanted.Add(granted);
                    if (granted.AccessLevel == rule.AccessLevel) continue;
                    changes.Add(new TeamFolderAccessChange(TeamFolderAccessAction.ChangeAccess)
                    {
                        GroupId = group, GroupName = name, DropboxGroupId = granted.DropboxGroupId, TeamFolder = folder.Name, TeamFolderId = folder.Id,
                        AccessLevel = rule.AccessLevel, OldAccessLevel = granted.AccessLevel,
                        Reason = $"the team folder table gives it {TeamFolderAccessRule.Tag(rule.AccessLevel)} access; the engine gave it {TeamFolderAccessRule.Tag(granted.AccessLevel)} on {granted.GrantedOn:u}",
                    });
                    continue;
                }
                changes.Add(new TeamFolderAccessChange(TeamFolderAccessAction.Grant)
                {
                    GroupId = group, GroupName = name, DropboxGroupId = dropboxId, TeamFolder = folder?.Name ?? rule.TeamFolder.Trim(), TeamFolderId = folder?.Id,
                    CreatesTeamFolder = folder == null, AccessLevel = rule.AccessLevel,
                    Reason = $"the team folder table gives the provisioned group {TeamFolderAccessRule.Tag(rule.AccessLevel)} access"
                        + (folder == null ? "; the team has no team folder of that name and the row asks to create it" : ""),
                });
            }

            foreach (var grant in grants.Where(g => !wanted.Contains(g)))
            {
                managedGroups.TryGetValue(grant.GroupId ?? "", out var managed);
                byId.TryGetValue(grant.TeamFolderId ?? "", out var folder);
                var gone = managed == null || leaving.Contains(grant.GroupId) || managed.TargetId != grant.DropboxGroupId ? $"the group '{grant.GroupName}' is no longer provisioned (or no longer the Dropbox group that was granted)"
                    : folder == null ? $"the team folder '{grant.TeamFolder}' is no longer on the team"
                    : !folder.IsActive ? $"the team folder '{grant.TeamFolder}' is {folder.Status} (Dropbox removed its members)"
                    : null;
                changes.Add(new TeamFolderAccessChange(gone == null ? TeamFolderAccessAction.Revoke : TeamFolderAccessAction.Forget)
                {
                    GroupId = grant.GroupId, GroupName = grant.GroupName, DropboxGroupId = grant.DropboxGroupId, TeamFolder = folder?.Name ?? grant.TeamFolder, TeamFolderId = grant.TeamFolderId,
                    OldAccessLevel = grant.AccessLevel,
                    Reason = gone ?? "no row of the team folder table gives it access any more; the engine gave it on " + grant.GrantedOn.ToString("u"),
                });
            }
            return changes;
        }

        /// <summary>The Entra id of the provisioned group a row names (by id, then by name), with its name and Dropbox id; null and why when there is none.</summary>
        private static string Resolve(string named, IReadOnlyDictionary<string, ManagedObject> managed, List<ProvisioningChange> creating, HashSet<string> leaving,
            out string name, out string dropboxId, out string why)
        {
            named = named.Trim();
            name = null; dropboxId = null; why = null;
            var matches = new List<(string Id, string Name, string DropboxId)>();
            if (managed.TryGetValue(named, out var byId) && !leaving.Contains(byId.SourceId)) matches.Add((byId.SourceId, byId.TargetIdentity, byId.TargetId));
            var created = creating.FirstOrDefault(c => string.Equals(c.SourceId, named, StringComparison.OrdinalIgnoreCase));
            if (created != null) matches.Add((created.SourceId, created.TargetIdentity, null));
            if (matches.Count == 0)
            {
                matches.AddRange(managed.Values.Where(g => string.Equals(g.TargetIdentity, named, StringComparison.OrdinalIgnoreCase) && !leaving.Contains(g.SourceId))
                    .Select(g => (g.SourceId, g.TargetIdentity, g.TargetId)));
                matches.AddRange(creating.Where(c => string.Equals(c.TargetIdentity, named, StringComparison.OrdinalIgnoreCase)).Select(c => (c.SourceId, c.TargetIdentity, (string)null)));
            }
            if (matches.Count == 1)
            {
                name = matches[0].Name; dropboxId = matches[0].DropboxId;
                return matches[0].Id;
            }
            why = matches.Count == 0
                ? $"GroupNotProvisioned: the engine provisions no group '{named}' (by Entra object id or name); team folder access is given only to groups it provisions"
                : $"AmbiguousGroup: {matches.Count} provisioned groups are named '{named}'; name the group by its Entra object id ({string.Join(", ", matches.Select(m => m.Id))})";
            return null;
        }

        private static TeamFolderAccessChange Skip(TeamFolderAccessRule rule, string name, string group, string reason) => new TeamFolderAccessChange(TeamFolderAccessAction.Skip)
        {
            GroupId = group, GroupName = name ?? rule.Group, TeamFolder = rule.TeamFolder, AccessLevel = rule.AccessLevel, Reason = reason,
        };
    }
}
