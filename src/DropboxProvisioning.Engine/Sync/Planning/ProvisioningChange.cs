using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Collections;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// One change a cycle makes (or, under -WhatIf, would make) in Dropbox: the unit the cmdlet asks
    /// ShouldProcess about, the unit of a provisioning log record.
    /// </summary>
    public sealed class ProvisioningChange
    {
        // Kept as a Guid and formatted when asked: a large initial cycle plans one change per user.
        private readonly Guid _changeId = Guid.NewGuid();
        private List<ModifiedProperty> _modified;

        private string _targetId;

        public string ChangeId => _changeId.ToString();

        /// <summary>What was done: the planned action, or what the outcome says was done instead (StagedDelete, Delete for an invited member).</summary>
        public ChangeAction Action => Outcome?.Action ?? Planned;

        /// <summary>What the planner decided; never changed afterwards.</summary>
        internal ChangeAction Planned { get; set; }

        public ObjectType ObjectType { get; internal set; } = ObjectType.User;
        public string SourceId { get; internal set; }
        public string SourceIdentity { get; internal set; }

        /// <summary>The Dropbox id: as planned, or as the outcome found it (a new account's).</summary>
        public string TargetId { get => Outcome?.TargetId ?? _targetId; internal set => _targetId = value; }

        /// <summary>The Dropbox id as planned (null for a create).</summary>
        internal string PlannedTargetId => _targetId;

        public string TargetIdentity { get; internal set; }
        public string Reason { get; internal set; }

        /// <summary>Planned (or Skipped, for a planned skip) until the change ran; then its outcome's.</summary>
        public ChangeStatus Status => Outcome?.Status ?? PlannedStatus;

        internal ChangeStatus PlannedStatus { get; set; } = ChangeStatus.Planned;

        public string StatusDetails => Outcome != null ? Outcome.Details : PlannedDetails;

        /// <summary>The offboarding policy's decision for a suspension or removal; null: as without a policy.</summary>
        internal OffboardingDecision Offboarding { get; set; }

        /// <summary>What the planner noted (members left out of a group).</summary>
        internal string PlannedDetails { get; set; }

        /// <summary>What came of the change, once it ran (or was held); set once, beside the plan, never into it.</summary>
        internal ChangeOutcome Outcome { get; private set; }

        internal void Record(ChangeOutcome outcome)
        {
            if (Outcome != null && !ReferenceEquals(Outcome, outcome)) throw new InvalidOperationException($"The change {ChangeId} already has an outcome.");
            Outcome = outcome;
        }

        /// <summary>
        /// The attributes the change sets. A create's are its values, listed when asked rather than stored twice
        /// (a large initial cycle plans one create per user); asking gives a list that can be changed, and keeps it.
        /// After the change ran: what it set, as its outcome says.
        /// </summary>
        public List<ModifiedProperty> ModifiedProperties => Outcome?.Modified ?? PlannedModifiedProperties;

        /// <summary>The modified properties as planned.</summary>
        internal List<ModifiedProperty> PlannedModifiedProperties => _modified ?? (_modified = new TextList<ModifiedProperty>(PlannedModifiedView));

        /// <summary>The modified properties without materializing a create's list (logs, descriptions).</summary>
        internal IEnumerable<ModifiedProperty> ModifiedPropertiesView => (IEnumerable<ModifiedProperty>)Outcome?.Modified ?? PlannedModifiedView;

        private IEnumerable<ModifiedProperty> PlannedModifiedView =>
            _modified ?? (IEnumerable<ModifiedProperty>)(ModifiedFromValues && Values != null
                ? Values.Select(v => new ModifiedProperty(v.Path.Text, null, ValueText.Of(v.Value)))
                : Enumerable.Empty<ModifiedProperty>());

        /// <summary>Set on a create: its modified properties are its values (name, no old value, new value).</summary>
        internal bool ModifiedFromValues { get; set; }

        /// <summary>The values a Create sends, or the values an Update sets (as planned; the outcome notes any it sent besides).</summary>
        internal List<TargetValue> Values { get; set; } = new List<TargetValue>();

        /// <summary>Every value the mapping gives (what Dropbox holds after the change), recorded as exported.</summary>
        internal List<TargetValue> Desired { get; set; }

        /// <summary>For a group: the Entra ids of the members it should have (resolved to Dropbox ids when the change runs).</summary>
        internal HashSet<string> SourceMembers { get; set; }

        /// <summary>For a group: the Dropbox member ids it has now, as read or as last written.</summary>
        internal HashSet<string> CurrentMembers { get; set; }

        /// <summary>The Dropbox resource as it was read, when there was one.</summary>
        internal JObject Existing { get; set; }

        /// <summary>How the target was found, for adoption.</summary>
        internal string MatchedBy { get; set; }

        /// <summary>
        /// Set on a planned skip that waits in escrow under this reason (<see cref="State.EscrowEntry.LicenseLimit"/>) and
        /// is taken up again by the next cycle, rather than being dropped; null for any other change.
        /// </summary>
        internal string EscrowAs { get; set; }

        /// <summary>With <see cref="EscrowAs"/>: the cycle's start, when a user first held back begins to wait (one time for the whole cycle, so the order among them stays by id).</summary>
        internal DateTimeOffset? EscrowSince { get; set; }

        /// <summary>
        /// True when the change puts back what was changed in Dropbox by hand on what the engine manages (a full
        /// reconciliation's drift repair, <see cref="DriftCheck"/>); its reason says what, its properties the old and new values.
        /// </summary>
        public bool Drift { get; internal set; }

        /// <summary>For a group's drift repair: the Dropbox ids of members added by hand that the change removes.</summary>
        internal HashSet<string> DriftRemovals { get; set; }

        /// <summary>True when this change takes an existing, matching Dropbox account under management.</summary>
        public bool IsAdoption { get; internal set; }

        /// <summary>True for changes that write to Dropbox (Adopt, Skip and Other only touch the state).</summary>
        public bool WritesToDropbox => Action == ChangeAction.Create || Action == ChangeAction.Update || Action == ChangeAction.Disable || Action == ChangeAction.Delete || Action == ChangeAction.Remind;

        /// <summary>The ShouldProcess text: exactly what would be done.</summary>
        public string Description
        {
            get
            {
                var modified = ModifiedPropertiesView.ToList();
                var properties = modified.Count == 0 ? "" : " (" + string.Join("; ", modified.Select(p => p.OldValue == null ? $"{p.Name}='{p.NewValue}'" : $"{p.Name}: '{p.OldValue}' -> '{p.NewValue}'")) + ")";
                switch (Action)
                {
                    case ChangeAction.Create: return $"Create Dropbox {Noun} '{TargetIdentity}'{properties}";
                    case ChangeAction.Update: return Drift ? $"Repair drift in Dropbox {Noun} '{TargetIdentity}' (changed by hand){properties}" : $"Update Dropbox {Noun} '{TargetIdentity}'{properties}";
                    case ChangeAction.Disable: return $"Suspend Dropbox {Noun} '{TargetIdentity}': {Reason}";
                    case ChangeAction.Delete: return $"Delete Dropbox {Noun} '{TargetIdentity}': {Reason}";
                    case ChangeAction.StagedDelete: return $"Hold the suspension or deletion of Dropbox {Noun} '{TargetIdentity}': {Reason}";
                    case ChangeAction.Adopt: return $"Manage existing Dropbox {Noun} '{TargetIdentity}' (matched by {MatchedBy})";
                    case ChangeAction.Remind: return $"Send the Dropbox invitation again to {Noun} '{TargetIdentity}': {Reason}";
                    case ChangeAction.Skip: return $"Skip '{SourceIdentity}': {Reason}";
                    default: return $"{Action} '{TargetIdentity ?? SourceIdentity}': {Reason}";
                }
            }
        }

        private string Noun => ObjectType == ObjectType.User ? "user" : "group";

        /// <summary>The change as a provisioning log record, at <paramref name="time"/>.</summary>
        internal ProvisioningLogRecord ToLogRecord(string cycleId, DateTimeOffset time) => new ProvisioningLogRecord
        {
            Time = time,
            CycleId = cycleId,
            ChangeId = ChangeId,
            Action = Action,
            Status = Status,
            StatusDetails = StatusDetails ?? Reason,
            ObjectType = ObjectType.ToString(),
            SourceId = SourceId,
            SourceIdentity = SourceIdentity,
            TargetId = TargetId,
            TargetIdentity = TargetIdentity,
            ModifiedProperties = new TextList<ModifiedProperty>(ModifiedPropertiesView),
            Drift = Drift,
        };

        public override string ToString() => Description;
    }
}
