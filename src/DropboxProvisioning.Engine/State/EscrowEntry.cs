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

        /// <summary>
        /// Why the change waits when it did not fail: <see cref="LicenseLimit"/> for a create held back because the team had
        /// no license left for it. Null (and absent from the file) for a failure.
        /// </summary>
        public string Reason { get; set; }

        /// <summary>The reason of a create held back for want of a license (Team API; see DropboxProvisioning.Sync.SeatLimit).</summary>
        public const string LicenseLimit = "LicenseLimit";

        /// <summary>
        /// The reason of a user whose invitation the engine withdrew (WithdrawInviteAfterDays): it is not invited again
        /// (never due) until Restart-DbxProvisioning -Scope Escrows lets it through.
        /// </summary>
        public const string InviteWithdrawn = "InviteWithdrawn";

        /// <summary>The reasons a file may hold.</summary>
        public static bool IsKnownReason(string reason) => reason == LicenseLimit || reason == InviteWithdrawn;

        public override string ToString() => Reason != null
            ? $"{Identity}: waiting ({Reason}) since {FirstFailure:u}: {LastError}"
            : $"{Identity}: {Attempts} attempt(s), next {NextAttempt:u}: {LastError}";

        /// <summary>
        /// A change held back rather than failed (<paramref name="reason"/>): it is due again at the next cycle, with no
        /// backoff, and FirstFailure keeps when it first had to wait (<paramref name="since"/>, its cycle's start) (the order in which waiting changes go first).
        /// </summary>
        public void Waiting(string reason, string details, DateTimeOffset since, DateTimeOffset now)
        {
            if (Attempts == 0) FirstFailure = since;
            Attempts++;
            Reason = reason;
            LastError = details;
            NextAttempt = now;
        }

        /// <summary>Doubling backoff: the next attempt waits 0, 1, 2, 4... cycle intervals, at most a day.</summary>
        public void Failed(string error, DateTimeOffset now, TimeSpan cycleInterval)
        {
            if (Reason != null) { Attempts = 0; Reason = null; } // a wait is no failed attempt: the backoff starts now
            if (Attempts == 0) FirstFailure = now;
            Attempts++;
            LastError = error;
            var wait = TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(1).Ticks, cycleInterval.Ticks * (long)Math.Pow(2, Math.Min(10, Attempts - 1)) - cycleInterval.Ticks));
            NextAttempt = now + (wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        }
    }
}
