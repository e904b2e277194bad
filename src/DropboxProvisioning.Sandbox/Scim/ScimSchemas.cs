using System;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>The schema and message URNs of RFC 7643/7644 that the Dropbox endpoint speaks.</summary>
    internal static class ScimSchemas
    {
        public const string User = "urn:ietf:params:scim:schemas:core:2.0:User";
        public const string Group = "urn:ietf:params:scim:schemas:core:2.0:Group";
        public const string EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        public const string ListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
        public const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
        public const string Error = "urn:ietf:params:scim:api:messages:2.0:Error";
        public const string ServiceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
        public const string ResourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
        public const string Schema = "urn:ietf:params:scim:schemas:core:2.0:Schema";

        public const string MediaType = "application/scim+json";

        /// <summary>Largest page the endpoint returns; advertised as filter.maxResults.</summary>
        public const int MaxResults = 1000;

        /// <summary>Core schemas put their attributes at the top level of a resource; extensions nest them under the URN.</summary>
        public static bool IsCore(string urn) =>
            string.Equals(urn, User, StringComparison.OrdinalIgnoreCase) || string.Equals(urn, Group, StringComparison.OrdinalIgnoreCase);
    }
}
