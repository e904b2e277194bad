namespace DropboxProvisioning.Sandbox.Dropbox
{
    /// <summary>The Dropbox team: members and groups, one model that every Dropbox API surface looks at.</summary>
    public sealed class DropboxTeam
    {
    }
}
