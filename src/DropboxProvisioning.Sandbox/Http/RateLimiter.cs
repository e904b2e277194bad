using System;
using System.Diagnostics;

namespace DropboxProvisioning.Sandbox.Http
{
    /// <summary>
    /// A token bucket, as the real services meter requests: a burst of one second's worth is allowed,
    /// beyond that a request is refused with the number of whole seconds after which it would be accepted.
    /// Time is measured on a monotonic clock: a wall clock stepped back (NTP) must not take tokens away.
    /// </summary>
    public sealed class RateLimiter
    {
        private readonly object _gate = new object();
        private readonly Func<DateTimeOffset> _clock;
        private double _tokens;
        private DateTimeOffset _last;

        public RateLimiter(double requestsPerSecond, Func<DateTimeOffset> clock = null)
        {
            RequestsPerSecond = requestsPerSecond;
            _clock = clock ?? MonotonicClock();
            _tokens = Math.Max(1, requestsPerSecond);
            _last = _clock();
        }

        public double RequestsPerSecond { get; set; }

        /// <summary>Takes one request's token; returns null when accepted, else the Retry-After delay in seconds.</summary>
        public int? TryAcquire()
        {
            if (RequestsPerSecond <= 0) return null;
            lock (_gate)
            {
                var now = _clock();
                var capacity = Math.Max(1, RequestsPerSecond);
                var elapsed = Math.Max(0, (now - _last).TotalSeconds);
                _tokens = Math.Min(capacity, _tokens + elapsed * RequestsPerSecond);
                if (now > _last) _last = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return null;
                }
                var wait = (1 - _tokens) / RequestsPerSecond;
                return Math.Max(1, (int)Math.Ceiling(wait));
            }
        }

        private static Func<DateTimeOffset> MonotonicClock()
        {
            var start = DateTimeOffset.UtcNow;
            var watch = Stopwatch.StartNew();
            return () => start + watch.Elapsed;
        }
    }
}
