using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Dropbox.TeamApi
{
    public sealed partial class TeamApiClient
    {
        /// <summary>A UserSelectorArg for a team_member_id ("dbmid:...") or an e-mail.</summary>
        internal static JObject Selector(string idOrEmail) =>
            idOrEmail.StartsWith("dbmid:", System.StringComparison.Ordinal) ? ById(idOrEmail) : ByEmail(idOrEmail);

        /// <summary>members/suspend (MembersDeactivateArg: user, wipe_data).</summary>
        public Task SuspendAsync(string teamMemberId, bool wipeData, CancellationToken cancellationToken) =>
            CallAsync("members/suspend", new JObject { ["user"] = ById(teamMemberId), ["wipe_data"] = wipeData }, cancellationToken);

        /// <summary>
        /// members/remove with MembersRemoveArg's fields (absent optional selectors are left out, Stone's defaults sent as
        /// they are meant); an async_job_id is polled with members/remove/job_status/get until complete, and a failed job
        /// (PollError internal_error) is an error like a refusal.
        /// </summary>
        public async Task RemoveAsync(string teamMemberId, MemberRemoval removal, CancellationToken cancellationToken)
        {
            var arg = new JObject
            {
                ["user"] = ById(teamMemberId),
                ["wipe_data"] = removal.WipeData,
                ["keep_account"] = removal.KeepAccount,
                ["retain_team_shares"] = removal.RetainTeamShares,
            };
            if (removal.TransferDest != null) arg["transfer_dest_id"] = Selector(removal.TransferDest);
            if (removal.TransferAdmin != null) arg["transfer_admin_id"] = Selector(removal.TransferAdmin);
            var answer = await CallAsync("members/remove", arg, cancellationToken).ConfigureAwait(false);
            var job = (string)answer?["async_job_id"];
            while (job != null)
            {
                await _delay(PollInterval, cancellationToken).ConfigureAwait(false);
                var status = await CallAsync("members/remove/job_status/get", new JObject { ["async_job_id"] = job }, cancellationToken).ConfigureAwait(false);
                var tag = (string)status?[".tag"];
                if (tag == "complete") return;
                if (tag != "in_progress")
                    throw new TeamApiException("members/remove/job_status/get", tag ?? "invalid_result", $"Dropbox's removal job {job} ended as '{tag}'.", 500, DbxErrorCategory.InvalidResult);
            }
        }

        /// <summary>members/recover (MembersRecoverArg): a member removed within Dropbox's recovery window comes back with its files.</summary>
        public Task RecoverAsync(string teamMemberId, CancellationToken cancellationToken) =>
            CallAsync("members/recover", new JObject { ["user"] = ById(teamMemberId) }, cancellationToken);
    }
}
