using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.Commands.Sync
{
    /// <summary>
    /// <para type="synopsis">Runs one provisioning cycle from Entra ID to Dropbox: create, update and suspend users as the mappings say.</para>
    /// <para type="description">With -WhatIf nothing is written: each planned change is shown and returned as an object.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "DbxProvisioningCycle", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CycleResult))]
    [OutputType(typeof(ProvisioningChange))]
    public sealed class InvokeDbxProvisioningCycleCommand : DbxConnectedCmdlet
    {
        /// <summary>-WhatIf, given or inherited through $WhatIfPreference: nothing, not even the state, is written.</summary>
        private bool IsWhatIf =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) ? ((SwitchParameter)value).IsPresent
            : GetVariableValue("WhatIfPreference") is SwitchParameter preference ? preference.IsPresent
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        protected override void EndProcessing()
        {
            var connection = RequireConnection();
            CyclePlan plan = null;
            RunEngine(async (observer, cancel) =>
            {
                plan = await new ProvisioningCycle(connection, observer).PlanAsync(cancel).ConfigureAwait(false);
                return plan;
            });

            var approved = new HashSet<ProvisioningChange>();
            foreach (var change in plan.Changes)
            {
                if (change.Action == ChangeAction.Skip) continue;
                if (ShouldProcess(change.TargetIdentity ?? change.SourceIdentity, change.Description)) approved.Add(change);
            }
            WriteVerbose($"Cycle {plan.CycleId}: {plan.Changes.Count} change(s) planned, {plan.Unchanged} user(s) already in step.");

            if (IsWhatIf)
            {
                foreach (var change in plan.Changes) WriteObject(change);
                return;
            }

            var result = RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).ExecuteAsync(plan, approved, cancel));
            foreach (var change in result.Changes.Where(c => c.Status == ChangeStatus.Skipped))
                WriteVerbose($"Skipped '{change.SourceIdentity}': {change.Reason}");
            WriteObject(result);
        }
    }
}
