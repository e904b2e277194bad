using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;
using DropboxProvisioning.Time;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Runs the suspensions and removals the offboarding policy decided: members/suspend with the rule's wipe_data (a
    /// member who never joined is removed instead, as without a policy), recording the pending removal of a rule that
    /// removes; members/remove with the rule's options, after which the member is no longer managed. A refused removal is
    /// a failure named by Dropbox's tag: it stays pending and waits in escrow, with its backoff, before it is tried again.
    /// </summary>
    internal static class OffboardingRunner
    {
        public static async Task<bool> SuspendAsync(IDropboxTarget target, ProvisioningState state, ChangeOutcome outcome, IClock clock, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            var decision = change.Offboarding;
            var offboarding = target as IDropboxOffboarding ?? throw NotSupported(target);
            if (!await offboarding.SuspendAsync(change.TargetId, decision.WipeData, cancellationToken).ConfigureAwait(false)) return false; // invited: the caller removes it
            var now = clock.UtcNow;
            var after = (JObject)change.Existing?.DeepClone() ?? new JObject { ["id"] = change.TargetId, ["userName"] = change.TargetIdentity };
            after["active"] = false;
            ManagedRecords.RememberUser(state, outcome, after, null, now);
            if (decision.RemoveAfter.HasValue)
                lock (state.Gate)
                    state.PendingRemovals[change.SourceId] = new PendingRemoval
                    {
                        SourceId = change.SourceId, TargetId = change.TargetId, Identity = change.TargetIdentity, SuspendedOn = now,
                        RemoveAfter = decision.RemoveAfter.Value, Rule = decision.Rule, Removal = decision.Removal, TransferProblem = decision.Problem,
                    };
            outcome.Status = ChangeStatus.Success;
            outcome.Details = $"members/suspend, wipe_data {(decision.WipeData ? "true" : "false")} (offboarding rule '{decision.Rule.Name}')"
                + (decision.RemoveAfter.HasValue ? $"; removal due {decision.RemoveAfter:u}" : "");
            return true;
        }

        public static async Task RemoveAsync(IDropboxTarget target, ProvisioningState state, ChangeOutcome outcome, IClock clock, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            var decision = change.Offboarding;
            var offboarding = target as IDropboxOffboarding ?? throw NotSupported(target);
            if (decision.Problem != null)
            {
                Refused(state, change.SourceId, decision.Problem);
                throw new DbxException("OffboardingRecipientNotFound", DbxErrorCategory.ObjectNotFound,
                    $"The removal of '{change.TargetIdentity}' was not sent: {decision.Problem}. It waits in escrow and is tried again (Get-DbxProvisioningStatus shows when); change the rule (Set-DbxOffboardingPolicy) or the user's data.", target: change.TargetIdentity);
            }
            try
            {
                await offboarding.RemoveAsync(change.TargetId, decision.Removal, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (e.StatusCode == 404 && (e.Detail == "user_not_found" || e.Detail == "user_not_in_team" || e.Detail == "id_not_found"))
            {
                outcome.Details = "the Dropbox member was already gone";
            }
            catch (DropboxTargetException e) when (!e.IsCredentialFailure)
            {
                Refused(state, change.SourceId, e.Detail ?? e.Message);
                throw;
            }
            ManagedRecords.ForgetUser(state, change.SourceId);
            lock (state.Gate)
            {
                state.PendingRemovals.Remove(change.SourceId);
                if (decision.Removal.TransferDest == null && !decision.Removal.KeepAccount)
                    state.RemovedMembers[change.SourceId] = new RemovedMember { SourceId = change.SourceId, TargetId = change.TargetId, Identity = change.TargetIdentity, RemovedOn = clock.UtcNow };
            }
            outcome.Status = ChangeStatus.Success;
            outcome.Details = (outcome.Details == null ? "" : outcome.Details + "; ") + $"members/remove ({decision.Removal}) under offboarding rule '{decision.Rule.Name}'";
        }

        /// <summary>
        /// members/recover before a returning user's update; a member Dropbox can no longer recover (user_unrecoverable) is
        /// forgotten, so that the next cycle invites the user anew, and this change fails with the reason.
        /// </summary>
        public static async Task RecoverAsync(IDropboxTarget target, ProvisioningState state, ChangeOutcome outcome, CancellationToken cancellationToken)
        {
            var change = outcome.Change;
            var offboarding = target as IDropboxOffboarding ?? throw NotSupported(target);
            try
            {
                await offboarding.RecoverAsync(change.TargetId, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxTargetException e) when (!e.IsCredentialFailure && (e.Detail == "user_unrecoverable" || e.Detail == "user_not_found" || e.Detail == "user_not_in_team"))
            {
                lock (state.Gate) state.RemovedMembers.Remove(change.SourceId);
                throw new DbxException("MemberUnrecoverable", DbxErrorCategory.ObjectNotFound,
                    $"Dropbox could not recover the removed member '{change.TargetIdentity}' ({e.Detail}); the next cycle invites the user anew.", e, change.TargetIdentity);
            }
            lock (state.Gate) state.RemovedMembers.Remove(change.SourceId);
        }

        private static void Refused(ProvisioningState state, string sourceId, string why)
        {
            lock (state.Gate)
                if (state.PendingRemovals.TryGetValue(sourceId, out var pending)) { pending.Refusals++; pending.LastRefusal = why; }
        }

        private static DbxException NotSupported(IDropboxTarget target) =>
            new DbxException("TeamApiOnlyOffboardingPolicy", DbxErrorCategory.InvalidArgument, $"{target.DisplayName} cannot carry out an offboarding policy.");
    }
}
