namespace DropboxProvisioning.Sandbox.Directory
{
    /// <summary>Where a directory object stands: what a delta query reports about it.</summary>
    public enum ObjectState
    {
        Live,
        /// <summary>In deleted items (restorable): delta says @removed reason "changed".</summary>
        SoftDeleted,
        /// <summary>Deleted for good or never existed: delta says @removed reason "deleted".</summary>
        Gone,
    }
}
