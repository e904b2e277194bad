using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// The value of AppRoleAssignmentsComplex / AssertiveAppRoleAssignmentsComplex: every assigned role
    /// (all primary = false). <see cref="Assertive"/> tells the writer how to update the target:
    /// false = PATCH "add" only (never removes roles), true = PATCH "replace" (removes roles not assigned in Entra).
    /// </summary>
    public sealed class AppRoleAssignmentsResult
    {
        public AppRoleAssignmentsResult(IReadOnlyList<RoleValue> roles, bool assertive)
        {
            Roles = roles;
            Assertive = assertive;
        }

        public IReadOnlyList<RoleValue> Roles { get; }

        public bool Assertive { get; }
    }
}
