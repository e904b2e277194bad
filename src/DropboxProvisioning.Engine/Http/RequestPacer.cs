using System;
using System.Collections.Generic;
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
    /// It also bounds how many requests are in flight, and adapts that bound to the target, as TCP adapts its
    /// window: it starts at 2 and grows by one per clean answer while answers stay fast; once cut it grows by
    /// one per round of answers. Answers slower than twice the fastest recent one (the service is queueing our
    /// requests) cut it by a fifth, a 429 halves it; it never exceeds <see cref="MaxInFlight"/>. An answer to a
    /// request that was alone in flight sets what "fast" is, so a service that became slower for everyone is
    /// not mistaken for one we overload.
    /// </summary>
    public sealed class RequestPacer : DelegatingHandler
    {
        private readonly object _gate = new object();
        private readonly Time.IClock _clock;
        // The pacer's own timeline (send slots, pauses, the latency window): the connection's clock when the pacer was
        // made, moved on by a Stopwatch. Its waits are real waits (Task.Delay), so they are measured on monotonic
        // elapsed time: a pinned clock must not freeze them, nor a step of the machine's clock stretch or cut them.
        // The clock itself decides what only it can: how far off an HTTP-date Retry-After is.
        private readonly DateTimeOffset _origin;
        private readonly System.Diagnostics.Stopwatch _elapsed = System.Diagnostics.Stopwatch.StartNew();
        private double _maxRate;
        private double _rate;
        private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
        private DateTimeOffset _lastRaise = DateTimeOffset.MinValue;
        private long _throttled;

        // In-flight bound (see the class summary).
        private int _maxInFlight;
        private double _limit = InitialInFlight;
        private int _inFlight;
        private bool _slowStart = true;
        private double _fastest = double.MaxValue;      // ms, the fastest answer of the current window
        private double _fastestPrevious = double.MaxValue;
        private DateTimeOffset _windowStart;
        private DateTimeOffset _lastCut = DateTimeOffset.MinValue;
        private readonly Queue<TaskCompletionSource<bool>> _waiting = new Queue<TaskCompletionSource<bool>>();
        private const int InitialInFlight = 2;
        private static readonly TimeSpan LatencyWindow = TimeSpan.FromSeconds(30);

        /// <param name="clock">The connection's clock; null for the machine's.</param>
        public RequestPacer(double maxRequestsPerSecond, Time.IClock clock = null)
        {
            _clock = clock ?? Time.SystemClock.Instance;
            _origin = _windowStart = _clock.UtcNow;
            MaxRequestsPerSecond = maxRequestsPerSecond;
        }

        private DateTimeOffset Now => _origin + _elapsed.Elapsed;

        /// <summary>The most requests per second ever sent; 0 or less means no pacing.</summary>
        public double MaxRequestsPerSecond
        {
            get { lock (_gate) return _maxRate; }
            set { lock (_gate) { _maxRate = value; _rate = value; } }
        }

        /// <summary>The rate requests go out at now (cut after 429s, raised again while answers are clean).</summary>
        public double CurrentRate { get { lock (_gate) return _rate; } }

        /// <summary>The most requests in flight at once (the job's MaxConcurrency); 0 or less means no bound.</summary>
        public int MaxInFlight
        {
            get { lock (_gate) return _maxInFlight; }
            set
            {
                lock (_gate)
                {
                    _maxInFlight = value;
                    _limit = value <= 0 ? InitialInFlight : Math.Min(_limit, value);
                    ReleaseWaiters();
                }
            }
        }

        /// <summary>How many requests may be in flight now (adapted to the target's answers, at most <see cref="MaxInFlight"/>).</summary>
        public int InFlightLimit { get { lock (_gate) return CurrentLimit; } }

        private int CurrentLimit => _maxInFlight <= 0 ? int.MaxValue : Math.Max(1, Math.Min(_maxInFlight, (int)_limit));

        /// <summary>How many 429s this pacer has seen.</summary>
        public long Throttled => Interlocked.Read(ref _throttled);

        /// <summary>Told of each 429 and its Retry-After, whoever retries it (the pipeline's retry handler, mostly).</summary>
        public Action<TimeSpan> RateLimited { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken).ConfigureAwait(false);
            var status = 0; // no answer, until one comes
            double milliseconds = 0;
            var alone = false;
            TimeSpan? retryAfter = null;
            try
            {
                TimeSpan wait;
                (wait, alone) = Reserve();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                var clock = System.Diagnostics.Stopwatch.StartNew(); // an answer's latency: elapsed time, not a time of day
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                milliseconds = clock.Elapsed.TotalMilliseconds;
                status = (int)response.StatusCode;
                if (status == 429)
                {
                    retryAfter = RetryAfter(response, _clock.UtcNow);
                    Interlocked.Increment(ref _throttled);
                    RateLimited?.Invoke(retryAfter.Value);
                }
                return response;
            }
            finally
            {
                Exit(status, milliseconds, retryAfter, alone);
            }
        }

        /// <summary>Waits for a free in-flight slot.</summary>
        private Task EnterAsync(CancellationToken cancellationToken)
        {
            TaskCompletionSource<bool> waiter;
            lock (_gate)
            {
                if (_inFlight < CurrentLimit) { _inFlight++; return Task.CompletedTask; }
                waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Enqueue(waiter);
            }
            if (!cancellationToken.CanBeCanceled) return waiter.Task;
            // A cancelled waiter stays queued and ReleaseWaiters passes over it; if its slot was handed over first,
            // the cancellation comes too late and the request goes ahead with the slot (and frees it when answered).
            var registration = cancellationToken.Register(() => waiter.TrySetCanceled());
            return WaitAsync(waiter, registration);
        }

        private async Task WaitAsync(TaskCompletionSource<bool> waiter, CancellationTokenRegistration registration)
        {
            using (registration) await waiter.Task.ConfigureAwait(false);
        }

        /// <summary>
        /// Frees the slot and adapts to how the answer came back (status 0: none came): a 429 pauses every request
        /// until Retry-After, cuts the rate by a fifth and halves the in-flight bound; any other answer raises the rate
        /// by one per clean second; a clean answer's time moves the in-flight bound (see the class summary).
        /// </summary>
        private void Exit(int status, double milliseconds, TimeSpan? retryAfter, bool alone)
        {
            lock (_gate)
            {
                _inFlight--;
                var now = Now;
                if (retryAfter != null)
                {
                    var until = now + retryAfter.Value;
                    if (until > _pausedUntil) _pausedUntil = until;
                    if (_maxRate > 0) _rate = Math.Max(1, _rate * 0.8);
                    _lastRaise = now;
                    _limit = Math.Max(1, _limit / 2);
                    _slowStart = false;
                    _lastCut = now;
                }
                else if (status != 0)
                {
                    if (_maxRate > 0 && _rate < _maxRate && now - _lastRaise >= TimeSpan.FromSeconds(1))
                    {
                        _rate = Math.Min(_maxRate, _rate + 1);
                        _lastRaise = now;
                    }
                    if (status < 500 && milliseconds > 0) AdaptInFlight(milliseconds, alone, now);
                }
                ReleaseWaiters();
            }
        }

        /// <summary>A clean answer: raise the in-flight bound while answers stay fast, cut it when they slow down.</summary>
        private void AdaptInFlight(double milliseconds, bool alone, DateTimeOffset now)
        {
            if (alone)
            {
                // Nothing else of ours was in flight: this is how fast Dropbox answers now, uncongested by us.
                _fastest = _fastestPrevious = milliseconds;
                _windowStart = now;
            }
            else
            {
                if (now - _windowStart > LatencyWindow)
                {
                    // The fastest answer is looked for again now and then: the path to Dropbox may have changed.
                    _fastestPrevious = _fastest;
                    _fastest = double.MaxValue;
                    _windowStart = now;
                }
                _fastest = Math.Min(_fastest, milliseconds);
                var baseline = Math.Min(_fastest, _fastestPrevious);
                if (milliseconds > 2 * baseline + 10)
                {
                    // Answers slow down as more are sent: the service queues them. Cut once per round trip at most.
                    if (now - _lastCut > TimeSpan.FromMilliseconds(Math.Max(100, baseline)))
                    {
                        _limit = Math.Max(1, _limit * 0.8);
                        _slowStart = false;
                        _lastCut = now;
                    }
                    return;
                }
            }
            if (_maxInFlight > 0 && _limit < _maxInFlight) _limit = Math.Min(_maxInFlight, _limit + (_slowStart ? 1 : 1 / _limit));
        }

        /// <summary>Hands free slots to waiters, first come first served (a waiter already cancelled gives its slot on).</summary>
        private void ReleaseWaiters()
        {
            while (_waiting.Count > 0 && _inFlight < CurrentLimit)
            {
                var next = _waiting.Dequeue();
                _inFlight++;
                if (!next.TrySetResult(true)) _inFlight--;
            }
        }

        /// <summary>Takes the next free send slot: how long to wait for it, and whether this request is the only one of ours in flight.</summary>
        private (TimeSpan Wait, bool Alone) Reserve()
        {
            lock (_gate)
            {
                var now = Now;
                var alone = _inFlight == 1;
                if (_maxRate <= 0) return (_pausedUntil > now ? _pausedUntil - now : TimeSpan.Zero, alone);
                var slot = new[] { now, _nextSlot, _pausedUntil }.Max();
                _nextSlot = slot + TimeSpan.FromSeconds(1 / Math.Max(0.1, _rate));
                return (slot - now, alone);
            }
        }

        private static TimeSpan RetryAfter(HttpResponseMessage response, DateTimeOffset now)
        {
            var header = response.Headers.RetryAfter;
            if (header?.Delta != null) return header.Delta.Value;
            if (header?.Date != null) return header.Date.Value - now;
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
