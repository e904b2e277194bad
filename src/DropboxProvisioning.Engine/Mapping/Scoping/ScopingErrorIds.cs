namespace DropboxProvisioning.Mapping.Scoping
{
    /// <summary>Stable identifiers for <see cref="ScopingException.ErrorId"/>.</summary>
    public static class ScopingErrorIds
    {
        public const string UnknownOperator = "UnknownOperator";
        public const string MissingAttribute = "MissingAttribute";
        public const string MissingValue = "MissingValue";
        public const string NonIntegerValue = "NonIntegerValue";
        public const string InvalidRegex = "InvalidRegex";
        public const string EmptyFilter = "EmptyFilter";

        /// <summary>Evaluation: a REGEX MATCH clause ran past its time limit. The object is neither in nor out of scope.</summary>
        public const string RegexTimeout = "RegexTimeout";
    }
}
