using System.Linq;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>The runner over both targets (the sandbox in this process): each outcome beside its change, never written into it.</summary>
    public sealed class RunnerTests
    {
        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public async Task A_create_gives_the_new_accounts_id_in_its_outcome_and_the_plan_keeps_none(DropboxApiKind api)
        {
            using var world = await RunnerWorld.CreateAsync(api);
            var change = world.Create(world.User("runa"));
            var run = await world.RunAsync(change);
            var outcome = Assert.Single(run.Outcomes);
            Assert.Same(change, outcome.Change);
            Assert.Equal(ChangeStatus.Success, outcome.Status);
            Assert.NotNull(outcome.TargetId);
            Assert.Null(change.PlannedTargetId);
            Assert.Equal(ChangeAction.Create, change.Planned);
            Assert.Equal(outcome.TargetId, change.TargetId);
            Assert.Equal(outcome.TargetId, world.State.Users["u-runa"].TargetId);
            Assert.Contains(world.Tenant.Dropbox.Members, m => m.Email == "runa@contoso.com");
        }

        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public async Task An_invited_account_that_cannot_be_suspended_is_removed_and_its_outcome_says_Delete(DropboxApiKind api)
        {
            using var world = await RunnerWorld.CreateAsync(api);
            world.Tenant.Dropbox.AddMember("invited@contoso.com", "Ivy", "Invited", DropboxMemberStatus.Invited);
            var user = world.User("invited");
            var change = await world.DisableAsync(user, "invited@contoso.com");
            var outcome = Assert.Single((await world.RunAsync(change)).Outcomes);
            Assert.Equal(ChangeAction.Disable, change.Planned);
            Assert.Equal(ChangeAction.Delete, outcome.Action);
            Assert.Equal(ChangeAction.Delete, change.Action);
            Assert.Equal(ChangeStatus.Success, outcome.Status);
            Assert.Equal(world.Target.InvitedRemovedInstead, outcome.Details);
            Assert.False(world.State.Users.ContainsKey(user.Id));
            Assert.DoesNotContain(world.Tenant.Dropbox.Members, m => m.Email == "invited@contoso.com");
        }

        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public async Task A_member_who_joined_is_suspended_and_stays_managed_as_inactive(DropboxApiKind api)
        {
            using var world = await RunnerWorld.CreateAsync(api);
            world.Tenant.Dropbox.AddMember("joined@contoso.com", "Jo", "Joined", DropboxMemberStatus.Active);
            var user = world.User("joined");
            var change = await world.DisableAsync(user, "joined@contoso.com");
            var outcome = Assert.Single((await world.RunAsync(change)).Outcomes);
            Assert.Equal(ChangeAction.Disable, outcome.Action);
            Assert.Equal(ChangeStatus.Success, outcome.Status);
            Assert.False(world.State.Users[user.Id].Active);
            Assert.Equal("False", world.State.Users[user.Id].Exported["active"]);
            Assert.Equal(DropboxMemberStatus.Suspended, world.Tenant.Dropbox.Members.Single(m => m.Email == "joined@contoso.com").Status);
        }

        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public async Task A_create_that_finds_the_account_already_there_takes_it_over_and_counts_as_an_adoption(DropboxApiKind api)
        {
            using var world = await RunnerWorld.CreateAsync(api);
            world.Tenant.Dropbox.AddMember("early@contoso.com", "Early", "Bird", DropboxMemberStatus.Active);
            var change = world.Create(world.User("early"));
            var outcome = Assert.Single((await world.RunAsync(change)).Outcomes);
            Assert.Equal(ChangeStatus.Warning, outcome.Status);
            Assert.True(outcome.TookOver);
            Assert.Contains("the existing account is now managed", outcome.Details);
            var result = new CycleResult();
            new CycleOutcome(world.Connection.Directory, NullCycleObserver.Instance).Count(result, new[] { outcome });
            Assert.Equal((0, 1), (result.Created, result.Adopted));
        }

        [Theory]
        [InlineData(DropboxApiKind.Scim)]
        [InlineData(DropboxApiKind.TeamApi)]
        public async Task A_failure_goes_to_escrow_and_is_logged_with_Dropboxs_error(DropboxApiKind api)
        {
            using var world = await RunnerWorld.CreateAsync(api);
            var user = world.User("ghost");
            world.State.Users[user.Id] = new ManagedObject { SourceId = user.Id, TargetId = "dbmid:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TargetIdentity = "ghost@contoso.com" };
            var change = new ProvisioningChange
            {
                Planned = ChangeAction.Update, SourceId = user.Id, SourceIdentity = "ghost@contoso.com", TargetId = "dbmid:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TargetIdentity = "ghost@contoso.com",
                Values = world.Mapping.Evaluate(user, forCreate: false).Where(v => v.Path.Text == "name.familyName").ToList(),
                Existing = new Newtonsoft.Json.Linq.JObject { ["id"] = "dbmid:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }, Reason = "attributes differ",
            };
            var outcome = Assert.Single((await world.RunAsync(change)).Outcomes);
            Assert.Equal(ChangeStatus.Failure, outcome.Status);
            var escrow = world.State.Escrows[user.Id];
            Assert.Equal(1, escrow.Attempts);
            Assert.Equal(world.Clock.UtcNow, escrow.NextAttempt);
            Assert.Equal(outcome.Details, escrow.LastError);
            var record = world.Connection.Store.Logs.Read().Single();
            Assert.Equal((ChangeStatus.Failure, outcome.Details), (record.Status, record.StatusDetails));
        }
    }
}
