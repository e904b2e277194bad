namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// How a running cycle tells its host what it is doing. Calls arrive on worker threads; the cmdlet
    /// layer queues them onto the pipeline thread.
    /// </summary>
    public interface ICycleObserver
    {
        void Progress(string activity, string status, int percentComplete);
        void Verbose(string message);
        void Warning(string message);
    }

    /// <summary>An observer that ignores everything (engine tests, benchmarks).</summary>
    public sealed class NullCycleObserver : ICycleObserver
    {
        public static readonly NullCycleObserver Instance = new NullCycleObserver();
        public void Progress(string activity, string status, int percentComplete) { }
        public void Verbose(string message) { }
        public void Warning(string message) { }
    }
}
