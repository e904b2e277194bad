namespace DropboxProvisioning.Mapping
{
    /// <summary>Entra's "Target Object Actions": which writes the engine may make for an object type.</summary>
    public sealed class TargetActions
    {
        public bool Create { get; set; } = true;
        public bool Update { get; set; } = true;
        public bool Delete { get; set; } = true;

        public TargetActions Clone() => (TargetActions)MemberwiseClone();

        public override string ToString() => string.Join(", ", new[] { Create ? "Create" : null, Update ? "Update" : null, Delete ? "Delete" : null }).Replace(", ,", ",").Trim(',', ' ');
    }
}
