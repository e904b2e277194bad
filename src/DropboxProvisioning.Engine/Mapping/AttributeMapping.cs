using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DropboxProvisioning.Mapping
{
    /// <summary>One row of Entra's Attribute Mapping blade: where a target attribute's value comes from.</summary>
    public sealed class AttributeMapping
    {
        [JsonConverter(typeof(StringEnumConverter))]
        public MappingType Type { get; set; } = MappingType.Direct;

        /// <summary>The Entra attribute for Direct mappings.</summary>
        public string SourceAttribute { get; set; }

        /// <summary>The value for Constant mappings.</summary>
        public string ConstantValue { get; set; }

        /// <summary>The expression text for Expression mappings.</summary>
        public string Expression { get; set; }

        /// <summary>The SCIM path written in Dropbox.</summary>
        public string TargetAttribute { get; set; }

        /// <summary>Used when the source is null, on creation only (as Entra does).</summary>
        public string DefaultValue { get; set; }

        [JsonConverter(typeof(StringEnumConverter))]
        public ApplyMapping Apply { get; set; } = ApplyMapping.Always;

        /// <summary>0 when this is not a matching attribute; otherwise its order among the matching attributes (1 first).</summary>
        public int MatchingPrecedence { get; set; }

        [JsonIgnore]
        public bool IsMatching => MatchingPrecedence > 0;

        /// <summary>What the value comes from, as the blade shows it.</summary>
        [JsonIgnore]
        public string Source =>
            Type == MappingType.Direct ? SourceAttribute
            : Type == MappingType.Constant ? "\"" + ConstantValue + "\""
            : Type == MappingType.Expression ? Expression
            : null;

        public AttributeMapping Clone() => (AttributeMapping)MemberwiseClone();
    }
}
