using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>
    /// How one Graph entity type renders: its properties in schema order, which of them a request without
    /// $select gets, and $select/$filter name resolution (case-insensitive, as Graph's).
    /// </summary>
    internal sealed class EntityShape<T>
    {
        private readonly List<KeyValuePair<string, Func<T, JToken>>> _properties = new List<KeyValuePair<string, Func<T, JToken>>>();
        private readonly Dictionary<string, int> _index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        private string[] _defaults;

        public EntityShape(string odataType, string resourceName)
        {
            ODataType = odataType;
            ResourceName = resourceName;
        }

        /// <summary>"#microsoft.graph.user"</summary>
        public string ODataType { get; }
        /// <summary>"User", as named in Graph's filter errors.</summary>
        public string ResourceName { get; }

        public EntityShape<T> Add(string name, Func<T, JToken> get)
        {
            _index[name] = _properties.Count;
            _properties.Add(new KeyValuePair<string, Func<T, JToken>>(name, get));
            return this;
        }

        /// <summary>The properties returned when there is no $select; all of them when not set.</summary>
        public EntityShape<T> Defaults(params string[] names)
        {
            _defaults = names;
            return this;
        }

        public bool Has(string name) => _index.ContainsKey(name);

        public Func<T, JToken> Getter(string name) => _index.TryGetValue(name, out var i) ? _properties[i].Value : null;

        /// <summary>
        /// The canonical names a request selects (plus id, which Graph always returns), or the defaults when
        /// <paramref name="select"/> is null. An unknown name is a 400, as in Graph.
        /// </summary>
        public string[] Resolve(IReadOnlyList<string> select, Func<string, bool> alsoKnown = null)
        {
            if (select == null) return _defaults ?? _properties.Select(p => p.Key).ToArray();
            var names = new List<string>();
            foreach (var raw in select)
            {
                if (raw == "*") return _properties.Select(p => p.Key).ToArray();
                if (_index.TryGetValue(raw, out var i)) { if (!names.Contains(_properties[i].Key)) names.Add(_properties[i].Key); }
                else if (alsoKnown == null || !alsoKnown(raw))
                    throw GraphException.BadRequest($"Parsing OData Select and Expand failed: Could not find a property named '{raw}' on type '{ODataType.TrimStart('#')}'.");
                else names.Add(raw);
            }
            if (!names.Contains("id")) names.Add("id");
            return names.ToArray();
        }

        /// <summary>Writes the item straight to a JSON writer: the listing path, which must stay cheap at 100,000 users.</summary>
        public void Write(JsonWriter writer, T item, string[] names, bool withType = false)
        {
            writer.WriteStartObject();
            if (withType) { writer.WritePropertyName("@odata.type"); writer.WriteValue(ODataType); }
            foreach (var name in names)
            {
                if (!_index.TryGetValue(name, out var i)) continue;
                writer.WritePropertyName(_properties[i].Key);
                var value = _properties[i].Value(item);
                if (value == null) writer.WriteNull(); else value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }

        /// <summary>The item as JSON with the given properties (names this shape lacks are skipped).</summary>
        public JObject Render(T item, string[] names, bool withType = false)
        {
            var json = new JObject();
            if (withType) json["@odata.type"] = ODataType;
            foreach (var name in names)
            {
                if (_index.TryGetValue(name, out var i)) json[_properties[i].Key] = _properties[i].Value(item) ?? JValue.CreateNull();
            }
            return json;
        }
    }
}
