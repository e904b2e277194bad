using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>The SCIM Group view of a Dropbox group: id = group_id, displayName = group_name, members = team_member_ids.</summary>
    internal static class ScimGroupMapper
    {
        public static JObject Render(DropboxGroup g, string baseUrl, IReadOnlyDictionary<string, DropboxMember> members)
        {
            var group = new JObject
            {
                ["schemas"] = new JArray(ScimSchemas.Group),
                ["id"] = g.GroupId,
                ["displayName"] = g.GroupName,
            };
            if (g.GroupExternalId != null) group["externalId"] = g.GroupExternalId;
            if (members != null)
            {
                group["members"] = new JArray(g.MemberIds.Select(id =>
                {
                    var item = new JObject { ["value"] = id };
                    if (members.TryGetValue(id, out var m)) item["display"] = m.DisplayName;
                    item["$ref"] = baseUrl + "/Users/" + id;
                    return item;
                }));
            }
            group["meta"] = new JObject
            {
                ["resourceType"] = "Group",
                ["created"] = ScimUserMapper.Timestamp(g.Created),
                ["lastModified"] = ScimUserMapper.Timestamp(g.LastModified),
                ["location"] = baseUrl + "/Groups/" + g.GroupId,
                ["version"] = ScimUserMapper.Version(g.Version),
            };
            return group;
        }

        /// <summary>The team_member_ids of a members value: [{"value":id}...], one such object, or bare id strings.</summary>
        public static List<string> MemberIds(JToken value)
        {
            var ids = new List<string>();
            if (value == null || value.Type == JTokenType.Null) return ids;
            foreach (var item in value is JArray array ? (IEnumerable<JToken>)array : new[] { value })
            {
                var id = item is JObject o ? ScimAttributePath.Property(o, "value")?.Value : item;
                if (id == null || id.Type != JTokenType.String || string.IsNullOrWhiteSpace((string)id))
                    throw ScimException.BadRequest("invalidValue", "Each member must be an object with a \"value\" holding a user id.");
                ids.Add(((string)id).Trim());
            }
            return ids;
        }

        /// <summary>A group's attributes in a POST or PUT body.</summary>
        public static (string DisplayName, string ExternalId, List<string> Members) Read(JObject body)
        {
            var schemas = ScimAttributePath.Property(body, "schemas")?.Value as JArray;
            if (schemas != null && !schemas.Values<string>().ContainsIgnoringCase(ScimSchemas.Group))
                throw ScimException.BadRequest("invalidValue", $"A group must declare the schema {ScimSchemas.Group}.");
            var displayName = ScimAttributePath.Property(body, "displayName")?.Value;
            if (displayName == null || displayName.Type != JTokenType.String || string.IsNullOrWhiteSpace((string)displayName))
                throw ScimException.BadRequest("invalidValue", "displayName is required: it is the Dropbox group name.");
            var externalId = ScimAttributePath.Property(body, "externalId")?.Value;
            if (externalId != null && externalId.Type != JTokenType.String && externalId.Type != JTokenType.Null)
                throw ScimException.BadRequest("invalidValue", "externalId must be a string.");
            return ((string)displayName, externalId?.Type == JTokenType.String ? (string)externalId : null,
                MemberIds(ScimAttributePath.Property(body, "members")?.Value));
        }
    }
}
