using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.Mapping
{
    /// <summary>
    /// The target attributes Dropbox's SCIM endpoint takes, and their types: a mapping to any other
    /// attribute is refused when it is saved, not discovered in the middle of a cycle.
    /// </summary>
    public static class TargetSchema
    {
        public const string EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

        private static readonly Dictionary<string, TargetValueType> UserAttributes = new Dictionary<string, TargetValueType>(StringComparer.OrdinalIgnoreCase)
        {
            ["userName"] = TargetValueType.String,
            ["active"] = TargetValueType.Boolean,
            ["displayName"] = TargetValueType.String,
            ["nickName"] = TargetValueType.String,
            ["title"] = TargetValueType.String,
            ["userType"] = TargetValueType.String,
            ["preferredLanguage"] = TargetValueType.String,
            ["locale"] = TargetValueType.String,
            ["timezone"] = TargetValueType.String,
            ["externalId"] = TargetValueType.String,
            ["name.givenName"] = TargetValueType.String,
            ["name.familyName"] = TargetValueType.String,
            ["name.formatted"] = TargetValueType.String,
            ["name.middleName"] = TargetValueType.String,
            ["emails[type eq \"work\"].value"] = TargetValueType.String,
            ["emails[type eq \"home\"].value"] = TargetValueType.String,
            ["emails[type eq \"other\"].value"] = TargetValueType.String,
            ["phoneNumbers[type eq \"work\"].value"] = TargetValueType.String,
            ["phoneNumbers[type eq \"mobile\"].value"] = TargetValueType.String,
            ["addresses[type eq \"work\"].locality"] = TargetValueType.String,
            ["addresses[type eq \"work\"].region"] = TargetValueType.String,
            ["addresses[type eq \"work\"].country"] = TargetValueType.String,
            ["addresses[type eq \"work\"].postalCode"] = TargetValueType.String,
            ["addresses[type eq \"work\"].streetAddress"] = TargetValueType.String,
            [EnterpriseUser + ":employeeNumber"] = TargetValueType.String,
            [EnterpriseUser + ":department"] = TargetValueType.String,
            [EnterpriseUser + ":division"] = TargetValueType.String,
            [EnterpriseUser + ":organization"] = TargetValueType.String,
            [EnterpriseUser + ":costCenter"] = TargetValueType.String,
            [EnterpriseUser + ":manager"] = TargetValueType.Reference,
        };

        private static readonly Dictionary<string, TargetValueType> GroupAttributes = new Dictionary<string, TargetValueType>(StringComparer.OrdinalIgnoreCase)
        {
            ["displayName"] = TargetValueType.String,
            ["externalId"] = TargetValueType.String,
            ["members"] = TargetValueType.Reference,
        };

        /// <summary>
        /// Attributes that are one field in Dropbox: a Dropbox account has a single email, which SCIM shows as
        /// both userName and the work email. The key is sent only when it agrees with its primary.
        /// </summary>
        public static readonly IReadOnlyDictionary<string, string> AliasOf = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["emails[type eq \"work\"].value"] = "userName",
        };

        public static IReadOnlyCollection<string> Attributes(ObjectType type) => (type == ObjectType.User ? UserAttributes : GroupAttributes).Keys.ToList();

        public static bool TryGetType(ObjectType type, string attribute, out TargetValueType valueType) =>
            (type == ObjectType.User ? UserAttributes : GroupAttributes).TryGetValue(Normalize(attribute), out valueType);

        /// <summary>Tolerates the spacing admins type inside a value filter: emails[type eq 'work'].value.</summary>
        public static string Normalize(string attribute) =>
            attribute == null ? null : System.Text.RegularExpressions.Regex.Replace(attribute.Trim(), @"\[\s*type\s+eq\s+['""]?(\w+)['""]?\s*\]", "[type eq \"$1\"]");
    }
}
