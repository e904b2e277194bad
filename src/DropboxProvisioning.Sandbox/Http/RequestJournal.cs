using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace DropboxProvisioning.Sandbox.Http
{
    /// <summary>One request the sandbox answered.</summary>
    public sealed class JournalEntry
    {
        public JournalEntry(string service, string method, string path, int status, string host = null)
        {
            Service = service; Method = method; Path = path; Status = status; Host = host;
        }
        /// <summary>host[:port] the request was addressed to (the in-process handler answers for any host).</summary>
        public string Host { get; }
        public string Service { get; }
        public string Method { get; }
        public string Path { get; }
        public int Status { get; }
        public bool IsWrite => Method != "GET" && Method != "HEAD" && !Path.EndsWith("/token", StringComparison.Ordinal) && !IsReadRpc;
        // Dropbox API v2 routes are all POST; the ones that only read are named so.
        private bool IsReadRpc => Path.Contains("/list") || Path.Contains("/get_") || Path.EndsWith("/continue", StringComparison.Ordinal) || Path.Contains("team_log/");
    }

    /// <summary>
    /// What the sandbox was asked, so tests can state "this cycle made zero writes to Dropbox".
    /// Bounded: beyond the capacity only the counters keep going.
    /// </summary>
    public sealed class RequestJournal
    {
        private const int Capacity = 100_000;
        private readonly object _gate = new object();
        private readonly Queue<JournalEntry> _entries = new Queue<JournalEntry>();
        private long _total;

        public long Total => Interlocked.Read(ref _total);

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ServiceCount> _counts =
            new System.Collections.Concurrent.ConcurrentDictionary<string, ServiceCount>(StringComparer.Ordinal);

        /// <summary>Requests and writes answered per service since the start: unbounded, unlike the entries, and not cleared.</summary>
        public IReadOnlyDictionary<string, ServiceCount> CountsByService() =>
            _counts.ToDictionary(p => p.Key, p => new ServiceCount(Interlocked.Read(ref p.Value.RequestCount), Interlocked.Read(ref p.Value.WriteCount)));

        public void Record(JournalEntry entry)
        {
            Interlocked.Increment(ref _total);
            var count = _counts.GetOrAdd(entry.Service ?? "none", _ => new ServiceCount(0, 0));
            Interlocked.Increment(ref count.RequestCount);
            if (entry.IsWrite) Interlocked.Increment(ref count.WriteCount);
            lock (_gate)
            {
                _entries.Enqueue(entry);
                if (_entries.Count > Capacity) _entries.Dequeue();
            }
        }

        public IReadOnlyList<JournalEntry> Entries()
        {
            lock (_gate) return _entries.ToList();
        }

        public void Clear()
        {
            lock (_gate) _entries.Clear();
        }

        public int Count(string service, bool writesOnly = false) =>
            Entries().Count(e => e.Service == service && (!writesOnly || e.IsWrite));
    }

    /// <summary>How many requests a service answered, and how many of them were writes.</summary>
    public sealed class ServiceCount
    {
        internal long RequestCount;
        internal long WriteCount;
        public ServiceCount(long requests, long writes) { RequestCount = requests; WriteCount = writes; }
        public long Requests => RequestCount;
        public long Writes => WriteCount;
    }
}
