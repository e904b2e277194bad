using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// A cycle that stopped at its deadline, as the state carries it to the next cycle (in another process, another job):
    /// what its parts did so far (for the deletion guard and the quarantine judgment, which count across the parts) and
    /// the changes it planned and has not made yet. The remaining changes were planned from the watermarks stored beside
    /// them: the next cycle reads only what changed in Entra since, plans those objects afresh and carries out the rest as
    /// planned. A version 2 state (see <see cref="ProvisioningState.CurrentVersion"/>).
    /// </summary>
    public sealed class PartialCycle
    {
        /// <summary>The first part's cycle id.</summary>
        public string CycleId { get; set; }

        /// <summary>The latest part's cycle id.</summary>
        public string LastPartId { get; set; }

        /// <summary>When the first part started.</summary>
        public DateTimeOffset StartTime { get; set; }

        /// <summary>The first part's mode: an initial cycle stays one across its parts.</summary>
        [JsonConverter(typeof(StringEnumConverter))]
        public CycleMode Mode { get; set; }

        /// <summary>The parts run so far.</summary>
        public int Parts { get; set; }

        /// <summary>Operations (writes and adoptions) the parts so far carried out, for the quarantine judgment at the end.</summary>
        public int Operations { get; set; }

        /// <summary>Failures of the parts so far.</summary>
        public int Failed { get; set; }

        /// <summary>Suspensions and deletions the parts so far carried out: the deletion guard counts them with the rest.</summary>
        public int Deprovisioned { get; set; }

        /// <summary>The changes planned and not made yet, in the order they run.</summary>
        public List<RemainingChange> Remaining { get; set; } = new List<RemainingChange>();

        /// <summary>
        /// Remaining changes that a part still running (or killed) has made since: "User:id" or "Group:id". Written with
        /// every save of the state, so a part killed mid-way repeats none of them.
        /// </summary>
        public HashSet<string> Done { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public bool ShouldSerializeDone() => Done != null && Done.Count > 0;

        /// <summary>
        /// Entra users (ids) the latest part left unmatched because the Dropbox account they match matches another of them
        /// too. A later part reads them again though the delta brings only those that changed: one read alone would
        /// otherwise be matched to the account that the other, unread, still claims. Skips plan no write, so nothing else keeps them.
        /// </summary>
        public HashSet<string> Ambiguous { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public bool ShouldSerializeAmbiguous() => Ambiguous != null && Ambiguous.Count > 0;

        /// <summary>The key of a change in <see cref="Done"/>.</summary>
        public static string Key(Mapping.ObjectType type, string sourceId) => type + ":" + sourceId;

        /// <summary>One line for tables and CSV exports of the status.</summary>
        public override string ToString() => $"{CycleId} ({Mode}) stopped at its deadline after {Parts} part(s); {Remaining.Count} change(s) left";

        [System.Runtime.Serialization.OnDeserialized]
        internal void Restore(System.Runtime.Serialization.StreamingContext context)
        {
            Remaining = Remaining ?? new List<RemainingChange>();
            Done = new HashSet<string>(Done ?? new HashSet<string>(), StringComparer.OrdinalIgnoreCase);
            Ambiguous = new HashSet<string>(Ambiguous ?? new HashSet<string>(), StringComparer.OrdinalIgnoreCase);
        }
    }
}
