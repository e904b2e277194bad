namespace DropboxProvisioning.Mapping
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    /// <summary>The object types Entra maps for Dropbox.</summary>
    public enum ObjectType : long { User, Group }

    /// <summary>Entra's mapping types.</summary>
    public enum MappingType : long { Direct, Constant, Expression, None }

    /// <summary>Entra's "Apply this mapping".</summary>
    public enum ApplyMapping : long { Always, OnCreateOnly }

    /// <summary>The type of a target attribute's value, so that "True" from an expression becomes true on the wire.</summary>
    public enum TargetValueType { String, Boolean, Integer, Reference }
}
