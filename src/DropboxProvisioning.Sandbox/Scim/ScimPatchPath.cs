namespace DropboxProvisioning.Sandbox.Scim
{
    /// <summary>
    /// A PATCH operation's target (RFC 7644 §3.5.2): an attribute path, or a value path selecting elements of a
    /// multi-valued attribute with an optional sub-attribute after the brackets, e.g. emails[type eq "work"].value.
    /// </summary>
    internal sealed class ScimPatchPath
    {
        public ScimPatchPath(ScimAttributePath attribute, ScimFilter filter, string subAttributeAfterFilter)
        {
            Attribute = attribute; Filter = filter; FilteredSubAttribute = subAttributeAfterFilter;
        }

        public ScimAttributePath Attribute { get; }
        /// <summary>The value filter between brackets, or null.</summary>
        public ScimFilter Filter { get; }
        /// <summary>The sub-attribute after the brackets, or null.</summary>
        public string FilteredSubAttribute { get; }

        public static ScimPatchPath Parse(string text) => new ScimFilterParser(text, "invalidPath").ParsePatchPath();
    }
}
