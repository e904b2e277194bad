using System;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.Scim
{
    /// <summary>
    /// A target attribute as Entra names it: <c>userName</c>, <c>name.givenName</c>,
    /// <c>emails[type eq "work"].value</c>, or an extension attribute prefixed with its schema URN
    /// (<c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department</c>). Reads and writes
    /// such a path inside a SCIM resource.
    /// </summary>
    public sealed class ScimPath
    {
        private static readonly Regex Shape = new Regex(
            @"^(?:(?<urn>urn:[A-Za-z0-9:._-]+):)?(?<attr>[A-Za-z][A-Za-z0-9_$-]*)(?:\[(?<fattr>[A-Za-z][A-Za-z0-9_]*) eq ""(?<fval>[^""]*)""\])?(?:\.(?<sub>[A-Za-z][A-Za-z0-9_$-]*))?$",
            RegexOptions.CultureInvariant);

        private ScimPath(string text, string schema, string attribute, string filterAttribute, string filterValue, string subAttribute)
        {
            Text = text; Schema = schema; Attribute = attribute; FilterAttribute = filterAttribute; FilterValue = filterValue; SubAttribute = subAttribute;
        }

        public string Text { get; }
        public string Schema { get; }
        public string Attribute { get; }
        public string FilterAttribute { get; }
        public string FilterValue { get; }
        public string SubAttribute { get; }

        public static bool TryParse(string text, out ScimPath path)
        {
            path = null;
            if (string.IsNullOrWhiteSpace(text)) return false;
            var match = Shape.Match(text.Trim());
            if (!match.Success) return false;
            path = new ScimPath(text.Trim(),
                match.Groups["urn"].Success ? match.Groups["urn"].Value : null,
                match.Groups["attr"].Value,
                match.Groups["fattr"].Success ? match.Groups["fattr"].Value : null,
                match.Groups["fval"].Success ? match.Groups["fval"].Value : null,
                match.Groups["sub"].Success ? match.Groups["sub"].Value : null);
            return true;
        }

        public static ScimPath Parse(string text)
        {
            if (!TryParse(text, out var path))
                throw new Errors.DbxException("InvalidTargetAttribute", Errors.DbxErrorCategory.InvalidArgument,
                    $"'{text}' is not a SCIM attribute path (examples: userName, name.givenName, emails[type eq \"work\"].value, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department).", target: text);
            return path;
        }

        private JObject Container(JObject resource, bool create)
        {
            if (Schema == null) return resource;
            if (resource[Schema] is JObject extension) return extension;
            if (!create) return null;
            extension = new JObject();
            resource[Schema] = extension;
            if (resource["schemas"] is JArray schemas && !schemas.ToString().Contains(Schema)) schemas.Add(Schema);
            return extension;
        }

        private JToken Property(JObject container, string name) => container.GetValue(name, StringComparison.OrdinalIgnoreCase);

        public JToken Get(JObject resource)
        {
            var container = Container(resource, false);
            if (container == null) return null;
            var value = Property(container, Attribute);
            if (FilterAttribute != null)
            {
                if (!(value is JArray items)) return null;
                value = null;
                foreach (var item in items)
                {
                    if (item is JObject o && string.Equals((string)Property(o, FilterAttribute), FilterValue, StringComparison.OrdinalIgnoreCase)) { value = o; break; }
                }
            }
            if (SubAttribute != null) value = value is JObject parent ? Property(parent, SubAttribute) : null;
            return value == null || value.Type == JTokenType.Null ? null : value;
        }

        public void Set(JObject resource, JToken value)
        {
            var container = Container(resource, true);
            if (FilterAttribute != null)
            {
                if (!(Property(container, Attribute) is JArray items)) { items = new JArray(); container[Attribute] = items; }
                JObject entry = null;
                foreach (var item in items)
                {
                    if (item is JObject o && string.Equals((string)Property(o, FilterAttribute), FilterValue, StringComparison.OrdinalIgnoreCase)) { entry = o; break; }
                }
                if (entry == null)
                {
                    entry = new JObject { [FilterAttribute] = FilterValue };
                    if (Attribute == "emails" && items.Count == 0) entry["primary"] = true;
                    items.Add(entry);
                }
                entry[SubAttribute ?? "value"] = value;
                return;
            }
            if (SubAttribute != null)
            {
                if (!(Property(container, Attribute) is JObject parent)) { parent = new JObject(); container[Attribute] = parent; }
                parent[SubAttribute] = value;
                return;
            }
            container[Attribute] = value;
        }

        public override string ToString() => Text;
    }
}
