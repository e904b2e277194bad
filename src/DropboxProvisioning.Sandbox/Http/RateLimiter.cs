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
            _clock = clock ?? MonotonicClock();
            RequestsPerSecond = requestsPerSecond;
        }

        private double _requestsPerSecond;

        /// <summary>
        /// The rate. Setting it fills the bucket to the new rate's burst: a limit changed at run time (a test raising it to
        /// 10,000/s) otherwise kept the old burst's tokens, and a warm process could spend them within a millisecond.
        /// </summary>
        public double RequestsPerSecond
        {
            get => _requestsPerSecond;
            set
            {
                lock (_gate)
                {
                    _requestsPerSecond = value;
                    _tokens = Math.Max(1, value);
                    _last = _clock();
                }
            }
        }

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
