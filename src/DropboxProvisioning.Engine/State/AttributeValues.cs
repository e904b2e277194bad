using System;
using System.Collections;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// The few attribute values the state keeps per managed object (target path → value as text), stored compactly:
    /// a managed object has a handful of them and a large tenant has 100,000 objects, so a dictionary each (with its
    /// own copy of every attribute name) would cost more than the values. Names are interned, values equal to another
    /// value of the same object share one string, and lookups are a short linear search, case-insensitive as before.
    /// Serialized as a plain JSON object, as the dictionary it replaces was.
    /// </summary>
    [JsonConverter(typeof(AttributeValuesConverter))]
    public sealed class AttributeValues : IEnumerable<KeyValuePair<string, string>>
    {
        private static readonly string[] None = new string[0];
        // Names at even positions, values at odd ones: one array per object.
        private string[] _pairs = None;

        public int Count => _pairs.Length / 2;

        public string this[string name]
        {
            get => TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No value for '{name}'.");
            set
            {
                if (name == null) throw new ArgumentNullException(nameof(name));
                value = Share(value);
                var index = IndexOf(name);
                if (index >= 0) { _pairs[index + 1] = value; return; }
                var grown = new string[_pairs.Length + 2];
                Array.Copy(_pairs, grown, _pairs.Length);
                grown[_pairs.Length] = string.Intern(name);
                grown[_pairs.Length + 1] = value;
                _pairs = grown;
            }
        }

        public bool ContainsKey(string name) => IndexOf(name) >= 0;

        public bool TryGetValue(string name, out string value)
        {
            var index = IndexOf(name);
            value = index >= 0 ? _pairs[index + 1] : null;
            return index >= 0;
        }

        public bool Remove(string name)
        {
            var index = IndexOf(name);
            if (index < 0) return false;
            var shrunk = _pairs.Length == 2 ? None : new string[_pairs.Length - 2];
            Array.Copy(_pairs, 0, shrunk, 0, index);
            Array.Copy(_pairs, index + 2, shrunk, index, _pairs.Length - index - 2);
            _pairs = shrunk;
            return true;
        }

        public void Clear() => _pairs = None;

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
        {
            var pairs = _pairs;
            for (var i = 0; i < pairs.Length; i += 2) yield return new KeyValuePair<string, string>(pairs[i], pairs[i + 1]);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private int IndexOf(string name)
        {
            if (name == null) return -1;
            for (var i = 0; i < _pairs.Length; i += 2)
                if (string.Equals(_pairs[i], name, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }

        /// <summary>The userName and the work email of an account are one value: keep one string for both.</summary>
        private string Share(string value)
        {
            if (value == null) return null;
            if (value == "True") return "True";
            if (value == "False") return "False";
            for (var i = 1; i < _pairs.Length; i += 2)
                if (_pairs[i] != null && string.Equals(_pairs[i], value, StringComparison.Ordinal)) return _pairs[i];
            return value;
        }
    }

    /// <summary>Reads and writes <see cref="AttributeValues"/> as a JSON object of strings.</summary>
    internal sealed class AttributeValuesConverter : JsonConverter<AttributeValues>
    {
        public override void WriteJson(JsonWriter writer, AttributeValues value, JsonSerializer serializer)
        {
            writer.WriteStartObject();
            foreach (var pair in value)
            {
                writer.WritePropertyName(pair.Key);
                writer.WriteValue(pair.Value);
            }
            writer.WriteEndObject();
        }

        public override AttributeValues ReadJson(JsonReader reader, Type objectType, AttributeValues existingValue, bool hasExistingValue, JsonSerializer serializer)
        {
            var values = new AttributeValues();
            if (reader.TokenType == JsonToken.Null) return values;
            if (reader.TokenType != JsonToken.StartObject)
                throw new JsonSerializationException($"Expected an object of attribute values at {reader.Path}, found {reader.TokenType}.");
            while (reader.Read() && reader.TokenType != JsonToken.EndObject)
            {
                if (reader.TokenType != JsonToken.PropertyName) throw new JsonSerializationException($"Expected an attribute name at {reader.Path}.");
                var name = (string)reader.Value;
                if (!reader.Read()) break;
                switch (reader.TokenType)
                {
                    case JsonToken.Null: values[name] = null; break;
                    case JsonToken.String: values[name] = (string)reader.Value; break;
                    case JsonToken.Boolean: values[name] = (bool)reader.Value ? "True" : "False"; break;
                    case JsonToken.Integer: case JsonToken.Float: values[name] = Convert.ToString(reader.Value, System.Globalization.CultureInfo.InvariantCulture); break;
                    default: throw new JsonSerializationException($"The value of '{name}' at {reader.Path} is not text.");
                }
            }
            return values;
        }
    }
}
