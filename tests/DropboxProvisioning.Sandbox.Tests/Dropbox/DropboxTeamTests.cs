using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Dropbox;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Dropbox
{
    /// <summary>The team model on its own: the rules every Dropbox API view inherits.</summary>
    public class DropboxTeamTests
    {
        [Fact]
        public void Ids_are_deterministic_and_shaped_like_dropbox_ids()
        {
            DropboxMember First() => new DropboxTeam().AddMember("a@contoso.com", "A", "B");
            var one = First();
            Assert.Equal(one.TeamMemberId, First().TeamMemberId);
            Assert.StartsWith("dbmid:", one.TeamMemberId);
            Assert.StartsWith("dbid:", one.AccountId);
            Assert.Matches("^g:[0-9a-f]{32}$", new DropboxTeam().AddGroup("G").GroupId);
            Assert.Equal("A B", one.DisplayName);
            Assert.Equal("member_only", one.Role);
        }

        [Fact]
        public void Life_cycle_follows_team_stone()
        {
            var team = new DropboxTeam();
            var m = team.AddMember("life@contoso.com", "Li", "Fe");
            Assert.Equal((DropboxMemberStatus.Invited, false), (m.Status, m.EmailVerified));
            Assert.Equal("suspend_inactive_user", Assert.Throws<DropboxTeamException>(() => team.Suspend(m.TeamMemberId)).Tag);

            team.AcceptInvitation(m.TeamMemberId);
            m = team.GetMember(m.TeamMemberId);
            Assert.Equal(DropboxMemberStatus.Active, m.Status);
            Assert.NotNull(m.JoinedOn);
            Assert.Null(m.InvitedOn);
            Assert.True(m.EmailVerified);

            Assert.NotNull(team.Suspend(m.TeamMemberId).SuspendedOn);
            Assert.Equal(DropboxMemberStatus.Active, team.Unsuspend(m.TeamMemberId).Status);
            Assert.Equal("unsuspend_non_suspended_member", Assert.Throws<DropboxTeamException>(() => team.Unsuspend(m.TeamMemberId)).Tag);

            team.RemoveMember(m.TeamMemberId);
            Assert.Empty(team.Members);
            Assert.Single(team.AllMembers);
            Assert.Equal(DropboxMemberStatus.Removed, team.GetMember(m.TeamMemberId).Status);
            Assert.Null(team.FindByEmail("life@contoso.com"));
        }

        [Fact]
        public void Emails_and_external_ids_are_unique_ignoring_case()
        {
            var team = new DropboxTeam();
            var m = team.AddMember("u@contoso.com", "U", "V", externalId: "X1");
            Assert.Equal("user_already_on_team", Assert.Throws<DropboxTeamException>(() => team.AddMember("U@CONTOSO.COM", "U", "V")).Tag);
            Assert.Equal("duplicate_external_member_id", Assert.Throws<DropboxTeamException>(() => team.AddMember("w@contoso.com", "W", "V", externalId: "x1")).Tag);
            Assert.Equal(m.TeamMemberId, team.FindByEmail("U@Contoso.Com").TeamMemberId);
            Assert.Equal(m.TeamMemberId, team.FindByExternalId("x1").TeamMemberId);
            Assert.Equal("invalid_email", Assert.Throws<DropboxTeamException>(() => team.AddMember("nope", "N", "O")).Tag);
        }

        [Fact]
        public void Snapshots_do_not_write_through_and_failed_updates_change_nothing()
        {
            var team = new DropboxTeam();
            var a = team.AddMember("a@contoso.com", "A", "A");
            team.AddMember("b@contoso.com", "B", "B");
            a.Email = "hacked@contoso.com";
            Assert.Equal("a@contoso.com", team.GetMember(a.TeamMemberId).Email);

            Assert.Throws<DropboxTeamException>(() => team.UpdateMember(a.TeamMemberId, m => { m.GivenName = "Changed"; m.Email = "b@contoso.com"; }));
            Assert.Equal("A", team.GetMember(a.TeamMemberId).GivenName);
            Assert.Equal(1, team.GetMember(a.TeamMemberId).Version);
        }

        [Fact]
        public void Groups_track_members_and_names()
        {
            var team = new DropboxTeam();
            var a = team.AddMember("a@contoso.com", "A", "A");
            var g = team.AddGroup("Design", "ext-d");
            team.AddGroupMembers(g.GroupId, new[] { a.TeamMemberId });
            Assert.Equal(1, team.GetGroup(g.GroupId).MemberCount);
            Assert.Equal(new[] { g.GroupId }, team.GroupIdsOf(a.TeamMemberId));
            Assert.Equal(g.GroupId, team.FindGroupByName("DESIGN").GroupId);
            Assert.Equal("group_name_already_used", Assert.Throws<DropboxTeamException>(() => team.AddGroup("design")).Tag);
            Assert.Equal("members_not_in_team", Assert.Throws<DropboxTeamException>(() => team.AddGroupMembers(g.GroupId, new[] { "dbmid:x" })).Tag);

            team.RemoveMember(a.TeamMemberId);
            Assert.Equal(0, team.GetGroup(g.GroupId).MemberCount);
            team.DeleteGroup(g.GroupId);
            Assert.Null(team.FindGroupByName("Design"));
        }

        [Fact]
        public void License_limit_counts_everyone_not_removed()
        {
            var team = new DropboxTeam { LicenseLimit = 2 };
            var a = team.AddMember("a@contoso.com", "A", "A", DropboxMemberStatus.Active);
            team.AddMember("b@contoso.com", "B", "B");
            team.Suspend(a.TeamMemberId);
            Assert.Equal("team_license_limit", Assert.Throws<DropboxTeamException>(() => team.AddMember("c@contoso.com", "C", "C")).Tag);
            team.RemoveMember(a.TeamMemberId);
            team.AddMember("c@contoso.com", "C", "C");
            Assert.Equal(2, team.LicensesUsed);
        }

        [Fact]
        public void Hundred_thousand_members_page_and_look_up()
        {
            var team = new DropboxTeam();
            for (var i = 0; i < 100_000; i++) team.AddMember($"user{i}@contoso.com", "U", i.ToString());
            team.RemoveMember(team.FindByEmail("user5@contoso.com").TeamMemberId);

            var seen = 0;
            for (var offset = 0; ; offset += 1000)
            {
                var page = team.GetMembersPage(offset, 1000, out var total);
                Assert.Equal(99_999, total);
                if (page.Count == 0) break;
                seen += page.Count;
            }
            for (var i = 0; i < 10_000; i++) Assert.NotNull(team.FindByEmail($"USER{i * 7 + 6}@contoso.com"));
            Assert.Equal(99_999, seen);
        }

        [Fact]
        public async Task Concurrent_adds_and_updates_keep_the_indexes_consistent()
        {
            var team = new DropboxTeam();
            var g = team.AddGroup("All");
            await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < 250; i++)
                {
                    var m = team.AddMember($"t{t}-{i}@contoso.com", "T", "C");
                    team.AddGroupMembers(g.GroupId, new[] { m.TeamMemberId });
                    team.SetProfile(m.TeamMemberId, email: $"t{t}-{i}@fabrikam.com");
                    if (i % 5 == 0) team.RemoveMember(m.TeamMemberId);
                }
            })));

            Assert.Equal(1600, team.Members.Count);
            Assert.Equal(1600, team.GetGroup(g.GroupId).MemberCount);
            Assert.All(team.Members, m => Assert.Equal(m.TeamMemberId, team.FindByEmail(m.Email).TeamMemberId));
            Assert.Null(team.FindByEmail("t0-1@contoso.com"));
            Assert.Equal(2000, team.AllMembers.Select(m => m.TeamMemberId).Distinct().Count());
        }
    }
}
