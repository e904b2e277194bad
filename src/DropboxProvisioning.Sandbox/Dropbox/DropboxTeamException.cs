using System;

namespace DropboxProvisioning.Sandbox.Dropbox
{
    /// <summary>
    /// A team operation refused, tagged with the team.stone error union member the Team API would answer
    /// (user_already_on_team, duplicate_external_member_id, team_license_limit, suspend_inactive_user, ...),
    /// so every API view can translate the same refusal into its own wire format.
    /// </summary>
    public sealed class DropboxTeamException : InvalidOperationException
    {
        public DropboxTeamException(string tag, string message) : base(message) { Tag = tag; }

        /// <summary>The team.stone error tag.</summary>
        public string Tag { get; }
    }
}
