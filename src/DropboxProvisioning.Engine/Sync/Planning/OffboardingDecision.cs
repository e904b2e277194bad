using System;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// What the offboarding policy decided for one planned change: a suspension (wipe_data, and when the removal falls
    /// due for a rule that removes) or a removal (MembersRemoveArg's options, the recipient resolved at planning, or the
    /// reason it could not be, which fails the removal with that reason and leaves it pending for the next cycle).
    /// </summary>
    internal sealed class OffboardingDecision
    {
        public OffboardingRule Rule { get; set; }
        public bool WipeData { get; set; }

        /// <summary>A suspension by a SuspendThenRemove rule: when its removal is due.</summary>
        public DateTimeOffset? RemoveAfter { get; set; }

        /// <summary>A removal: members/remove's options.</summary>
        public MemberRemoval Removal { get; set; }

        /// <summary>A user who came back within Dropbox's recovery window: its removed member is recovered (members/recover) before the update.</summary>
        public bool Recover { get; set; }

        /// <summary>Why the removal cannot be sent as the rule says (no recipient found); null when it can.</summary>
        public string Problem { get; set; }

        /// <summary>The decision as the state keeps it while the change waits (a hold, a later part of the cycle); null for a recovery, which never waits.</summary>
        public OffboardingDecisionRecord ToRecord() => Recover ? null
            : new OffboardingDecisionRecord { Rule = Rule, WipeData = WipeData, RemoveAfter = RemoveAfter, Removal = Removal, Problem = Problem };

        public static OffboardingDecision From(OffboardingDecisionRecord record) => record == null ? null
            : new OffboardingDecision { Rule = record.Rule, WipeData = record.WipeData, RemoveAfter = record.RemoveAfter, Removal = record.Removal, Problem = record.Problem };
    }
}
