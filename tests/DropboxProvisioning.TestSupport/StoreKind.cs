namespace DropboxProvisioning.TestSupport
{
    /// <summary>The two media a job's state lives in; the store-dependent suites are theories over both.</summary>
    public enum StoreKind { Local, Blob }
}
