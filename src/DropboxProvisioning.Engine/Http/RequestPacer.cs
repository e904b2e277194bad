using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Http
{
    /// <summary>
    /// Paces requests to Dropbox so a cycle runs at the target's rate limit instead of overrunning it: requests
    /// leave no faster than the current rate, which never exceeds the configured maximum. A 429 pauses every
    /// request until Retry-After and cuts the rate by a fifth; each clean second raises it by one again, up to
    /// the maximum. Sits inside the retry handler, so retries are paced too.
    /// </summary>
    public sealed class RequestPacer : DelegatingHandler
    {
        private readonly object _gate = new object();
        private double _maxRate;
        private double _rate;
        private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
        private DateTimeOffset _lastRaise = DateTimeOffset.MinValue;
        private long _throttled;

        public RequestPacer(double maxRequestsPerSecond)
        {
            MaxRequestsPerSecond = maxRequestsPerSecond;
        }

        /// <summary>The most requests per second ever sent; 0 or less means no pacing.</summary>
        public double MaxRequestsPerSecond
        {
            get { lock (_gate) return _maxRate; }
            set { lock (_gate) { _maxRate = value; _rate = value; } }
        }

        /// <summary>The rate requests go out at now (cut after 429s, raised again while answers are clean).</summary>
        public double CurrentRate { get { lock (_gate) return _rate; } }

        /// <summary>How many 429s this pacer has seen.</summary>
        public long Throttled => Interlocked.Read(ref _throttled);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var wait = Reserve();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode == 429) Throttle(RetryAfter(response));
            else Clean();
            return response;
        }

        /// <summary>Takes the next free send slot; returns how long to wait for it.</summary>
        private TimeSpan Reserve()
        {
            lock (_gate)
            {
                var now = DateTimeOffset.UtcNow;
                if (_maxRate <= 0) return _pausedUntil > now ? _pausedUntil - now : TimeSpan.Zero;
                var slot = new[] { now, _nextSlot, _pausedUntil }.Max();
                _nextSlot = slot + TimeSpan.FromSeconds(1 / Math.Max(0.1, _rate));
                return slot - now;
            }
        }

        private void Throttle(TimeSpan retryAfter)
        {
            Interlocked.Increment(ref _throttled);
            lock (_gate)
            {
                var until = DateTimeOffset.UtcNow + retryAfter;
                if (until > _pausedUntil) _pausedUntil = until;
                if (_maxRate > 0) _rate = Math.Max(1, _rate * 0.8);
                _lastRaise = DateTimeOffset.UtcNow;
            }
        }

        private void Clean()
        {
            lock (_gate)
            {
                var now = DateTimeOffset.UtcNow;
                if (_maxRate <= 0 || _rate >= _maxRate || now - _lastRaise < TimeSpan.FromSeconds(1)) return;
                _rate = Math.Min(_maxRate, _rate + 1);
                _lastRaise = now;
            }
        }

        private static TimeSpan RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header?.Delta != null) return header.Delta.Value;
            if (header?.Date != null) return header.Date.Value - DateTimeOffset.UtcNow;
            if (response.Headers.TryGetValues("Retry-After", out var values)
                && double.TryParse(string.Join("", values), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                return TimeSpan.FromSeconds(seconds);
            return TimeSpan.FromSeconds(1);
        }
    }

    internal static class DateTimeOffsetExtensions
    {
        public static DateTimeOffset Max(this DateTimeOffset[] values)
        {
            var max = values[0];
            foreach (var value in values) if (value > max) max = value;
            return max;
        }
    }
}
