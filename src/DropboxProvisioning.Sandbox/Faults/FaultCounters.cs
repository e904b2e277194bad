using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;

namespace DropboxProvisioning.Sandbox.Faults
{
    /// <summary>How many faults of each kind the sandbox injected, per service: for tests' assertions and for reports.</summary>
    public sealed class FaultCounters
    {
        private readonly ConcurrentDictionary<string, long> _counts = new ConcurrentDictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        private long _requests;
        private long _appliedButLost;

        /// <summary>Requests the plan looked at (faulted or not).</summary>
        public long Requests => Interlocked.Read(ref _requests);

        /// <summary>Requests that were carried out (2xx) but whose answer the client never got intact (lost, dropped, garbled).</summary>
        public long AppliedButLost => Interlocked.Read(ref _appliedButLost);

        /// <summary>Faults injected in all.</summary>
        public long Total => _counts.Where(p => p.Key.IndexOf('/') < 0).Sum(p => p.Value);

        /// <summary>Faults of one kind, on one service or (null) on all.</summary>
        public long Count(FaultKind kind, string service = null) =>
            _counts.TryGetValue(service == null ? kind.ToString() : service + "/" + kind, out var n) ? n : 0;

        public long this[FaultKind kind] => Count(kind);

        /// <summary>Every kind with its count (kinds never injected included, as 0).</summary>
        public IReadOnlyDictionary<FaultKind, long> ByKind() =>
            ((FaultKind[])Enum.GetValues(typeof(FaultKind))).ToDictionary(k => k, k => Count(k));

        /// <summary>"service/Kind" to count, for every pair that happened.</summary>
        public IReadOnlyDictionary<string, long> ByServiceAndKind() =>
            _counts.Where(p => p.Key.IndexOf('/') >= 0).OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);

        internal void Request() => Interlocked.Increment(ref _requests);
        internal void Lost() => Interlocked.Increment(ref _appliedButLost);

        internal void Add(string service, FaultKind kind)
        {
            _counts.AddOrUpdate(kind.ToString(), 1, (_, n) => n + 1);
            _counts.AddOrUpdate(service + "/" + kind, 1, (_, n) => n + 1);
        }

        public void Reset()
        {
            _counts.Clear();
            Interlocked.Exchange(ref _requests, 0);
            Interlocked.Exchange(ref _appliedButLost, 0);
        }

        /// <summary>One line: "requests=120 faults=31 Throttle=12 BadGateway=3 ... appliedButLost=2".</summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append("requests=").Append(Requests.ToString(CultureInfo.InvariantCulture)).Append(" faults=").Append(Total.ToString(CultureInfo.InvariantCulture));
            foreach (var pair in ByKind().Where(p => p.Value > 0))
                text.Append(' ').Append(pair.Key).Append('=').Append(pair.Value.ToString(CultureInfo.InvariantCulture));
            text.Append(" appliedButLost=").Append(AppliedButLost.ToString(CultureInfo.InvariantCulture));
            return text.ToString();
        }
    }
}
