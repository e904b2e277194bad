using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    public sealed partial class ProvisioningCycle
    {
        private static readonly IReadOnlyList<TeamFolderAccessChange> NoAccessChanges = new TeamFolderAccessChange[0];

        /// <summary>
        /// After the groups are planned: with a team folder table, or grants the engine made before, the team's folders are
        /// read (team_folder/list) and the access changes planned (<see cref="TeamFolderAccessPlanner"/>). Neither: nothing is
        /// read, so a job without the table sends exactly what it sent before.
        /// </summary>
        private async Task<IReadOnlyList<TeamFolderAccessChange>> PlanTeamFolderAccessAsync(ProvisioningConfiguration configuration, ProvisioningState state,
            List<ProvisioningChange> changes, CancellationToken cancellationToken)
        {
            var rules = configuration.TeamFolderAccess ?? new List<TeamFolderAccessRule>();
            if (rules.Count == 0 && state.TeamFolderGrants.Count == 0) return NoAccessChanges;
            if (!(_connection.Target is IDropboxTeamFolders target))
                throw new DbxException("TeamApiOnlyTeamFolderAccess", DbxErrorCategory.InvalidArgument,
                    $"Team folder access works only over the Team API; this job provisions over {_connection.Target.DisplayName}. Connect with Connect-DbxTenant -Api TeamApi, or remove the rows (Get-DbxTeamFolderAccess | Remove-DbxTeamFolderAccess).",
                    target: "TeamFolderAccess");
            IReadOnlyList<DropboxTeamFolder> folders;
            try
            {
                folders = await target.ListTeamFoldersAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (!e.IsCredentialFailure)
            {
                throw new DbxException("TeamFolderListFailed", DbxErrorCategory.PermissionDenied,
                    $"The team folder table needs the team's folders, and team_folder/list failed: {e.Message} Nothing was written.", e, "TeamFolderAccess");
            }
            var planned = TeamFolderAccessPlanner.Plan(rules, state.Groups, changes, state.TeamFolderGrants, folders, state.TeamFolderEscrows, _clock.UtcNow);
            foreach (var skip in planned.Where(c => c.Action == TeamFolderAccessAction.Skip)) _observer.Verbose(skip.Description);
            return planned;
        }

        /// <summary>
        /// After the users and groups ran: the approved team folder access changes (all of them when <paramref name="approved"/>
        /// is null), logged in the cycle's log; a failure counts in Failed. Not in a cycle stopped at its deadline, cancelled or
        /// refused: the next cycle plans them again from the state.
        /// </summary>
        private async Task RunTeamFolderAccessAsync(CyclePlan plan, CycleResult result, ICollection<TeamFolderAccessChange> approved, CancellationToken cancellationToken)
        {
            result.TeamFolderAccess = new Collections.TextList<TeamFolderAccessChange>(plan.TeamFolderAccess);
            if (plan.TeamFolderAccess.Count == 0 || !(_connection.Target is IDropboxTeamFolders target)) return;
            using (var log = _connection.Store.Logs.OpenCycle(plan.CycleId, plan.StartTime))
                await new TeamFolderAccessRunner(target, _observer, _clock, plan.Configuration.Settings.CycleInterval)
                    .RunAsync(plan.CycleId, plan.State, plan.TeamFolderAccess, c => approved == null || approved.Contains(c), log, cancellationToken).ConfigureAwait(false);
            foreach (var change in plan.TeamFolderAccess)
            {
                if (change.Status == ChangeStatus.Failure) result.Failed++;
                else if (change.Status == ChangeStatus.Skipped) result.TeamFolderAccessSkipped++;
                else if (change.Status == ChangeStatus.Success || change.Status == ChangeStatus.Warning)
                {
                    if (change.Action == TeamFolderAccessAction.Grant) result.TeamFolderAccessGranted++;
                    else if (change.Action == TeamFolderAccessAction.ChangeAccess) result.TeamFolderAccessChanged++;
                    else if (change.Action == TeamFolderAccessAction.Revoke) result.TeamFolderAccessRevoked++;
                }
            }
        }
    }
}
