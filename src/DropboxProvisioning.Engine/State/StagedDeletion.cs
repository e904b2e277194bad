using System;

namespace DropboxProvisioning.State
{
    /// <summary>A suspension or deletion held back because a cycle would have made more than the threshold allows.</summary>
    public sealed class StagedDeletion
    {
        public string SourceId { get; set; }
        public string TargetId { get; set; }
        public string TargetIdentity { get; set; }
        /// <summary>Disable or Delete.</summary>
        public string Action { get; set; }
        public string Reason { get; set; }
        public string ObjectType { get; set; } = "User";
        public DateTimeOffset Staged { get; set; }
        public string CycleId { get; set; }

        /// <summary>
        /// The escrow the change leads to once it is carried out (InviteWithdrawn for a withdrawn invitation), so that an
        /// approved hold ends as the planned change would have; null for an ordinary suspension or deletion.
        /// </summary>
        public string EscrowAs { get; set; }

        public bool ShouldSerializeEscrowAs() => EscrowAs != null;

        /// <summary>The offboarding policy's decision for the held change (Team API); null without a policy.</summary>
        public OffboardingDecisionRecord Offboarding { get; set; }

        public bool ShouldSerializeOffboarding() => Offboarding != null;

        public override string ToString() => $"{(Action == "Delete" ? "delete" : "suspend")} {TargetIdentity} ({Reason})";
    }
}
