namespace DropboxProvisioning.Mapping.Scoping
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    /// <summary>The clause operators of Entra scoping filters (portal label / Graph name in the comments).</summary>
    public enum ScopingOperator : long
    {
        /// <summary>EQUALS: exact, case-sensitive match.</summary>
        Equals,

        /// <summary>NOT EQUALS: case-sensitive mismatch (false when the attribute is null/empty).</summary>
        NotEquals,

        /// <summary>IS TRUE: the attribute holds boolean true.</summary>
        IsTrue,

        /// <summary>IS FALSE: the attribute holds boolean false.</summary>
        IsFalse,

        /// <summary>IS NULL: the attribute is null or empty.</summary>
        IsNull,

        /// <summary>IS NOT NULL: the attribute is neither null nor empty.</summary>
        IsNotNull,

        /// <summary>REGEX MATCH: the attribute matches the .NET regular expression (case-sensitive).</summary>
        RegexMatch,

        /// <summary>NOT REGEX MATCH: the attribute does not match (false when null/empty).</summary>
        NotRegexMatch,

        /// <summary>GREATER_THAN: integer attribute greater than the integer value.</summary>
        GreaterThan,

        /// <summary>GREATER_THAN_OR_EQUALS: integer attribute greater than or equal to the integer value.</summary>
        GreaterThanOrEquals,

        /// <summary>INCLUDES: the attribute contains the value (case-sensitive substring).</summary>
        Includes,

        /// <summary>ENDS_WITH: the attribute ends with the value (case-sensitive).</summary>
        EndsWith,

        /// <summary>&amp;: the attribute's value exists in (is contained in) the clause value.</summary>
        Exists,

        /// <summary>!&amp;: the attribute's value does not exist in the clause value (false when null/empty).</summary>
        NotExists,
    }
}
