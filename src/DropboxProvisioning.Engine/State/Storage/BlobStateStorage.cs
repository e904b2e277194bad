using System.Runtime.CompilerServices;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// Opens a blob container's storage behind the interface: callers that may open one (ConnectionFactory) then do not make
    /// the runtime load the Azure SDK for a job whose state is a local directory.
    /// </summary>
    public static class BlobStateStorage
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static IStateStorage Open(BlobStateOptions options) => BlobContainerStorage.Open(options);
    }
}
