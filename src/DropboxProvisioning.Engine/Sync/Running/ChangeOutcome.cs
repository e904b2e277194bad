using System.Collections.Generic;
using DropboxProvisioning.Collections;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// What came of one planned change, beside it: the status and its details, the action actually taken (an invited
    /// member removed instead of suspended, a deprovisioning held back), the Dropbox id, and what was sent besides the plan.
    /// </summary>
    public sealed class ChangeOutcome
    {
        internal ChangeOutcome(ProvisioningChange change)
        {
            Change = change;
            Action = change.Planned;
            Status = ChangeStatus.Planned;
            Details = change.PlannedDetails;
            TargetId = change.PlannedTargetId;
        }

        /// <summary>The planned change this is the outcome of.</summary>
        public ProvisioningChange Change { get; }

        /// <summary>The action actually taken.</summary>
        public ChangeAction Action { get; internal set; }

        /// <summary>Planned while the change has not run (it was stopped), then Success, Warning, Failure or Skipped.</summary>
        public ChangeStatus Status { get; internal set; }

        public string Details { get; internal set; }

        /// <summary>The Dropbox id the change ended with (a created account's new id).</summary>
        public string TargetId { get; internal set; }

        /// <summary>A create that found the account already there (409) and took it over: counted as an adoption.</summary>
        public bool TookOver { get; internal set; }

        /// <summary>Dropbox refused the account for want of a license.</summary>
        public bool LicenseLimited { get; internal set; }

        /// <summary>Dropbox answered the write with a refusal (a 4xx): nothing was made, so no answer is outstanding.</summary>
        internal bool Refused { get; set; }

        /// <summary>The values written, when more than planned (a second PATCH for what Dropbox changed on its own); else null.</summary>
        internal List<TargetValue> Sent { get; private set; }

        /// <summary>The modified properties, once the run changed them from the plan's; else null.</summary>
        internal List<ModifiedProperty> Modified { get; private set; }

        /// <summary>The values written: the plan's, and any sent besides.</summary>
        internal List<TargetValue> Values => Sent ?? Change.Values;

        internal void AlsoSent(TargetValue value)
        {
            if (Sent == null) Sent = new List<TargetValue>(Change.Values);
            Sent.Add(value);
        }

        /// <summary>The modified properties to change: a copy of the plan's, made on first use.</summary>
        internal List<ModifiedProperty> ModifiedProperties => Modified ?? (Modified = new TextList<ModifiedProperty>(Change.PlannedModifiedProperties));
    }
}
