namespace DropboxProvisioning.Sandbox.Directory
{
    /// <summary>The Entra ID tenant: users, groups, memberships, app role assignments, and the change log behind delta queries.</summary>
    public sealed class DirectoryModel
    {
    }
}
