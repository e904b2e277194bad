namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// One SCIM "roles" entry produced by SingleAppRoleAssignment / AppRoleAssignmentsComplex:
    /// { primary, type: "WindowsAzureActiveDirectoryRole", display, value }.
    /// Where a string is needed (Switch, Join, a string target) the role's value is used.
    /// </summary>
    public sealed class RoleValue
    {
        /// <summary>The SCIM role type Entra sends for app roles.</summary>
        public const string EntraRoleType = "WindowsAzureActiveDirectoryRole";

        public RoleValue(bool primary, string display, string value, string appRoleId)
        {
            Primary = primary;
            Display = display;
            Value = value;
            AppRoleId = appRoleId;
        }

        public bool Primary { get; }

        public string Type => EntraRoleType;

        public string Display { get; }

        public string Value { get; }

        /// <summary>The app role id ("id" in Entra's PATCH payloads).</summary>
        public string AppRoleId { get; }

        public override string ToString() => Value ?? string.Empty;
    }
}
