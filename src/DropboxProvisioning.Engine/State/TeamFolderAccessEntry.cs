using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// One line of Get-DbxTeamFolderAccess: a row of the team folder table beside what the engine granted for it, or a
    /// grant the engine made that no row asks for any more (removed by the next cycle).
    /// </summary>
    public sealed class TeamFolderAccessEntry
    {
        public string Group { get; set; }
        public string TeamFolder { get; set; }

        /// <summary>The access level the table asks for; null for a grant no row asks for.</summary>
        public TeamFolderAccessLevel? AccessLevel { get; set; }
        public bool Create { get; set; }

        /// <summary>What the engine granted and when; null when it has granted nothing for this row yet.</summary>
        public TeamFolderAccessLevel? GrantedAccessLevel { get; set; }
        public DateTimeOffset? GrantedOn { get; set; }

        /// <summary>Granted, Pending (the next cycle grants it or changes its level) or Removing (the next cycle removes it).</summary>
        public string State { get; set; }

        public string GroupId { get; set; }
        public string DropboxGroupId { get; set; }
        public string TeamFolderId { get; set; }

        /// <summary>The table's rows in order, each with its grant, then the grants no row asks for.</summary>
        public static List<TeamFolderAccessEntry> Of(ProvisioningConfiguration configuration, ProvisioningState state)
        {
            var grants = state?.TeamFolderGrants ?? new List<TeamFolderGrant>();
            var used = new HashSet<TeamFolderGrant>();
            var entries = new List<TeamFolderAccessEntry>();
            foreach (var rule in configuration?.TeamFolderAccess ?? new List<TeamFolderAccessRule>())
            {
                var grant = grants.FirstOrDefault(g => !used.Contains(g) && string.Equals(g.TeamFolder, rule.TeamFolder.Trim(), StringComparison.OrdinalIgnoreCase)
                    && (string.Equals(g.GroupId, rule.Group.Trim(), StringComparison.OrdinalIgnoreCase) || string.Equals(g.GroupName, rule.Group.Trim(), StringComparison.OrdinalIgnoreCase)));
                if (grant != null) used.Add(grant);
                entries.Add(new TeamFolderAccessEntry
                {
                    Group = rule.Group, TeamFolder = rule.TeamFolder, AccessLevel = rule.AccessLevel, Create = rule.Create,
                    GrantedAccessLevel = grant?.AccessLevel, GrantedOn = grant?.GrantedOn, State = grant != null && grant.AccessLevel == rule.AccessLevel ? "Granted" : "Pending",
                    GroupId = grant?.GroupId, DropboxGroupId = grant?.DropboxGroupId, TeamFolderId = grant?.TeamFolderId,
                });
            }
            entries.AddRange(grants.Where(g => !used.Contains(g)).Select(g => new TeamFolderAccessEntry
            {
                Group = g.GroupName ?? g.GroupId, TeamFolder = g.TeamFolder, GrantedAccessLevel = g.AccessLevel, GrantedOn = g.GrantedOn, State = "Removing",
                GroupId = g.GroupId, DropboxGroupId = g.DropboxGroupId, TeamFolderId = g.TeamFolderId,
            }));
            return entries;
        }

        public override string ToString() => $"{Group} -> {TeamFolder}: {State}";
    }
}
