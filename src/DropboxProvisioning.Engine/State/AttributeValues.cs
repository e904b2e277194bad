using System;
using System.Collections;
using System.Collections.Generic;
using DropboxProvisioning.Collections;
using Newtonsoft.Json;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// The few attribute values the state keeps per managed object (target path → value as text), stored as
    /// <see cref="NamedValues{T}"/>: values equal to another value of the same object share one string (the userName
    /// and the work e-mail of an account are one value). Serialized as a plain JSON object, as the dictionary it
    /// replaces was.
    /// </summary>
    [JsonConverter(typeof(AttributeValuesConverter))]
    public sealed class AttributeValues : NamedValues<string>, IEnumerable<KeyValuePair<string, string>>
    {
        public string this[string name]
        {
            get => TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No value for '{name}'.");
            set => Set(name, value);
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Pairs().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        protected override string Share(string value)
        {
            if (value == null) return null;
            if (value == "True") return "True";
            if (value == "False") return "False";
            return Held(value) ?? value;
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
