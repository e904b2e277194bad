using System;
using System.Linq;
using System.Net.Http;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.TeamApi
{
    internal sealed partial class TeamApiEmulator
    {
        /// <summary>MembersDeactivateArg.wipe_data, true by default (team.stone): the member's linked devices are wiped.</summary>
        private void WipeIfAsked(JObject arg, DropboxMember member)
        {
            if ((bool?)arg["wipe_data"] ?? true) Team.Offboarding.DevicesWiped[member.TeamMemberId] = Team.Clock();
        }

        /// <summary>
        /// members/remove (MembersRemoveArg: user, wipe_data = true, transfer_dest_id?, transfer_admin_id?, keep_account = false,
        /// retain_team_shares = false, permanently_delete_files = false) with MembersRemoveError's refusals and those of its
        /// bases (MembersTransferFilesError, MembersDeactivateError, UserSelectorError), checked as Dropbox documents them. A
        /// removal that transfers files runs as a job (async.LaunchEmptyResult async_job_id), polled with job_status/get;
        /// one that does not completes at once.
        /// </summary>
        private HttpResponseMessage RemoveMember(DropboxRpcRequest request)
        {
            var arg = Struct(request);
            var member = RequireMember(request, arg["user"]);
            var wipe = (bool?)arg["wipe_data"] ?? true;
            var keep = (bool?)arg["keep_account"] ?? false;
            var retain = (bool?)arg["retain_team_shares"] ?? false;
            var permanently = (bool?)arg["permanently_delete_files"] ?? false;
            var hasDest = arg["transfer_dest_id"] != null && arg["transfer_dest_id"].Type != JTokenType.Null;
            var hasAdmin = arg["transfer_admin_id"] != null && arg["transfer_admin_id"].Type != JTokenType.Null;
            if (keep && member.Status == DropboxMemberStatus.Invited) return Refuse("cannot_keep_invited_user_account");
            if (keep && hasDest) return Refuse("cannot_keep_account_and_transfer");
            if (keep && wipe) return Refuse("cannot_keep_account_and_delete_data");
            if (keep && permanently) return Refuse("cannot_keep_account_and_permanently_delete");
            DropboxMember dest = null;
            if (hasDest)
            {
                if (!hasAdmin) return Refuse("unspecified_transfer_admin_id");
                dest = Find(request, arg["transfer_dest_id"], out _);
                if (dest == null) return Refuse("transfer_dest_user_not_found");
                if (dest.Status == DropboxMemberStatus.Removed) return Refuse("transfer_dest_user_not_in_team");
                if (dest.TeamMemberId == member.TeamMemberId) return Refuse("removed_and_transfer_dest_should_differ");
            }
            if (hasAdmin)
            {
                var admin = Find(request, arg["transfer_admin_id"], out _);
                if (admin == null) return Refuse("transfer_admin_user_not_found");
                if (admin.Status == DropboxMemberStatus.Removed) return Refuse("transfer_admin_user_not_in_team");
                if (admin.TeamMemberId == member.TeamMemberId) return Refuse("removed_and_transfer_admin_should_differ");
                if (admin.Role != "team_admin") return Refuse("transfer_admin_is_not_admin");
            }
            if (member.Role == "team_admin" && member.Status == DropboxMemberStatus.Active
                && Team.Members.Count(m => m.Role == "team_admin" && m.Status == DropboxMemberStatus.Active) <= 1)
                return Refuse("remove_last_admin");

            if (wipe) Team.Offboarding.DevicesWiped[member.TeamMemberId] = Team.Clock();
            Team.RemoveMember(member.TeamMemberId);
            if (keep) Team.Offboarding.KeptAccounts[member.TeamMemberId] = retain;
            if (dest == null) return Ok(StoneJson.Tag("complete"));
            Team.Offboarding.FilesTransferredTo[member.TeamMemberId] = dest.TeamMemberId;
            var id = NewJob(new Job { Result = StoneJson.Tag("complete"), Started = DateTimeOffset.UtcNow, Kind = "remove" });
            return Ok(StoneJson.Nested("async_job_id", id));
        }

        /// <summary>members/remove/job_status/get (async.PollArg; PollEmptyResult in_progress or complete; PollError invalid_async_job_id).</summary>
        private HttpResponseMessage RemoveJobStatus(DropboxRpcRequest request)
        {
            var id = (string)Struct(request)["async_job_id"];
            lock (_gate)
            {
                if (id == null || !_jobs.TryGetValue(id, out var job) || job.Kind != "remove")
                    return DropboxErrors.Route(StoneJson.Tag("invalid_async_job_id"));
                if (DateTimeOffset.UtcNow - job.Started < _addJobDuration()) return Ok(StoneJson.Tag("in_progress"));
            }
            return Ok(StoneJson.Tag("complete"));
        }

        private void RegisterOffboardingRoutes(DropboxApiEmulator api) => api.Register("team/members/recover", "members.delete", RecoverMember);

        /// <summary>members/recover (MembersRecoverArg: user; Void; MembersRecoverError user_unrecoverable, user_not_in_team, team_license_limit, or UserSelectorError's user_not_found).</summary>
        private HttpResponseMessage RecoverMember(DropboxRpcRequest request)
        {
            var member = Find(request, Struct(request)["user"], out _);
            if (member == null) return Refuse("user_not_found");
            try { Team.RecoverMember(member.TeamMemberId); }
            catch (DropboxTeamException e) when (e.Tag == "user_unrecoverable" || e.Tag == "team_license_limit" || e.Tag == "user_not_found")
            {
                return DropboxErrors.Route(StoneJson.Tag(e.Tag), e.Message);
            }
            return Ok(JValue.CreateNull());
        }

        private static HttpResponseMessage Refuse(string tag) => DropboxErrors.Route(StoneJson.Tag(tag));
    }
}
