using System;
using System.Linq;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace DropboxProvisioning.State.Storage
{
    /// <summary>
    /// Azure.Core's own retries (exponential, as its defaults), except how they give up: a request that got no answer in any
    /// try (no route, refused, a TLS certificate this machine does not trust) ends with the last try's RequestFailedException
    /// (status 0), not an AggregateException of every try, so that <see cref="BlobStorageErrors"/> names it
    /// (StateStorageUnreachable) where it names every other refusal.
    /// </summary>
    internal sealed class LastTryRetryPolicy : RetryPolicy
    {
        public LastTryRetryPolicy(int maxRetries)
            : base(maxRetries, DelayStrategy.CreateExponentialDelayStrategy(TimeSpan.FromSeconds(0.8), TimeSpan.FromMinutes(1))) { }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            try { await base.ProcessAsync(message, pipeline).ConfigureAwait(false); }
            catch (AggregateException e) when (LastTry(e) != null) { throw LastTry(e); }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            try { base.Process(message, pipeline); }
            catch (AggregateException e) when (LastTry(e) != null) { throw LastTry(e); }
        }

        private static RequestFailedException LastTry(AggregateException e) => e.InnerExceptions.LastOrDefault() as RequestFailedException;
    }
}
