using System;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// A managed member an offboarding rule suspended and will remove (SuspendThenRemove): since when, when the removal
    /// is due, and the rule as it stood at the suspension (what was decided then stands). Dropped when the user comes
    /// back (the member is recorded active again) or once the member is removed.
    /// </summary>
    public sealed class PendingRemoval
    {
        public string SourceId { get; set; }
        public string TargetId { get; set; }
        public string Identity { get; set; }

        /// <summary>When the engine suspended the member (the connection's clock).</summary>
        public DateTimeOffset SuspendedOn { get; set; }

        /// <summary>When the removal is due: SuspendedOn plus the rule's RemoveAfterDays.</summary>
        public DateTimeOffset RemoveAfter { get; set; }

        /// <summary>The rule that suspended the member, as it was then.</summary>
        public OffboardingRule Rule { get; set; }

        /// <summary>members/remove's options, decided at the suspension (the recipient found then).</summary>
        public Dropbox.MemberRemoval Removal { get; set; }

        /// <summary>Why no recipient of the files was found at the suspension; the removal then fails with it, logged, until the rule or the user changes.</summary>
        public string TransferProblem { get; set; }

        /// <summary>How many removals were refused so far (each refusal is logged; the removal waits in escrow, with its backoff, before it is tried again).</summary>
        public int Refusals { get; set; }

        public string LastRefusal { get; set; }

        public override string ToString() => $"{Identity}: suspended {SuspendedOn:u} by rule '{Rule?.Name}', removal due {RemoveAfter:u}{(LastRefusal == null ? "" : $" (refused {Refusals} time(s): {LastRefusal})")}";
    }
}
