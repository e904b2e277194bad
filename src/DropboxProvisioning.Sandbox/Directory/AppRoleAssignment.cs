using System;

namespace DropboxProvisioning.Sandbox.Directory
{
    /// <summary>A user or group assigned to an app role of the Dropbox service principal.</summary>
    public sealed class AppRoleAssignment
    {
        public string Id { get; set; }
        public string PrincipalId { get; set; }
        /// <summary>"User" or "Group".</summary>
        public string PrincipalType { get; set; }
        public string PrincipalDisplayName { get; set; }
        public string AppRoleId { get; set; }
        public string ResourceId { get; set; }
        public DateTimeOffset CreatedDateTime { get; set; }

        public AppRoleAssignment Clone() => (AppRoleAssignment)MemberwiseClone();
    }
}
