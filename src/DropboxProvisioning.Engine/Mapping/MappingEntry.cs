namespace DropboxProvisioning.Mapping
{
    /// <summary>An attribute mapping as Get-DbxAttributeMapping shows it: with the object type it belongs to.</summary>
    public sealed class MappingEntry
    {
        public MappingEntry(ObjectType objectType, AttributeMapping mapping)
        {
            ObjectType = objectType;
            TargetAttribute = mapping.TargetAttribute;
            Type = mapping.Type;
            SourceAttribute = mapping.SourceAttribute;
            Expression = mapping.Expression;
            ConstantValue = mapping.ConstantValue;
            DefaultValue = mapping.DefaultValue;
            Apply = mapping.Apply;
            MatchingPrecedence = mapping.MatchingPrecedence;
            Source = mapping.Source;
        }

        public ObjectType ObjectType { get; }
        public string TargetAttribute { get; }
        public MappingType Type { get; }
        /// <summary>What the value comes from: attribute, "constant" or expression.</summary>
        public string Source { get; }
        public string SourceAttribute { get; }
        public string Expression { get; }
        public string ConstantValue { get; }
        public string DefaultValue { get; }
        public ApplyMapping Apply { get; }
        public int MatchingPrecedence { get; }
        public bool IsMatching => MatchingPrecedence > 0;
    }
}
