using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>What a cycle found and decided, before it writes anything.</summary>
    public sealed class CyclePlan : IDisposable
    {
        internal CyclePlan(string cycleId, DateTimeOffset start, ProvisioningState state, ProvisioningConfiguration configuration, List<ProvisioningChange> changes, int unchanged, int inScope, DirectorySnapshot directory)
        {
            CycleId = cycleId; StartTime = start; State = state; Configuration = configuration; Changes = changes; Unchanged = unchanged; InScope = inScope; Directory = directory;
        }

        /// <summary>
        /// Initial (everything read) or Incremental (changes only). A cycle continued after its deadline keeps its first
        /// part's mode: an initial cycle stays one across its parts.
        /// </summary>
        public CycleMode Mode => Directory?.Mode == CycleMode.Initial ? CycleMode.Initial : Continuation?.Partial.Mode ?? Directory?.Mode ?? CycleMode.Initial;

        /// <summary>When the cycle stops starting writes (-MaxDuration, MaxCycleDuration); null: no deadline.</summary>
        public DateTimeOffset? Deadline { get; internal set; }

        /// <summary>The cycle that stopped at its deadline and that this plan continues, if any.</summary>
        internal Continuation Continuation { get; set; }

        /// <summary>When this plan continues a cycle that stopped at its deadline: that cycle's first part's id.</summary>
        public string ContinuesCycleId => Continuation?.Partial.CycleId;

        /// <summary>The team folder access changes (Set-DbxTeamFolderAccess), run after the groups; empty without a team folder table.</summary>
        public IReadOnlyList<TeamFolderAccessChange> TeamFolderAccess { get; internal set; } = new TeamFolderAccessChange[0];

        /// <summary>Entra users left unmatched because their Dropbox account matches another of them too (a part that stops at its deadline keeps them).</summary>
        internal IReadOnlyCollection<string> AmbiguousUsers { get; set; } = new string[0];

        /// <summary>An adoption-mode plan: it only takes existing accounts under management and moves no watermark.</summary>
        public bool IsAdoption { get; internal set; }

        /// <summary>A full reconciliation (drift repair): the Dropbox side was read in full and drift is marked on the changes that put it back.</summary>
        public bool IsFullReconciliation { get; internal set; }

        /// <summary>Held from planning until the changes ran (or the plan is dropped), so two cycles never share a state.</summary>
        internal CycleLock Lock { get; set; }

        /// <summary>Releases the state directory's lock; a plan that was executed has released it already.</summary>
        public void Dispose() => Lock?.Dispose();

        /// <summary>What was read from Entra ID; its watermarks are stored when the cycle ends.</summary>
        internal DirectorySnapshot Directory { get; }

        public string CycleId { get; }
        public DateTimeOffset StartTime { get; }
        public IReadOnlyList<ProvisioningChange> Changes { get; }
        public int Unchanged { get; }
        public int InScope { get; }
        internal ProvisioningState State { get; }

        /// <summary>
        /// The deletion guard's holds, decided by the planner over the changes as planned; null for an on-demand plan,
        /// which the guard does not look at (it never held one object).
        /// </summary>
        internal DeletionHolds Holds { get; set; }

        /// <summary>
        /// The holds for the changes let through: the plan's own when every suspension and deletion it planned was let
        /// through (the run without -Confirm); when an admin declined some at -Confirm, the plan that runs is a smaller
        /// one and the guard decides over it, as it would have planned it.
        /// </summary>
        internal DeletionHolds HoldsFor(IReadOnlyCollection<ProvisioningChange> approved)
        {
            var let = new HashSet<ProvisioningChange>(approved);
            if (Holds != null && Changes.Where(DeletionGuard.IsDeprovisioning).All(let.Contains)) return Holds;
            return DeletionGuard.Decide(approved, Configuration.Settings.DeletionThreshold, CycleId, StartTime, EarlierDeprovisioned);
        }

        /// <summary>What the earlier parts of a cycle continued after its deadline suspended or deleted (0 for a fresh cycle).</summary>
        internal int EarlierDeprovisioned => Continuation?.Partial?.Deprovisioned ?? 0;
        internal ProvisioningConfiguration Configuration { get; }
    }
}
