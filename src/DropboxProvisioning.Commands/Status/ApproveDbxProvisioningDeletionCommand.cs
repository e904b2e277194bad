using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Reporting;
using DropboxProvisioning.State;
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

        // Every piped hold counts: identities are gathered record by record and approved together at the end.
        private readonly List<string> _identities = new List<string>();

        protected override void OnProcessRecord()
        {
            if (TargetIdentity != null) _identities.AddRange(TargetIdentity);
        }

        protected override void OnEndProcessing()
        {
            var connection = RequireConnection();
            var state = connection.Store.LoadState();
            if (MyInvocation.ExpectingInput && _identities.Count == 0)
            {
                // An empty pipeline must not mean "all": nothing was chosen, so nothing is approved.
                WriteNotice("Nothing came down the pipeline: no suspension or deletion is approved. Run Approve-DbxProvisioningDeletion alone to approve every held one.");
                return;
            }
            var given = _identities.Count == 0 ? null : _identities.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            // A literal identity that names no held change is an error, as Get-Item's is; a wildcard that matches nothing is not.
            foreach (var literal in (given ?? new List<string>()).Where(t => !WildcardPattern.ContainsWildcardCharacters(t)))
                if (!state.StagedDeletions.Any(h => string.Equals(h.TargetIdentity, literal, StringComparison.OrdinalIgnoreCase)))
                    WriteError(Record("NotHeld", ErrorCategory.ObjectNotFound, $"No suspension or deletion of '{literal}' is held.", literal, new ItemNotFoundException($"No suspension or deletion of '{literal}' is held.")));
            if (state.StagedDeletions.Count == 0)
            {
                WriteNotice("No suspension or deletion is held: there is nothing to approve.");
                return;
            }

            var patterns = given?.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
            var chosen = state.StagedDeletions.Where(held => patterns == null || patterns.Any(p => p.IsMatch(held.TargetIdentity ?? ""))).ToList();
            if (chosen.Count == 0)
            {
                WriteNotice($"None of the {state.StagedDeletions.Count} held suspension(s) and deletion(s) matches {string.Join(", ", given)}: nothing is approved.");
                return;
            }
            // The prompt names what will really happen (an invited account is deleted, not suspended).
            var texts = RunEngine((observer, cancel) => HeldDeletionPreview.DescribeAsync(connection, chosen, cancel));
            var approved = new HashSet<string>();
            foreach (var held in chosen)
                if (ShouldProcess(held.TargetIdentity, texts[held.SourceId])) approved.Add(held.SourceId);
            if (approved.Count == 0) return;
            WriteObject(RunEngine((observer, cancel) => new ProvisioningCycle(connection, observer).ApproveStagedAsync(approved, cancel)));
        }
    }
}
