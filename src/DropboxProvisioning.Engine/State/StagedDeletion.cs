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

        public override string ToString() => $"{(Action == "Delete" ? "delete" : "suspend")} {TargetIdentity} ({Reason})";
    }
}
