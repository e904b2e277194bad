using System.Threading;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>
    /// Counts every request the loopback server answers, by service, from LoopbackServer.Served (the sandbox's own
    /// journal keeps only its latest 100,000 entries, fewer than a 100,000-user cycle makes).
    /// </summary>
    public sealed class RequestCounter
    {
        private readonly IBenchTarget _target;
        private long _reads, _writes, _throttled, _graph, _graphThrottled, _login, _other;

        public RequestCounter(IBenchTarget target) { _target = target; }

        public void Served(string method, string path, int status)
        {
            if (_target.Owns(path))
            {
                if (status == 429) Interlocked.Increment(ref _throttled);
                else if (_target.IsWrite(method, path)) Interlocked.Increment(ref _writes);
                else Interlocked.Increment(ref _reads);
            }
            else if (path.StartsWith("/v1.0/", System.StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref _graph);
                if (status == 429) Interlocked.Increment(ref _graphThrottled);
            }
            else if (path.Contains("/oauth2/") || path.StartsWith("/msi/")) Interlocked.Increment(ref _login);
            else Interlocked.Increment(ref _other);
        }

        public RequestCounts Take()
        {
            return new RequestCounts
            {
                TargetReads = Interlocked.Exchange(ref _reads, 0),
                TargetWrites = Interlocked.Exchange(ref _writes, 0),
                TargetThrottled = Interlocked.Exchange(ref _throttled, 0),
                Graph = Interlocked.Exchange(ref _graph, 0),
                GraphThrottled = Interlocked.Exchange(ref _graphThrottled, 0),
                Login = Interlocked.Exchange(ref _login, 0),
                Other = Interlocked.Exchange(ref _other, 0),
            };
        }
    }

    public sealed class RequestCounts
    {
        /// <summary>Target requests answered normally (not 429) that only read.</summary>
        public long TargetReads { get; set; }
        /// <summary>Target requests answered normally (not 429) that write.</summary>
        public long TargetWrites { get; set; }
        /// <summary>Target requests refused with 429 (reads or writes).</summary>
        public long TargetThrottled { get; set; }
        public long TargetTotal => TargetReads + TargetWrites + TargetThrottled;
        public long Graph { get; set; }
        public long GraphThrottled { get; set; }
        public long Login { get; set; }
        public long Other { get; set; }
    }
}
