namespace DropboxProvisioning.Sandbox.Dropbox
{
    /// <summary>team.stone TeamMemberStatus: where a member is in the Dropbox team life cycle.</summary>
    public enum DropboxMemberStatus
    {
        /// <summary>Invited but not joined yet (Dropbox sends an invitation e-mail; the person must accept it).</summary>
        Invited,
        /// <summary>Joined the team.</summary>
        Active,
        /// <summary>Cannot sign in, keeps data and license; can be unsuspended.</summary>
        Suspended,
        /// <summary>No longer on the team; kept only so the Team API can list it with include_removed.</summary>
        Removed,
    }
}
