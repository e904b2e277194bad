using System.Linq;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Sandbox.Tests.Graph;
using Xunit;

namespace DropboxProvisioning.Sandbox.Tests.Dropbox
{
    /// <summary>Invited members join over time: a share at a time on demand, or a share at the start of each cycle.</summary>
    public sealed class InvitationAcceptanceTests
    {
        [Fact]
        public void A_share_of_the_invited_members_joins_the_longest_invited_first()
        {
            var team = new DropboxTeam();
            var invited = Enumerable.Range(0, 10).Select(i => team.AddMember($"m{i}@contoso.com", "M", "N" + i)).ToList();
            var joined = team.AcceptInvitations(0.3);
            Assert.Equal(invited.Take(3).Select(m => m.TeamMemberId), joined.Select(m => m.TeamMemberId));
            Assert.All(joined, m => Assert.Equal(DropboxMemberStatus.Active, team.GetMember(m.TeamMemberId).Status));
            Assert.All(joined, m => Assert.NotNull(team.GetMember(m.TeamMemberId).JoinedOn));
            Assert.Equal(7, team.Members.Count(m => m.Status == DropboxMemberStatus.Invited));
            Assert.Single(team.AcceptInvitations(0.01)); // at least one while any is invited
            Assert.Empty(team.AcceptInvitations(0));
            Assert.Equal(DropboxMemberStatus.Active, team.AcceptInvitationOf("m9@contoso.com").Status);
            Assert.Throws<DropboxTeamException>(() => team.AcceptInvitationOf("m9@contoso.com")); // joined already
        }

        [Fact]
        public async Task With_a_share_per_cycle_members_join_when_a_users_delta_round_starts()
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 10 });
            foreach (var i in Enumerable.Range(0, 4)) tenant.Dropbox.AddMember($"new{i}@contoso.com", "New", "Member" + i);
            var invited = tenant.Dropbox.Members.Count(m => m.Status == DropboxMemberStatus.Invited);
            Assert.True(invited >= 4);
            tenant.Options.InvitationsAcceptedPerCycle = 0.5;
            var client = GraphTestClient.Create(tenant);
            var first = await client.GetJson("/v1.0/users/delta?$select=displayName");
            var afterOne = tenant.Dropbox.Members.Count(m => m.Status == DropboxMemberStatus.Invited);
            Assert.Equal(invited - (int)System.Math.Round(invited * 0.5, System.MidpointRounding.AwayFromZero), afterOne);
            // Following a round's pages is the same cycle: nobody else joins.
            if (first["@odata.nextLink"] != null) await client.GetJson((string)first["@odata.nextLink"]);
            Assert.Equal(afterOne, tenant.Dropbox.Members.Count(m => m.Status == DropboxMemberStatus.Invited));
        }
    }
}
