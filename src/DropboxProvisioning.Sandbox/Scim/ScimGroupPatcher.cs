using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// Applies PATCH operations to a group directly (not through its JSON) so that adding one member to a group of
    /// 100,000 stays cheap. Covers what Entra sends: add/remove/replace of members (with a value list, or
    /// members[value eq "id"]) and of displayName/externalId, with or without a path.
    /// </summary>
    internal static class ScimGroupPatcher
    {
        public static void Apply(DropboxGroup group, IEnumerable<ScimPatchOperation> operations)
        {
            foreach (var operation in operations)
            {
                if (operation.Path != null) { ApplyAt(group, operation.Op, operation.Path, operation.Value); continue; }
                foreach (var property in ((JObject)operation.Value).Properties())
                    if (!ScimPatchOperation.IsEcho(property.Name)) ApplyAt(group, operation.Op, property.Name, property.Value);
            }
        }

        private static void ApplyAt(DropboxGroup group, string op, string rawPath, JToken value)
        {
            var path = ScimPatchPath.Parse(rawPath);
            var attribute = path.Attribute;
            if (attribute.Schema != null && !string.Equals(attribute.Schema, ScimSchemas.Group, StringComparison.OrdinalIgnoreCase))
                throw ScimException.BadRequest("invalidPath", $"Dropbox groups have no attribute '{rawPath}'.");

            switch (attribute.Name.ToLowerInvariant())
            {
                case "displayname" when path.Filter == null && attribute.SubAttribute == null:
                    if (op == "remove") throw new ScimException(HttpStatusCode.BadRequest, "mutability", "displayName is required and cannot be removed.");
                    group.GroupName = RequiredString(value, "displayName");
                    break;
                case "externalid" when path.Filter == null && attribute.SubAttribute == null:
                    group.GroupExternalId = op == "remove" || value.Type == JTokenType.Null ? null : RequiredString(value, "externalId");
                    break;
                case "members" when attribute.SubAttribute == null:
                    ApplyToMembers(group, op, path, value);
                    break;
                case "id":
                case "meta":
                    throw new ScimException(HttpStatusCode.BadRequest, "mutability", $"The attribute '{attribute.Name}' is read-only.");
                default:
                    throw ScimException.BadRequest("invalidPath", $"Dropbox groups have no attribute '{rawPath}' that PATCH can change.");
            }
        }

        private static void ApplyToMembers(DropboxGroup group, string op, ScimPatchPath path, JToken value)
        {
            if (path.Filter != null)
            {
                if (op != "remove" || path.FilteredSubAttribute != null)
                    throw ScimException.BadRequest("invalidPath", "A filter on members is only supported to remove members, as in members[value eq \"id\"].");
                foreach (var id in MatchingMembers(group, path.Filter)) group.MemberIds.Remove(id);
                return;
            }
            switch (op)
            {
                case "add":
                    foreach (var id in ScimGroupMapper.MemberIds(value)) group.MemberIds.Add(id);
                    break;
                case "replace":
                    group.MemberIds = new HashSet<string>(ScimGroupMapper.MemberIds(value), StringComparer.Ordinal);
                    break;
                default:
                    // Entra removes with path "members" and a value list; without a value every member goes (RFC 7644).
                    if (value == null) group.MemberIds.Clear();
                    else foreach (var id in ScimGroupMapper.MemberIds(value)) group.MemberIds.Remove(id);
                    break;
            }
        }

        private static List<string> MatchingMembers(DropboxGroup group, ScimFilter filter)
        {
            // The common members[value eq "id"] needs no scan of the group.
            if (filter is CompareFilter eq && eq.Operator == "eq" && eq.Path.Name.Equals("value", StringComparison.OrdinalIgnoreCase)
                && eq.Path.SubAttribute == null && eq.Literal.Type == JTokenType.String)
                return group.MemberIds.Contains((string)eq.Literal) ? new List<string> { (string)eq.Literal } : new List<string>();
            return group.MemberIds.Where(id => filter.Matches(new JObject { ["value"] = id })).ToList();
        }

        private static string RequiredString(JToken value, string name)
        {
            if (value is JObject obj) value = ScimAttributePath.Property(obj, "value")?.Value;
            if (value == null || value.Type != JTokenType.String || string.IsNullOrWhiteSpace((string)value))
                throw ScimException.BadRequest("invalidValue", $"{name} must be a non-empty string.");
            return (string)value;
        }
    }
}
