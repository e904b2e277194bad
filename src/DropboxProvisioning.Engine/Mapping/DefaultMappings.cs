using System.Collections.Generic;
using DropboxProvisioning.Dropbox;

namespace DropboxProvisioning.Mapping
{
    /// <summary>
    /// The Dropbox for Business app's default mappings. Microsoft publishes that app's table only as a
    /// screenshot, so these are Entra's documented SCIM defaults for the attributes Dropbox accepts.
    /// The Team API's defaults are the same less displayName, which that API cannot set (Dropbox derives it from
    /// the given name and surname); groups are the same for both, and are company_managed as SCIM makes them.
    /// </summary>
    public static class DefaultMappings
    {
        /// <summary>Entra's default for SCIM apps: active is the inverse of IsSoftDeleted.</summary>
        public const string ActiveExpression = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")";

        public static ObjectMapping Users() => Users(DropboxApiKind.Scim);

        public static ObjectMapping Users(DropboxApiKind api)
        {
            var users = ScimUsers();
            if (api == DropboxApiKind.TeamApi) users.Attributes.RemoveAll(a => a.TargetAttribute == "displayName");
            return users;
        }

        private static ObjectMapping ScimUsers() => new ObjectMapping
        {
            ObjectType = ObjectType.User,
            Attributes = new List<AttributeMapping>
            {
                new AttributeMapping { SourceAttribute = "userPrincipalName", TargetAttribute = "userName", MatchingPrecedence = 1 },
                new AttributeMapping { Type = MappingType.Expression, Expression = ActiveExpression, TargetAttribute = "active" },
                new AttributeMapping { SourceAttribute = "displayName", TargetAttribute = "displayName" },
                new AttributeMapping { SourceAttribute = "mail", TargetAttribute = "emails[type eq \"work\"].value" },
                new AttributeMapping { SourceAttribute = "givenName", TargetAttribute = "name.givenName" },
                new AttributeMapping { SourceAttribute = "surname", TargetAttribute = "name.familyName" },
                new AttributeMapping { SourceAttribute = "mailNickname", TargetAttribute = "externalId" },
            },
        };

        public static ObjectMapping Groups() => new ObjectMapping
        {
            ObjectType = ObjectType.Group,
            Attributes = new List<AttributeMapping>
            {
                new AttributeMapping { SourceAttribute = "displayName", TargetAttribute = "displayName", MatchingPrecedence = 1 },
                new AttributeMapping { SourceAttribute = "objectId", TargetAttribute = "externalId" },
                new AttributeMapping { SourceAttribute = "members", TargetAttribute = "members" },
            },
        };

        public static MappingConfiguration Configuration() => Configuration(DropboxApiKind.Scim);

        public static MappingConfiguration Configuration(DropboxApiKind api) => new MappingConfiguration { User = Users(api), Group = Groups() };
    }
}
