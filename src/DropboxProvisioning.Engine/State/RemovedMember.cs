using System;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// A member the offboarding policy removed without transferring its files or keeping its account, so that Dropbox
    /// can still recover it (members/recover) for <see cref="OffboardingPolicy.RecoveryWindow"/>: a user who comes back
    /// within it is restored, not invited anew. Forgotten once the window has passed.
    /// </summary>
    public sealed class RemovedMember
    {
        public string SourceId { get; set; }
        public string TargetId { get; set; }
        public string Identity { get; set; }
        public DateTimeOffset RemovedOn { get; set; }

        public override string ToString() => $"{Identity}: removed {RemovedOn:u}, recoverable until {RemovedOn + OffboardingPolicy.RecoveryWindow:u}";
    }
}
