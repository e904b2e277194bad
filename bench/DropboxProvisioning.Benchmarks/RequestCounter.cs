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
        private long _reads, _polls, _writes, _throttled, _graph, _graphThrottled, _login, _dropboxToken, _other;

        private System.Collections.Concurrent.ConcurrentDictionary<string, long> _routes = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();

        public RequestCounter(IBenchTarget target) { _target = target; }

        public void Served(string method, string path, int status)
        {
            if (_target.Owns(path))
            {
                _routes.AddOrUpdate(status == 429 ? "429" : path, 1, (_, n) => n + 1);
                if (status == 429) Interlocked.Increment(ref _throttled);
                else if (_target.IsWrite(method, path)) Interlocked.Increment(ref _writes);
                else
                {
                    Interlocked.Increment(ref _reads);
                    if (_target.IsJobPoll(path)) Interlocked.Increment(ref _polls);
                }
            }
            else if (path.StartsWith("/v1.0/", System.StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref _graph);
                if (status == 429) Interlocked.Increment(ref _graphThrottled);
            }
            else if (path.TrimEnd('/') == "/oauth2/token") Interlocked.Increment(ref _dropboxToken); // Dropbox's OAuth endpoint (Entra's is /{tenant}/oauth2/v2.0/token)
            else if (path.Contains("/oauth2/") || path.StartsWith("/msi/")) Interlocked.Increment(ref _login);
            else Interlocked.Increment(ref _other);
        }

        public RequestCounts Take()
        {
            var routes = Interlocked.Exchange(ref _routes, new System.Collections.Concurrent.ConcurrentDictionary<string, long>());
            return new RequestCounts
            {
                ByRoute = string.Join(", ", System.Linq.Enumerable.Select(System.Linq.Enumerable.OrderByDescending(routes, p => p.Value), p => $"{p.Key} {p.Value:N0}")),
                TargetReads = Interlocked.Exchange(ref _reads, 0),
                TargetJobPolls = Interlocked.Exchange(ref _polls, 0),
                TargetWrites = Interlocked.Exchange(ref _writes, 0),
                TargetThrottled = Interlocked.Exchange(ref _throttled, 0),
                Graph = Interlocked.Exchange(ref _graph, 0),
                GraphThrottled = Interlocked.Exchange(ref _graphThrottled, 0),
                Login = Interlocked.Exchange(ref _login, 0),
                DropboxToken = Interlocked.Exchange(ref _dropboxToken, 0),
                Other = Interlocked.Exchange(ref _other, 0),
            };
        }
    }

    public sealed class RequestCounts
    {
        /// <summary>Target requests answered normally (not 429) that only read.</summary>
        public long TargetReads { get; set; }
        /// <summary>Of <see cref="TargetReads"/>, the polls of asynchronous jobs (members/add/job_status/get_v2...).</summary>
        public long TargetJobPolls { get; set; }
        /// <summary>Target requests answered normally (not 429) that write.</summary>
        public long TargetWrites { get; set; }
        /// <summary>Target requests refused with 429 (reads or writes).</summary>
        public long TargetThrottled { get; set; }
        public long TargetTotal => TargetReads + TargetWrites + TargetThrottled;
        public long Graph { get; set; }
        public long GraphThrottled { get; set; }
        /// <summary>Entra token requests (and managed identity).</summary>
        public long Login { get; set; }
        /// <summary>Dropbox's /oauth2/token (the Team API's access token from the refresh token).</summary>
        public long DropboxToken { get; set; }
        public long Other { get; set; }
        /// <summary>The target's requests per path (and 429s), most first: printed on the console, not in the table.</summary>
        public string ByRoute { get; set; }
    }
}
