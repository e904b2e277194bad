using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// The attributes / excludedAttributes query parameters (RFC 7644 §3.4.2.5, §3.9): id and schemas are always
    /// returned; otherwise only the named attributes, or all but the excluded ones.
    /// </summary>
    internal sealed class ScimProjection
    {
        private readonly List<string> _attributes;
        private readonly List<string> _excluded;

        private ScimProjection(List<string> attributes, List<string> excluded) { _attributes = attributes; _excluded = excluded; }

        public static readonly ScimProjection All = new ScimProjection(new List<string>(), new List<string>());

        public static ScimProjection From(string attributes, string excludedAttributes)
        {
            var a = Split(attributes);
            var e = Split(excludedAttributes);
            foreach (var text in a.Concat(e))
                if (!IsWholeSchema(text) && !ScimAttributePath.TryParse(text, out _))
                    throw ScimException.BadRequest("invalidValue", $"'{text}' is not an attribute path.");
            return new ScimProjection(a, e);
        }

        /// <summary>False when the attribute will be dropped anyway, so the caller need not build it (a big group's members).</summary>
        public bool Wants(string attributeName)
        {
            bool Names(string text) => ScimAttributePath.TryParse(text, out var p) && !p.InExtension
                && string.Equals(p.Name, attributeName, StringComparison.OrdinalIgnoreCase);
            if (_excluded.Any(x => Names(x) && !x.Contains("."))) return false;
            return _attributes.Count == 0 || _attributes.Any(Names);
        }

        public JObject Apply(JObject resource)
        {
            if (_attributes.Count > 0)
            {
                var result = new JObject();
                Copy(resource, result, "schemas");
                Copy(resource, result, "id");
                foreach (var text in _attributes) Keep(resource, result, text);
                return result;
            }
            foreach (var text in _excluded) Drop(resource, text);
            return resource;
        }

        private static void Keep(JObject source, JObject target, string text)
        {
            if (IsWholeSchema(text)) { Copy(source, target, text); return; }
            ScimAttributePath.TryParse(text, out var path);
            var from = path.Container(source, false);
            var property = ScimAttributePath.Property(from, path.Name);
            if (property == null) return;
            var to = path.InExtension ? path.Container(target, true) : target;
            if (path.SubAttribute == null) { to[property.Name] = property.Value.DeepClone(); return; }
            if (property.Value is JObject obj)
            {
                var sub = ScimAttributePath.Property(obj, path.SubAttribute);
                if (sub == null) return;
                if (!(to[property.Name] is JObject partial)) to[property.Name] = partial = new JObject();
                partial[sub.Name] = sub.Value.DeepClone();
            }
            else if (property.Value is JArray array)
            {
                var partial = to[property.Name] as JArray ?? new JArray(array.Select(_ => new JObject()));
                to[property.Name] = partial;
                for (var i = 0; i < array.Count; i++)
                {
                    var sub = ScimAttributePath.Property(array[i] as JObject, path.SubAttribute);
                    if (sub != null) ((JObject)partial[i])[sub.Name] = sub.Value.DeepClone();
                }
            }
        }

        private static void Drop(JObject resource, string text)
        {
            if (IsWholeSchema(text)) { ScimAttributePath.Property(resource, text)?.Remove(); return; }
            ScimAttributePath.TryParse(text, out var path);
            if (!path.InExtension && (path.Name.Equals("id", StringComparison.OrdinalIgnoreCase) || path.Name.Equals("schemas", StringComparison.OrdinalIgnoreCase)))
                return;
            var container = path.Container(resource, false);
            var property = ScimAttributePath.Property(container, path.Name);
            if (property == null) return;
            if (path.SubAttribute == null) { property.Remove(); return; }
            var holders = property.Value is JArray array ? array.OfType<JObject>() : new[] { property.Value as JObject };
            foreach (var holder in holders) ScimAttributePath.Property(holder, path.SubAttribute)?.Remove();
        }

        private static void Copy(JObject from, JObject to, string name)
        {
            var p = ScimAttributePath.Property(from, name);
            if (p != null) to[p.Name] = p.Value.DeepClone();
        }

        // "urn:...:enterprise:2.0:User" alone names the whole extension, not an attribute "User" of "urn:...:2.0".
        private static bool IsWholeSchema(string text) =>
            text.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) && text.Substring(text.LastIndexOf(':') + 1) is var last
            && last.Length > 0 && char.IsUpper(last[0]);

        private static List<string> Split(string list) =>
            string.IsNullOrWhiteSpace(list) ? new List<string>() : list.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
    }
}
