using System.Linq;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>Migration from the old integration: existing members are taken under management, unchanged, never duplicated.</summary>
    public sealed class AdoptionModeTests
    {
        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Adoption_mode_matches_by_email_or_external_id_writes_nothing_and_a_normal_cycle_then_duplicates_nothing(string api)
        {
            var (ps, _, sandbox) = Targets.Connect(api, 30, 41);
            using var session = ps;
            var users = Targets.ExpectedUserNames(sandbox).Select(upn => sandbox.Directory.Users.Single(u => u.UserPrincipalName == upn)).OrderBy(u => u.Id).ToList();

            // What the old integration left: members by the same email, and one under an old address that only its external id ties to Entra.
            foreach (var user in users.Take(5)) sandbox.Dropbox.AddMember(user.UserPrincipalName, user.GivenName, user.Surname, DropboxMemberStatus.Active, user.MailNickname);
            var renamed = users[5];
            var old = sandbox.Dropbox.AddMember("old.address." + renamed.MailNickname + "@legacy.example", renamed.GivenName, renamed.Surname, DropboxMemberStatus.Active, renamed.MailNickname);
            var writes = Targets.Writes(sandbox, api);

            var adoption = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -AdoptionMode");
            Assert.True(adoption.Adopted >= 6, "adopted " + adoption.Adopted);
            Assert.Equal(0, adoption.Created + adoption.Updated + adoption.Suspended + adoption.Deleted);
            Assert.Equal(writes, Targets.Writes(sandbox, api));
            Assert.Contains(adoption.Changes, c => c.TargetId == old.TeamMemberId && c.Reason.Contains("externalId"));
            Assert.Equal(CycleMode.Initial, ps.Single<State.ProvisioningStatusReport>("Get-DbxProvisioningStatus").NextCycle);

            // The normal cycle after it creates only those who had no account, and duplicates none.
            var normal = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(users.Count - adoption.Adopted, normal.Created); // the generator also left one matching member of its own
            var members = sandbox.Dropbox.Members;
            Assert.Equal(members.Count, members.Select(m => m.Email.ToLowerInvariant()).Distinct().Count());
            Assert.Equal(renamed.UserPrincipalName, sandbox.Dropbox.GetMember(old.TeamMemberId).Email, ignoreCase: true);
        }
    }
}
