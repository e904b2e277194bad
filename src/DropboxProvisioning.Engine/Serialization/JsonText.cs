using System.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Serialization
{
    /// <summary>
    /// How the engine reads every JSON text: answers from Graph, SCIM and the Team API, and its own files. Strings stay
    /// strings: Newtonsoft's default date parsing would turn a displayName such as "2024-05-01T10:00:00Z" into a date
    /// (typed properties that are dates are still read as dates, from their strings).
    /// </summary>
    public static class JsonText
    {
        public const DateParseHandling Dates = DateParseHandling.None;

        /// <summary>The one settings object for reading with a serializer; writers that also read copy it.</summary>
        public static readonly JsonSerializerSettings ReadSettings = new JsonSerializerSettings { DateParseHandling = Dates };

        public static JsonTextReader Reader(TextReader text) => new JsonTextReader(text) { DateParseHandling = Dates };

        /// <summary>One JSON value, nothing after it (as JToken.Parse), strings kept as strings.</summary>
        public static JToken ParseToken(string text)
        {
            using (var reader = Reader(new StringReader(text)))
            {
                var token = JToken.ReadFrom(reader);
                while (reader.Read())
                    if (reader.TokenType != JsonToken.Comment) throw new JsonReaderException("Additional text encountered after finished reading JSON content.");
                return token;
            }
        }

        /// <summary>A JSON object (as JObject.Parse), strings kept as strings.</summary>
        public static JObject ParseObject(string text) =>
            ParseToken(text) as JObject ?? throw new JsonReaderException("The JSON text is not an object.");

        /// <summary>Deserializes with <see cref="ReadSettings"/>.</summary>
        public static T Deserialize<T>(string text) => JsonConvert.DeserializeObject<T>(text, ReadSettings);
    }
}
