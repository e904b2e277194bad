namespace DropboxProvisioning.Mapping
{
    /// <summary>Everything that shapes what flows into Dropbox: the user and group mappings.</summary>
    public sealed class MappingConfiguration
    {
        public ObjectMapping User { get; set; }
        public ObjectMapping Group { get; set; }

        public ObjectMapping For(ObjectType type) => type == ObjectType.User ? User : Group;

        public MappingConfiguration Clone() => new MappingConfiguration { User = User?.Clone(), Group = Group?.Clone() };
    }
}
