using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// attrPath of RFC 7644 §3.10: [schema URN ":"] name ["." subAttr]. Attribute names are case-insensitive,
    /// so every lookup in a resource ignores case.
    /// </summary>
    internal sealed class ScimAttributePath
    {
        public ScimAttributePath(string schema, string name, string subAttribute)
        {
            Schema = schema; Name = name; SubAttribute = subAttribute;
        }

        /// <summary>The schema URN it was qualified with, or null.</summary>
        public string Schema { get; }
        public string Name { get; }
        public string SubAttribute { get; }

        /// <summary>True when it names an extension's attribute (nested under the URN) rather than a core one.</summary>
        public bool InExtension => Schema != null && !ScimSchemas.IsCore(Schema);

        /// <summary>"name.givenName" style, without the schema, for rules such as case-exactness.</summary>
        public string DottedName => SubAttribute == null ? Name : Name + "." + SubAttribute;

        public static bool TryParse(string text, out ScimAttributePath path)
        {
            path = null;
            if (string.IsNullOrWhiteSpace(text)) return false;
            text = text.Trim();
            string schema = null;
            var rest = text;
            if (text.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
            {
                // Attribute names hold no colon, so the last one ends the URN ("...:2.0:User:name.givenName").
                var colon = text.LastIndexOf(':');
                schema = text.Substring(0, colon);
                rest = text.Substring(colon + 1);
            }
            var parts = rest.Split('.');
            if (parts.Length > 2 || !parts.All(IsAttributeName)) return false;
            path = new ScimAttributePath(schema, parts[0], parts.Length == 2 ? parts[1] : null);
            return true;
        }

        public static bool IsAttributeName(string s)
        {
            if (string.IsNullOrEmpty(s)) return false;
            if (s == "$ref") return true;
            if (!char.IsLetter(s[0])) return false;
            foreach (var c in s)
                if (!(char.IsLetterOrDigit(c) || c == '_' || c == '-')) return false;
            return true;
        }

        /// <summary>The object holding the attribute: the resource itself, or the extension object under the URN.</summary>
        public JObject Container(JObject resource, bool create)
        {
            if (!InExtension) return resource;
            var existing = Property(resource, Schema);
            if (existing?.Value is JObject obj) return obj;
            if (!create) return null;
            obj = new JObject();
            if (existing != null) existing.Value = obj; else resource[Schema] = obj;
            return obj;
        }

        /// <summary>Every value the path reaches: the elements of a multi-valued attribute, the sub-attribute of each.</summary>
        public IEnumerable<JToken> Values(JObject resource)
        {
            var container = Container(resource, false);
            var top = container == null ? null : Property(container, Name)?.Value;
            if (top == null || top.Type == JTokenType.Null) yield break;
            if (SubAttribute == null)
            {
                if (top is JArray array) { foreach (var item in array) yield return item; }
                else yield return top;
                yield break;
            }
            var holders = top is JArray many ? many.OfType<JObject>() : top is JObject one ? new[] { one } : Enumerable.Empty<JObject>();
            foreach (var holder in holders)
            {
                var value = Property(holder, SubAttribute)?.Value;
                if (value != null && value.Type != JTokenType.Null) yield return value;
            }
        }

        /// <summary>A property found ignoring case, as SCIM attribute names are.</summary>
        public static JProperty Property(JObject obj, string name)
        {
            if (obj == null) return null;
            return obj.Property(name, StringComparison.OrdinalIgnoreCase);
        }

        public override string ToString() => (Schema == null ? "" : Schema + ":") + DottedName;
    }
}
