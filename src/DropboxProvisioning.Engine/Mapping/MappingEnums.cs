namespace DropboxProvisioning.Mapping
{
    /// <summary>The object types Entra maps for Dropbox.</summary>
    public enum ObjectType { User, Group }

    /// <summary>Entra's mapping types.</summary>
    public enum MappingType { Direct, Constant, Expression, None }

    /// <summary>Entra's "Apply this mapping".</summary>
    public enum ApplyMapping { Always, OnCreateOnly }

    /// <summary>The type of a target attribute's value, so that "True" from an expression becomes true on the wire.</summary>
    public enum TargetValueType { String, Boolean, Integer, Reference }
}
