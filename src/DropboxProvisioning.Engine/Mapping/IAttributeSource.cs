namespace DropboxProvisioning.Mapping
{
    /// <summary>A source object (Entra user or group) as the mapping sees it. Attribute names are case-insensitive.</summary>
    public interface IAttributeSource
    {
        bool TryGetValue(string attributeName, out object value);
    }
}
