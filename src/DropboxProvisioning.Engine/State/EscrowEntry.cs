using System;

namespace DropboxProvisioning.State
{
    /// <summary>A change that failed and waits for a later cycle, with backoff between attempts.</summary>
    public sealed class EscrowEntry
    {
        public string SourceId { get; set; }
        public string Identity { get; set; }
        public int Attempts { get; set; }
        public DateTimeOffset FirstFailure { get; set; }
        public DateTimeOffset NextAttempt { get; set; }
        public string LastError { get; set; }

        public override string ToString() => $"{Identity}: {Attempts} attempt(s), next {NextAttempt:u}: {LastError}";

        /// <summary>Doubling backoff: the next attempt waits 0, 1, 2, 4... cycle intervals, at most a day.</summary>
        public void Failed(string error, DateTimeOffset now, TimeSpan cycleInterval)
        {
            if (Attempts == 0) FirstFailure = now;
            Attempts++;
            LastError = error;
            var wait = TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(1).Ticks, cycleInterval.Ticks * (long)Math.Pow(2, Math.Min(10, Attempts - 1)) - cycleInterval.Ticks));
            NextAttempt = now + (wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        }
    }
}
