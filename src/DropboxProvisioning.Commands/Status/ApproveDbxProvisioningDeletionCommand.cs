using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Sync;
using DropboxProvisioning.Commands.Completion;

namespace DropboxProvisioning.Commands.Status
{
    /// <summary>
    /// <para type="synopsis">Lets through the suspensions and deletions that the accidental-deletions threshold held back.</para>
    /// <para type="description">Each held change is confirmed through ShouldProcess; -WhatIf lists them. When none remain, a TooManyDeletes quarantine is lifted.</para>
    /// <para type="link">Set-DbxProvisioningSetting</para>
    /// <para type="link">Get-DbxProvisioningStatus</para>
    /// <para type="link">Get-DbxProvisioningLog</para>
    /// </summary>
    /// <example>
    /// <para>Lets through every held suspension and deletion without asking for each one, after a cycle held them.</para>
    /// <code>
    /// $connection = Connect-DbxTenant -Sandbox
    /// Invoke-DbxProvisioningCycle | Out-Null
    /// Set-DbxProvisioningSetting -DeletionThreshold 1
    /// # Block sign-in for three provisioned users: the next cycle would suspend them, which is over the threshold.
    /// Get-DbxProvisioningLog -Action Create -ObjectType User -First 3 | ForEach-Object {
    ///     $connection.Sandbox.Directory.UpdateUser($_.SourceId, [Action[object]] { param($user) $user.AccountEnabled = $false })
    /// }
    /// Invoke-DbxProvisioningCycle | Out-Null     # holds the suspensions and quarantines the job (TooManyDeletes)
    /// Approve-DbxProvisioningDeletion -Confirm:$false
    /// </code>
    /// </example>
    /// <example>
    /// <para>Lists what approving would do, for the held changes of one domain only.</para>
    /// <code>
    /// $connection = Connect-DbxTenant -Sandbox
    /// Invoke-DbxProvisioningCycle | Out-Null
    /// Set-DbxProvisioningSetting -DeletionThreshold 1
    /// # Block sign-in for three provisioned users: the next cycle would suspend them, which is over the threshold.
    /// Get-DbxProvisioningLog -Action Create -ObjectType User -First 3 | ForEach-Object {
    ///     $connection.Sandbox.Directory.UpdateUser($_.SourceId, [Action[object]] { param($user) $user.AccountEnabled = $false })
    /// }
    /// Invoke-DbxProvisioningCycle | Out-Null     # holds the suspensions and quarantines the job (TooManyDeletes)
    /// Approve-DbxProvisioningDeletion -TargetIdentity '*@contoso.com' -WhatIf
    /// </code>
    /// </example>
    [Cmdlet("Approve", "DbxProvisioningDeletion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(CycleResult))]
    public sealed class ApproveDbxProvisioningDeletionCommand : DbxConnectedCmdlet
    {
        /// <summary>Only held changes whose Dropbox identity matches (wildcards); all when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(HeldDeletionCompleter))]
        public string[] TargetIdentity { get; set; }

        protected override void EndProcessing()
        {
            var connection = RequireConnection();
            State.ProvisioningState state = null;
            try { state = connection.Store.LoadState(); }
            catch (Errors.DbxException e) { ThrowTerminating(e); }
            // A literal identity that names no held change is an error, as Get-Item's is; a wildcard that matches nothing is not.
            foreach (var literal in (TargetIdentity ?? new string[0]).Where(t => !WildcardPattern.ContainsWildcardCharacters(t)))
                if (!state.StagedDeletions.Any(h => string.Equals(h.TargetIdentity, literal, StringComparison.OrdinalIgnoreCase)))
                    WriteError(new ErrorRecord(new ItemNotFoundException($"No suspension or deletion of '{literal}' is held."), ErrorPrefix + "NotHeld", ErrorCategory.ObjectNotFound, literal));
            if (state.StagedDeletions.Count == 0)
            {
                WriteVerbose("No suspension or deletion is held.");
                return;
            }

            var patterns = TargetIdentity?.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
            var approved = new HashSet<string>();
            foreach (var held in state.StagedDeletions)
            {
                if (patterns != null && !patterns.Any(p => p.IsMatch(held.TargetIdentity ?? ""))) continue;
                var verb = held.Action == nameof(ChangeAction.Delete) ? "Delete" : "Suspend";
                if (ShouldProcess(held.TargetIdentity, $"{verb} Dropbox user '{held.TargetIdentity}': {held.Reason}")) approved.Add(held.SourceId);
            }
            if (approved.Count == 0) return;
            WriteObject(RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).ApproveStagedAsync(approved, cancel)));
        }
    }
}
