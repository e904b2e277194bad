namespace DropboxProvisioning.State
{
    /// <summary>One attribute a change sets, with the value Dropbox had and the value it gets.</summary>
    public sealed class ModifiedProperty
    {
        public ModifiedProperty(string name, string oldValue, string newValue) { Name = name; OldValue = oldValue; NewValue = newValue; }
        public string Name { get; }
        public string OldValue { get; }
        public string NewValue { get; }
        public override string ToString() => $"{Name}: '{OldValue}' -> '{NewValue}'";
    }
}
