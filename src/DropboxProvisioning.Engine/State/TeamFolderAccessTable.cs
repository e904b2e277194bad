using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// The rules of the configuration's team folder table: every row names a group and a team folder (at most 255
    /// characters, no control characters, no '/' in the folder's name: a team folder is a top-level folder), one row per
    /// group and team folder. Over SCIM a table that is not empty is refused (TeamApiOnlyTeamFolderAccess): SCIM has no team folders.
    /// </summary>
    public static class TeamFolderAccessTable
    {
        public const int MaxName = 255;

        /// <summary>Throws the first problem of the table; <paramref name="api"/> null for a file not tied to a connection.</summary>
        public static void Validate(IReadOnlyList<TeamFolderAccessRule> rules, DropboxApiKind? api)
        {
            if (rules == null || rules.Count == 0) return;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var rule in rules)
            {
                if (rule == null) throw Invalid("The team folder table has an empty row.");
                Name(rule.Group, "group");
                Name(rule.TeamFolder, "team folder");
                if (rule.TeamFolder.IndexOf('/') >= 0)
                    throw Invalid($"The team folder name '{rule.TeamFolder}' has a '/': a team folder is a top-level folder; name it alone.");
                if (!Enum.IsDefined(typeof(TeamFolderAccessLevel), rule.AccessLevel))
                    throw Invalid($"The access level {(long)rule.AccessLevel} of '{rule.Group}' to '{rule.TeamFolder}' is neither editor nor viewer.");
                if (!seen.Add(rule.Group.Trim() + "\n" + rule.TeamFolder.Trim()))
                    throw Invalid($"The team folder table gives '{rule.Group}' access to '{rule.TeamFolder}' twice; a group has one access level to a team folder.");
            }
            if (api == DropboxApiKind.Scim)
                throw new DbxException("TeamApiOnlyTeamFolderAccess", DbxErrorCategory.InvalidArgument,
                    "Team folder access (the team folder table) works only over the Team API (team_folder/*, sharing/add_folder_member); this connection provisions over SCIM, which has no team folders. Connect with Connect-DbxTenant -Api TeamApi, or remove the rows with Remove-DbxTeamFolderAccess.",
                    target: "TeamFolderAccess");
        }

        private static void Name(string name, string what)
        {
            if (string.IsNullOrWhiteSpace(name)) throw Invalid($"A row of the team folder table has no {what}.");
            if (name.Length > MaxName || name.Any(char.IsControl))
                throw Invalid($"The {what} '{(name.Length > 64 ? name.Substring(0, 60) + "..." : name)}' is not a name (at most {MaxName} characters, no control characters).");
        }

        private static DbxException Invalid(string message) => new DbxException("InvalidTeamFolderAccess", DbxErrorCategory.InvalidArgument, message, target: "TeamFolderAccess");
    }
}
