using System;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// What the offboarding policy decided for a suspension or removal, as the state keeps it while the change waits: a
    /// hold of the deletion guard until it is approved, or a change left to the next part of a cycle stopped at its
    /// deadline. The rule, wipe_data, when a SuspendThenRemove removal falls due, members/remove's options and why no
    /// recipient was found: so that the change is carried out as it was decided (files transferred, account kept), never
    /// as a plain suspension or members/remove.
    /// </summary>
    public sealed class OffboardingDecisionRecord
    {
        public OffboardingRule Rule { get; set; }
        public bool WipeData { get; set; }
        public DateTimeOffset? RemoveAfter { get; set; }
        public Dropbox.MemberRemoval Removal { get; set; }
        public string Problem { get; set; }
    }
}
