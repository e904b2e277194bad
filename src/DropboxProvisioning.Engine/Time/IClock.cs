using System;

namespace DropboxProvisioning.Time
{
    /// <summary>
    /// The one source of "now" wherever time decides something (quarantine, escrow backoff, held deletions, token
    /// expiry, when to save): a test hands in its own clock instead of waiting.
    /// </summary>
    public interface IClock
    {
        DateTimeOffset UtcNow { get; }
    }

    /// <summary>The machine's clock.</summary>
    public sealed class SystemClock : IClock
    {
        public static readonly SystemClock Instance = new SystemClock();
        private SystemClock() { }
        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
    }
}
