using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Http;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Http
{
    /// <summary>The pacer's in-flight bound: raised while answers are fast and clean, cut when they slow down or on 429.</summary>
    public sealed class RequestPacerTests
    {
        /// <summary>A service whose answers take a base time plus a delay per other request in flight, and that counts its peak.</summary>
        private sealed class Service : HttpMessageHandler
        {
            private int _inFlight;
            public int Peak;
            public TimeSpan Base = TimeSpan.FromMilliseconds(20);
            public TimeSpan PerOther = TimeSpan.Zero;
            public Func<int, HttpStatusCode> Status = _ => HttpStatusCode.OK;
            public TaskCompletionSource<bool> Hold;
            private int _count;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var others = Interlocked.Increment(ref _inFlight) - 1;
                int peak;
                while ((peak = Volatile.Read(ref Peak)) < others + 1 && Interlocked.CompareExchange(ref Peak, others + 1, peak) != peak) { }
                try
                {
                    if (Hold != null) await Hold.Task.ConfigureAwait(false);
                    await Task.Delay(Base + TimeSpan.FromTicks(PerOther.Ticks * others), cancellationToken).ConfigureAwait(false);
                    var response = new HttpResponseMessage(Status(Interlocked.Increment(ref _count)));
                    if (response.StatusCode == (HttpStatusCode)429) response.Headers.TryAddWithoutValidation("Retry-After", "0");
                    return response;
                }
                finally { Interlocked.Decrement(ref _inFlight); }
            }
        }

        private static HttpClient Client(RequestPacer pacer, Service service)
        {
            pacer.InnerHandler = service;
            return new HttpClient(pacer);
        }

        private static Task Burst(HttpClient client, int count, CancellationToken cancellationToken = default) =>
            Task.WhenAll(Enumerable.Range(0, count).Select(_ => client.GetAsync("http://dropbox.test/scim/v2/Users", cancellationToken)));

        [Fact]
        public async Task While_answers_stay_fast_the_bound_grows_to_the_maximum_and_no_further()
        {
            // 100 ms answers: a loaded test machine's scheduling noise stays far below twice that.
            var service = new Service { Base = TimeSpan.FromMilliseconds(100) };
            var pacer = new RequestPacer(0) { MaxInFlight = 8 };
            Assert.Equal(2, pacer.InFlightLimit); // it starts low and earns its way up
            using var client = Client(pacer, service);
            await Burst(client, 200);
            Assert.Equal(8, pacer.InFlightLimit);
            Assert.Equal(8, service.Peak);
        }

        [Fact]
        public async Task When_answers_slow_down_with_more_in_flight_the_bound_comes_down()
        {
            // 10 ms alone, 20 ms more for each other request in flight: a service that queues what it is sent.
            var service = new Service { Base = TimeSpan.FromMilliseconds(10), PerOther = TimeSpan.FromMilliseconds(20) };
            var pacer = new RequestPacer(0) { MaxInFlight = 16 };
            using var client = Client(pacer, service);
            await Burst(client, 300);
            Assert.True(pacer.InFlightLimit <= 4, $"bound {pacer.InFlightLimit}");
            Assert.True(service.Peak <= 8, $"peak {service.Peak} of 16 allowed");
        }

        [Fact]
        public async Task A_429_halves_the_bound()
        {
            var service = new Service { Base = TimeSpan.FromMilliseconds(100) };
            var pacer = new RequestPacer(0) { MaxInFlight = 8 };
            using var client = Client(pacer, service);
            await Burst(client, 100);
            Assert.Equal(8, pacer.InFlightLimit);
            service.Status = _ => (HttpStatusCode)429;
            await client.GetAsync("http://dropbox.test/scim/v2/Users");
            Assert.Equal(4, pacer.InFlightLimit);
            Assert.Equal(1, pacer.Throttled);
        }

        [Fact]
        public async Task A_request_cancelled_while_it_waits_for_a_slot_leaves_the_slots_as_they_were()
        {
            var service = new Service { Hold = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously) };
            var pacer = new RequestPacer(0) { MaxInFlight = 1 };
            using var client = Client(pacer, service);
            var first = client.GetAsync("http://dropbox.test/a");
            using (var cancel = new CancellationTokenSource())
            {
                var waiting = client.GetAsync("http://dropbox.test/b", cancel.Token);
                await Task.Delay(50);
                Assert.False(waiting.IsCompleted);
                cancel.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            }
            service.Hold.SetResult(true);
            await first;
            // The cancelled waiter took no slot with it: the next requests go through one at a time.
            await Burst(client, 5);
            Assert.Equal(1, service.Peak);
        }

        [Fact]
        public async Task Without_a_maximum_nothing_is_bounded()
        {
            var service = new Service();
            var pacer = new RequestPacer(0);
            using var client = Client(pacer, service);
            await Burst(client, 40);
            Assert.True(service.Peak > 20, $"peak {service.Peak}");
        }
    }
}
