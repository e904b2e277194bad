using System;
using System.Collections.Generic;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>What a cycle found and decided, before it writes anything.</summary>
    public sealed class CyclePlan
    {
        internal CyclePlan(string cycleId, DateTimeOffset start, ProvisioningState state, ProvisioningConfiguration configuration, List<ProvisioningChange> changes, int unchanged, int inScope)
        {
            CycleId = cycleId; StartTime = start; State = state; Configuration = configuration; Changes = changes; Unchanged = unchanged; InScope = inScope;
        }

        public string CycleId { get; }
        public DateTimeOffset StartTime { get; }
        public IReadOnlyList<ProvisioningChange> Changes { get; }
        public int Unchanged { get; }
        public int InScope { get; }
        internal ProvisioningState State { get; }
        internal ProvisioningConfiguration Configuration { get; }
    }
}
