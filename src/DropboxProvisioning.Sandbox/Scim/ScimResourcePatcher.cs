using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// Applies PATCH operations (RFC 7644 §3.5.2) to a resource rendered as JSON; the caller then reads the result
    /// back into the team model, which validates it as a whole, so a request is applied entirely or not at all.
    /// </summary>
    internal static class ScimResourcePatcher
    {
        // Multi-valued attributes of RFC 7643 §4.1.2 and §4.2: add appends to them instead of replacing.
        private static readonly HashSet<string> MultiValued = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "emails", "phoneNumbers", "ims", "photos", "addresses", "groups", "entitlements", "roles", "x509Certificates", "members", "schemas",
        };

        private static readonly HashSet<string> ReadOnly = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "id", "meta" };

        public static void Apply(JObject resource, IEnumerable<ScimPatchOperation> operations)
        {
            foreach (var operation in operations)
            {
                if (operation.Path != null)
                {
                    ApplyAt(resource, operation.Op, operation.Path, operation.Value);
                    continue;
                }
                // No path: each key of the value names a target; Entra sometimes writes full paths as keys.
                foreach (var property in ((JObject)operation.Value).Properties())
                    if (!ScimPatchOperation.IsEcho(property.Name)) ApplyAt(resource, operation.Op, property.Name, property.Value);
            }
        }

        private static void ApplyAt(JObject resource, string op, string rawPath, JToken value)
        {
            // A whole extension ("urn:...:enterprise:2.0:User"): its sub-attributes are merged.
            if (rawPath.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) && IsSchemaUrn(resource, rawPath))
            {
                ApplyToExtension(resource, op, rawPath, value);
                return;
            }

            var path = ScimPatchPath.Parse(rawPath);
            var attribute = path.Attribute;
            if (ReadOnly.Contains(attribute.Name) && !attribute.InExtension)
                throw new ScimException(HttpStatusCode.BadRequest, "mutability", $"The attribute '{attribute.Name}' is read-only.");
            var container = attribute.Container(resource, op != "remove");
            if (container == null) return; // removing from an extension that is not there
            var property = ScimAttributePath.Property(container, attribute.Name);
            var name = property?.Name ?? attribute.Name;

            if (path.Filter != null)
            {
                ApplyToFilteredElements(container, name, property?.Value as JArray, path, op, value);
                return;
            }

            if (attribute.SubAttribute != null)
            {
                var holder = property?.Value;
                if (holder is JArray elements)
                {
                    foreach (var element in elements.OfType<JObject>()) SetOrRemove(element, attribute.SubAttribute, op, value);
                    return;
                }
                if (!(holder is JObject obj))
                {
                    if (op == "remove") return;
                    container[name] = obj = new JObject();
                }
                SetOrRemove(obj, attribute.SubAttribute, op, value);
                return;
            }

            var current = property?.Value;
            switch (op)
            {
                case "remove":
                    if (value != null && current is JArray list)
                        RemoveListedElements(list, value);
                    else
                        property?.Remove();
                    break;
                case "add" when current is JArray existing || (current == null && (MultiValued.Contains(name) || value is JArray)):
                    var target = current as JArray ?? new JArray();
                    foreach (var item in value is JArray many ? many.ToList() : new List<JToken> { value })
                        if (!target.Any(t => JToken.DeepEquals(t, item))) target.Add(item.DeepClone());
                    container[name] = target;
                    break;
                default:
                    // replace, or add of a single-valued attribute: complex values merge their sub-attributes.
                    if (current is JObject currentObject && value is JObject valueObject)
                        foreach (var sub in valueObject.Properties()) SetOrRemove(currentObject, sub.Name, "replace", sub.Value);
                    else
                        container[name] = value.DeepClone();
                    break;
            }
        }

        private static void ApplyToFilteredElements(JObject container, string name, JArray elements, ScimPatchPath path, string op, JToken value)
        {
            var matches = elements?.OfType<JObject>().Where(path.Filter.Matches).ToList() ?? new List<JObject>();
            var sub = path.FilteredSubAttribute;
            if (op == "remove")
            {
                // Removing what is not there is already done; Entra relies on that for idempotent retries.
                foreach (var element in matches)
                {
                    if (sub == null) element.Remove(); else SetOrRemove(element, sub, "remove", null);
                }
                return;
            }
            if (matches.Count == 0)
            {
                // emails[type eq "work"].value on a user with no work e-mail: create the element the filter describes.
                var seed = new JObject();
                if (!Describe(path.Filter, seed))
                    throw ScimException.BadRequest("noTarget", $"No value of '{name}' matches the filter, and the filter does not describe a new one.");
                if (sub != null) seed[sub] = value.DeepClone();
                else if (value is JObject obj) foreach (var p in obj.Properties()) seed[p.Name] = p.Value.DeepClone();
                else throw ScimException.BadRequest("invalidValue", $"A value for '{name}[...]' must be an object.");
                if (elements == null) container[name] = elements = new JArray();
                elements.Add(seed);
                return;
            }
            foreach (var element in matches)
            {
                if (sub != null) { SetOrRemove(element, sub, "replace", value); continue; }
                if (!(value is JObject obj)) throw ScimException.BadRequest("invalidValue", $"A value for '{name}[...]' must be an object.");
                if (op == "replace") element.RemoveAll();
                foreach (var p in obj.Properties()) element[p.Name] = p.Value.DeepClone();
            }
        }

        /// <summary>Fills a new element from a filter made only of "attr eq value" joined by and.</summary>
        private static bool Describe(ScimFilter filter, JObject seed)
        {
            switch (filter)
            {
                case AndFilter and: return Describe(and.Left, seed) && Describe(and.Right, seed);
                case CompareFilter eq when eq.Operator == "eq" && eq.Path.SubAttribute == null && eq.Path.Schema == null:
                    seed[eq.Path.Name] = eq.Literal.DeepClone();
                    return true;
                default: return false;
            }
        }

        private static void ApplyToExtension(JObject resource, string op, string urn, JToken value)
        {
            var property = ScimAttributePath.Property(resource, urn);
            if (op == "remove") { property?.Remove(); return; }
            if (!(value is JObject obj)) throw ScimException.BadRequest("invalidValue", $"The value of '{urn}' must be an object.");
            if (!(property?.Value is JObject current)) resource[property?.Name ?? urn] = current = new JObject();
            foreach (var p in obj.Properties()) SetOrRemove(current, p.Name, "replace", p.Value);
        }

        private static bool IsSchemaUrn(JObject resource, string text) =>
            string.Equals(text, ScimSchemas.EnterpriseUser, StringComparison.OrdinalIgnoreCase)
            || ScimAttributePath.Property(resource, text)?.Value is JObject;

        private static void SetOrRemove(JObject obj, string name, string op, JToken value)
        {
            var existing = ScimAttributePath.Property(obj, name);
            if (op == "remove" || value == null || value.Type == JTokenType.Null) { existing?.Remove(); return; }
            if (existing != null) existing.Value = value.DeepClone(); else obj[name] = value.DeepClone();
        }

        /// <summary>remove with a value list (Entra for members): drop elements whose "value" matches one given.</summary>
        private static void RemoveListedElements(JArray list, JToken value)
        {
            var given = value is JArray many ? many.ToList() : new List<JToken> { value };
            foreach (var item in given)
            {
                var key = item is JObject o ? ScimAttributePath.Property(o, "value")?.Value : item;
                foreach (var element in list.ToList())
                {
                    var elementKey = element is JObject e ? ScimAttributePath.Property(e, "value")?.Value : element;
                    if (JToken.DeepEquals(key, elementKey) || JToken.DeepEquals(item, element)) element.Remove();
                }
            }
        }
    }
}
