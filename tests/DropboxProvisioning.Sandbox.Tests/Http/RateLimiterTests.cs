using System;
using DropboxProvisioning.Sandbox.Http;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Http
{
    public sealed class RateLimiterTests
    {
        [Fact]
        public void A_burst_of_one_seconds_worth_is_accepted_then_refused_with_the_whole_seconds_to_wait()
        {
            var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var limiter = new RateLimiter(2, () => now);
            Assert.Null(limiter.TryAcquire());
            Assert.Null(limiter.TryAcquire());
            Assert.Equal(1, limiter.TryAcquire());
            now = now.AddSeconds(0.5);
            Assert.Null(limiter.TryAcquire());
        }

        [Fact]
        public void A_clock_stepped_back_takes_no_tokens_away()
        {
            // A raised limit refills fast: a step back of 10 ms counted as time would have cost it 100 tokens.
            var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var limiter = new RateLimiter(25, () => now);
            limiter.RequestsPerSecond = 10000;
            Assert.Null(limiter.TryAcquire());
            now = now.AddMilliseconds(-10);
            Assert.Null(limiter.TryAcquire());
            Assert.Null(limiter.TryAcquire());
            now = now.AddMilliseconds(5);
            Assert.Null(limiter.TryAcquire());
        }

        [Fact]
        public void The_default_clock_is_monotonic_and_a_high_limit_never_refuses()
        {
            var limiter = new RateLimiter(25) { RequestsPerSecond = 10000 };
            for (var i = 0; i < 20; i++) Assert.Null(limiter.TryAcquire());
        }
    }
}
