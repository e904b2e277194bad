using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.Directory
{
    /// <summary>
    /// Entra's mapping attribute names and the Graph properties behind them. Most are the same word;
    /// objectId is Graph's id and IsSoftDeleted is computed by the engine, not read.
    /// </summary>
    public static class GraphAttributeNames
    {
        public const string IsSoftDeleted = "IsSoftDeleted";
        public const string ObjectId = "objectId";

        private static readonly string[] AlwaysSelectedUser = { "id", "userPrincipalName", "accountEnabled" };
        private static readonly string[] AlwaysSelectedGroup = { "id", "displayName" };

        /// <summary>The Graph user properties the engine knows; a mapping may also name extension_* attributes.</summary>
        public static readonly IReadOnlyCollection<string> UserProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "objectId", "IsSoftDeleted", "userPrincipalName", "displayName", "givenName", "surname", "mail", "mailNickname",
            "department", "jobTitle", "employeeId", "companyName", "officeLocation", "city", "country", "usageLocation",
            "preferredLanguage", "mobilePhone", "accountEnabled", "userType", "createdDateTime", "state", "streetAddress",
            "postalCode", "employeeType", "onPremisesImmutableId", "onPremisesSamAccountName", "businessPhones", "otherMails",
            "proxyAddresses", "appRoleAssignments",
        };

        /// <summary>
        /// User properties whose values many users share (names, where they work): read once per distinct value in
        /// an initial cycle, so a large tenant keeps "Andersson" or "Sales" once rather than once per user.
        /// </summary>
        public static readonly IReadOnlyCollection<string> SharedValueProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "givenName", "surname", "department", "jobTitle", "companyName", "officeLocation", "city", "country", "usageLocation",
            "preferredLanguage", "userType", "state", "employeeType",
        };

        public static readonly IReadOnlyCollection<string> GroupProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "objectId", "displayName", "description", "mail", "mailNickname", "members", "securityEnabled", "mailEnabled", "IsSoftDeleted",
        };

        public static bool IsKnown(SourceObjectKind kind, string attribute) =>
            (kind == SourceObjectKind.User ? UserProperties : GroupProperties).Contains(attribute)
            || attribute.StartsWith("extension_", StringComparison.OrdinalIgnoreCase);

        /// <summary>The $select list for the given mapping attributes: only what is mapped, as issue #7 asks.</summary>
        public static string Select(SourceObjectKind kind, IEnumerable<string> attributes)
        {
            var select = new List<string>(kind == SourceObjectKind.User ? AlwaysSelectedUser : AlwaysSelectedGroup);
            foreach (var attribute in attributes)
            {
                var property = ToGraph(attribute);
                if (property != null && !select.Contains(property, StringComparer.OrdinalIgnoreCase)) select.Add(property);
            }
            return string.Join(",", select);
        }

        /// <summary>The Graph property for an Entra attribute name, or null when it is computed or not a property.</summary>
        public static string ToGraph(string attribute)
        {
            if (string.Equals(attribute, ObjectId, StringComparison.OrdinalIgnoreCase)) return "id";
            if (string.Equals(attribute, IsSoftDeleted, StringComparison.OrdinalIgnoreCase)) return null;
            if (string.Equals(attribute, "members", StringComparison.OrdinalIgnoreCase)) return null;
            if (string.Equals(attribute, "appRoleAssignments", StringComparison.OrdinalIgnoreCase)) return null;
            return attribute;
        }
    }
}
