namespace DropboxProvisioning.Mapping.Expressions
{
    /// <summary>Stable identifiers for <see cref="ExpressionException.ErrorId"/>; the PowerShell layer surfaces them.</summary>
    public static class ExpressionErrorIds
    {
        /// <summary>The text does not follow the grammar (missing ')', unterminated string, stray character...).</summary>
        public const string ExpressionSyntax = "ExpressionSyntax";

        /// <summary>A function name that is not in <see cref="ExpressionFunctions.All"/> (names are case-sensitive).</summary>
        public const string UnknownFunction = "UnknownFunction";

        /// <summary>A function called with fewer or more arguments than its signature allows.</summary>
        public const string ArgumentCount = "ArgumentCount";

        /// <summary>The expression is longer than <see cref="ExpressionParser.MaxLength"/> characters.</summary>
        public const string ExpressionTooLong = "ExpressionTooLong";

        /// <summary>An argument is invalid: a literal regex that does not compile, an unknown interval, a missing required argument...</summary>
        public const string InvalidArgument = "InvalidArgument";

        /// <summary>A regular expression took longer than its time limit while evaluating.</summary>
        public const string RegexTimeout = "RegexTimeout";

        /// <summary>SelectUniqueValue found no candidate that is free in the target (Entra escrows the object).</summary>
        public const string NoUniqueValue = "NoUniqueValue";
    }
}
