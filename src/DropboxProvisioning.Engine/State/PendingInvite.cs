using System;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// A managed member who has not accepted the Dropbox invitation yet, as the last cycle with the invitation settings
    /// on found it (Team API): when Dropbox invited it (invited_on) and when the engine last sent the invitation again.
    /// </summary>
    public sealed class PendingInvite
    {
        public string SourceId { get; set; }
        public string TargetId { get; set; }
        public string Identity { get; set; }

        /// <summary>TeamMemberProfile.invited_on.</summary>
        public DateTimeOffset InvitedOn { get; set; }

        /// <summary>When members/send_welcome_email was last sent by the engine; null when never.</summary>
        public DateTimeOffset? LastReminder { get; set; }

        /// <summary>How many times the engine sent it again.</summary>
        public int Reminders { get; set; }

        /// <summary>Whole days since the invitation, at <paramref name="now"/>.</summary>
        public int AgeDays(DateTimeOffset now) => Math.Max(0, (int)Math.Floor((now - InvitedOn).TotalDays));

        public override string ToString() =>
            $"{Identity}: invited {InvitedOn:u} ({AgeDays(DateTimeOffset.UtcNow)} day(s)){(LastReminder.HasValue ? $", reminded {Reminders} time(s), last {LastReminder:u}" : "")}";
    }
}
