using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>
    /// A source object (Entra user or group) as attribute mappings and scoping filters see it.
    /// Attribute names are case-insensitive, as they are in Entra.
    /// </summary>
    /// <remarks>
    /// Values are one of: <c>null</c> (absent), <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>,
    /// <see cref="DateTimeOffset"/>, <see cref="IReadOnlyList{T}"/> of string (multi-valued), or
    /// <see cref="IReadOnlyList{T}"/> of <see cref="AppRoleAssignmentValue"/> for "appRoleAssignments".
    /// An absent attribute and a null value mean the same thing to the expression language.
    /// </remarks>
    public interface IAttributeSource
    {
        bool TryGetValue(string attributeName, out object value);
    }

    /// <summary>One app role assignment of the source object, as exposed through [appRoleAssignments].</summary>
    public sealed class AppRoleAssignmentValue
    {
        public AppRoleAssignmentValue() { }

        public AppRoleAssignmentValue(string appRoleId, string value, string displayName, string principalType = null)
        {
            AppRoleId = appRoleId;
            Value = value;
            DisplayName = displayName;
            PrincipalType = principalType;
        }

        /// <summary>Id of the app role on the service principal.</summary>
        public string AppRoleId { get; set; }

        /// <summary>The role's value (what SCIM "roles[].value" carries).</summary>
        public string Value { get; set; }

        public string DisplayName { get; set; }

        /// <summary>"User" or "Group": whether the assignment is direct or inherited through a group.</summary>
        public string PrincipalType { get; set; }

        public override string ToString() => Value ?? DisplayName ?? AppRoleId ?? string.Empty;
    }
}
