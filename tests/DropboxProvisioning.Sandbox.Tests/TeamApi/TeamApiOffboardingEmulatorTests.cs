using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Dropbox;
using Newtonsoft.Json.Linq;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.TeamApi
{
    /// <summary>
    /// members/remove with MembersRemoveArg's fields, its refusals (MembersRemoveError and its bases) and its job
    /// (members/remove/job_status/get), and members/suspend's wipe_data: every argument is held to team.stone before it
    /// is sent, and every answer after (the Client checks each route's result and error type).
    /// </summary>
    public sealed class TeamApiOffboardingEmulatorTests
    {
        private static JObject Id(string id) => JObject.FromObject(new Dictionary<string, string> { [".tag"] = "team_member_id", ["team_member_id"] = id });
        private static JObject Email(string email) => JObject.FromObject(new Dictionary<string, string> { [".tag"] = "email", ["email"] = email });

        private static JObject Arg(JObject arg, string type)
        {
            TeamApiEmulatorTests.AssertValid(arg, type);
            return arg;
        }

        private static JObject Remove(string user, bool wipe = true, JObject dest = null, JObject admin = null, bool keep = false, bool retain = false)
        {
            var arg = new JObject { ["user"] = Id(user), ["wipe_data"] = wipe, ["keep_account"] = keep, ["retain_team_shares"] = retain };
            if (dest != null) arg["transfer_dest_id"] = dest;
            if (admin != null) arg["transfer_admin_id"] = admin;
            return Arg(arg, "team.MembersRemoveArg");
        }

        private static DropboxMember Member(DropboxTeam team, string email, string role = "member_only") =>
            team.AddMember(new DropboxMember { Email = email, GivenName = "A", Surname = email.Split('@')[0], Role = role, Status = DropboxMemberStatus.Active });

        [Fact]
        public async Task Members_remove_refuses_as_MembersRemoveError_documents_and_transfers_files_through_a_polled_job()
        {
            var c = new TeamApiEmulatorTests.Client(users: 3);
            var team = c.Tenant.Dropbox;
            var leaver = Member(team, "leaver@contoso-teamapi.com");
            var boss = Member(team, "boss@contoso-teamapi.com");
            var admin = Member(team, "admin@contoso-teamapi.com", "team_admin");
            Member(team, "admin2@contoso-teamapi.com", "team_admin");

            await c.Conflict("team/members/remove", Remove(leaver.TeamMemberId, wipe: false, dest: Id(boss.TeamMemberId), admin: Id(admin.TeamMemberId), keep: true), "cannot_keep_account_and_transfer");
            await c.Conflict("team/members/remove", Remove(leaver.TeamMemberId, wipe: true, keep: true), "cannot_keep_account_and_delete_data");
            await c.Conflict("team/members/remove", Remove(leaver.TeamMemberId, dest: Id(boss.TeamMemberId)), "unspecified_transfer_admin_id");
            await c.Conflict("team/members/remove", Remove(leaver.TeamMemberId, dest: Email("nobody@contoso-teamapi.com"), admin: Id(admin.TeamMemberId)), "transfer_dest_user_not_found");
            await c.Conflict("team/members/remove", Remove(leaver.TeamMemberId, dest: Id(leaver.TeamMemberId), admin: Id(admin.TeamMemberId)), "removed_and_transfer_dest_should_differ");
            await c.Conflict("team/members/remove", Remove(leaver.TeamMemberId, dest: Id(boss.TeamMemberId), admin: Id(leaver.TeamMemberId)), "removed_and_transfer_admin_should_differ");
            await c.Conflict("team/members/remove", Remove(leaver.TeamMemberId, dest: Id(boss.TeamMemberId), admin: Email("noadmin@contoso-teamapi.com")), "transfer_admin_user_not_found");
            await c.Conflict("team/members/remove", Remove(leaver.TeamMemberId, dest: Id(admin.TeamMemberId), admin: Id(boss.TeamMemberId)), "transfer_admin_is_not_admin");
            Assert.Equal(DropboxMemberStatus.Active, team.GetMember(leaver.TeamMemberId).Status); // nothing refused changed anything

            c.Tenant.Options.AddJobDuration = System.TimeSpan.FromHours(1); // a job still running when first polled
            var launched = await c.Ok("team/members/remove", Remove(leaver.TeamMemberId, wipe: true, dest: Email(boss.Email), admin: Id(admin.TeamMemberId)));
            Assert.Equal("async_job_id", (string)launched[".tag"]);
            var poll = Arg(new JObject { ["async_job_id"] = (string)launched["async_job_id"] }, "async.PollArg");
            Assert.Equal("in_progress", (string)(await c.Ok("team/members/remove/job_status/get", poll))[".tag"]);
            c.Tenant.Options.AddJobDuration = System.TimeSpan.Zero; // and finished at the next poll
            var done = await c.Ok("team/members/remove/job_status/get", poll);
            Assert.Equal("complete", (string)done[".tag"]);
            await c.Conflict("team/members/remove/job_status/get", Arg(new JObject { ["async_job_id"] = "dbjid:nosuchjob" }, "async.PollArg"), "invalid_async_job_id");
            Assert.Equal(DropboxMemberStatus.Removed, team.AllMembers.Single(m => m.TeamMemberId == leaver.TeamMemberId).Status);
            Assert.Equal(boss.TeamMemberId, team.Offboarding.FilesTransferredTo[leaver.TeamMemberId]);
            Assert.True(team.Offboarding.DevicesWiped.ContainsKey(leaver.TeamMemberId));
            await c.Conflict("team/members/remove", Remove(leaver.TeamMemberId), "user_not_in_team");
            await c.Conflict("team/members/remove", Remove(boss.TeamMemberId, dest: Id(leaver.TeamMemberId), admin: Id(admin.TeamMemberId)), "transfer_dest_user_not_in_team");

            // keep_account without wipe_data: a Basic account, with its direct shares when asked; completes at once.
            var kept = await c.Ok("team/members/remove", Remove(boss.TeamMemberId, wipe: false, keep: true, retain: true));
            Assert.Equal("complete", (string)kept[".tag"]);
            Assert.True(team.Offboarding.KeptAccounts[boss.TeamMemberId]);
            Assert.False(team.Offboarding.DevicesWiped.ContainsKey(boss.TeamMemberId));
        }

        [Fact]
        public async Task Members_suspend_wipes_devices_only_when_wipe_data_is_true_its_Stone_default()
        {
            var c = new TeamApiEmulatorTests.Client(users: 3);
            var team = c.Tenant.Dropbox;
            var kept = Member(team, "kept@contoso-teamapi.com");
            var wiped = Member(team, "wiped@contoso-teamapi.com");
            var byDefault = Member(team, "default@contoso-teamapi.com");
            await c.Ok("team/members/suspend", Arg(new JObject { ["user"] = Id(kept.TeamMemberId), ["wipe_data"] = false }, "team.MembersDeactivateArg"));
            await c.Ok("team/members/suspend", Arg(new JObject { ["user"] = Id(wiped.TeamMemberId), ["wipe_data"] = true }, "team.MembersDeactivateArg"));
            await c.Ok("team/members/suspend", Arg(new JObject { ["user"] = Id(byDefault.TeamMemberId) }, "team.MembersDeactivateArg"));
            Assert.All(new[] { kept, wiped, byDefault }, m => Assert.Equal(DropboxMemberStatus.Suspended, team.GetMember(m.TeamMemberId).Status));
            Assert.False(team.Offboarding.DevicesWiped.ContainsKey(kept.TeamMemberId));
            Assert.True(team.Offboarding.DevicesWiped.ContainsKey(wiped.TeamMemberId));
            Assert.True(team.Offboarding.DevicesWiped.ContainsKey(byDefault.TeamMemberId));
        }

        [Fact]
        public async Task Members_recover_restores_a_member_removed_within_the_window_and_refuses_one_whose_files_went_elsewhere()
        {
            var c = new TeamApiEmulatorTests.Client(users: 3);
            var team = c.Tenant.Dropbox;
            var gone = Member(team, "gone@contoso-teamapi.com");
            var moved = Member(team, "moved@contoso-teamapi.com");
            var boss = Member(team, "boss2@contoso-teamapi.com");
            var admin = Member(team, "admin3@contoso-teamapi.com", "team_admin");
            Member(team, "admin4@contoso-teamapi.com", "team_admin");
            JObject Recover(string id) => Arg(new JObject { ["user"] = Id(id) }, "team.MembersRecoverArg");

            await c.Conflict("team/members/recover", Recover(gone.TeamMemberId), "user_unrecoverable"); // not removed: nothing to recover
            await c.Ok("team/members/remove", Remove(gone.TeamMemberId, wipe: false));
            await c.Ok("team/members/remove", Remove(moved.TeamMemberId, dest: Id(boss.TeamMemberId), admin: Id(admin.TeamMemberId)));
            var before = team.MemberCount;
            await c.Ok("team/members/recover", Recover(gone.TeamMemberId));
            Assert.Equal(DropboxMemberStatus.Active, team.GetMember(gone.TeamMemberId).Status);
            Assert.Equal(gone.TeamMemberId, team.FindByEmail(gone.Email).TeamMemberId);
            Assert.Equal(before + 1, team.MemberCount);
            await c.Conflict("team/members/recover", Recover(moved.TeamMemberId), "user_unrecoverable");
            await c.Conflict("team/members/recover", Recover("dbmid:never"), "user_not_found");
        }
    }
}
