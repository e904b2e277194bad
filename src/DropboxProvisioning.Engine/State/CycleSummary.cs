using System;

namespace DropboxProvisioning.State
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    public enum CycleMode : long { Initial, Incremental }

    /// <summary>A cycle as the state remembers it (no change list).</summary>
    public sealed class CycleSummary
    {
        public string CycleId { get; set; }
        public DateTimeOffset StartTime { get; set; }
        public DateTimeOffset? EndTime { get; set; }
        [Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
        public CycleStatus Status { get; set; }
        [Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
        public CycleMode Mode { get; set; }
        public int Created { get; set; }
        public int Updated { get; set; }
        public int Suspended { get; set; }
        public int Deleted { get; set; }
        public int Adopted { get; set; }
        public int Skipped { get; set; }
        public int Failed { get; set; }
        public int GroupsCreated { get; set; }
        public int GroupsUpdated { get; set; }
        public int GroupsDeleted { get; set; }

        /// <summary>For a Partial cycle: the changes it left for the next one (absent otherwise).</summary>
        public int? Remaining { get; set; }

        public override string ToString() =>
            $"{StartTime:u} {Status}: created {Created}, updated {Updated}, suspended {Suspended}, deleted {Deleted}, skipped {Skipped}, failed {Failed}{(Remaining.HasValue ? $", {Remaining} remaining" : "")}";
    }
}
