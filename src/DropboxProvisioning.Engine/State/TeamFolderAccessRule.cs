using System;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DropboxProvisioning.State
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    /// <summary>The access levels a group is given to a team folder (sharing.stone AccessLevel, less owner and the special ones).</summary>
    public enum TeamFolderAccessLevel : long { Editor, Viewer }

    /// <summary>
    /// One row of the configuration's team folder table: the provisioned group (its Entra object id or display name) is
    /// given this access to the team folder of this name; <see cref="Create"/>: the team folder is created when the team
    /// has none of that name (team_folder/create). The table is the admin's decision; what the engine granted is in the
    /// state (<see cref="TeamFolderGrant"/>).
    /// </summary>
    public sealed class TeamFolderAccessRule
    {
        /// <summary>The Entra group: object id or display name, of a group the engine provisions.</summary>
        public string Group { get; set; }

        /// <summary>The team folder's name (team_folder/list, compared without regard to case).</summary>
        public string TeamFolder { get; set; }

        [JsonConverter(typeof(StringEnumConverter))]
        public TeamFolderAccessLevel AccessLevel { get; set; } = TeamFolderAccessLevel.Editor;

        /// <summary>Create the team folder when the team has none of that name.</summary>
        [JsonProperty(DefaultValueHandling = DefaultValueHandling.Ignore)]
        public bool Create { get; set; }

        public TeamFolderAccessRule Clone() => (TeamFolderAccessRule)MemberwiseClone();

        /// <summary>True when this row is for the same group and team folder (names compared without regard to case).</summary>
        public bool SameAs(string group, string teamFolder) =>
            string.Equals(Group, group, StringComparison.OrdinalIgnoreCase) && string.Equals(TeamFolder, teamFolder, StringComparison.OrdinalIgnoreCase);

        /// <summary>Stone's tag for an access level.</summary>
        public static string Tag(TeamFolderAccessLevel level) => level == TeamFolderAccessLevel.Viewer ? "viewer" : "editor";

        public override string ToString() => $"{Group} -> {TeamFolder} ({Tag(AccessLevel)}{(Create ? ", create" : "")})";
    }
}
