using System;
using System.Linq;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Issue #8 findings in the cycle's matching and create checks: a user Dropbox would refuse is skipped with
    /// the reason, and an account two users match is handed to neither.
    /// </summary>
    public sealed class HostileInputMatchingTests
    {
        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_user_without_a_given_name_is_skipped_with_the_reason_not_sent_to_fail(string api)
        {
            var (ps, _, sandbox) = Targets.Connect(api, 3, 5);
            using var session = ps;
            var domain = sandbox.Directory.Users.First().UserPrincipalName.Split('@')[1];
            ps.Run("Invoke-DbxProvisioningCycle | Out-Null"); // the tenant's own users first, so only the new one is left
            var user = sandbox.Directory.AddUser(new DirectoryUser { UserPrincipalName = "nogiven@" + domain, DisplayName = "No Given", Surname = "Nogiven" });
            sandbox.Directory.Assign(user.Id, SandboxCredentials.UserAppRoleId);
            sandbox.Journal.Clear();

            var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(0, result.Failed);
            Assert.DoesNotContain(sandbox.Journal.Entries(), e => Targets.IsUserCreate(e, api));
            var records = ps.Run("Get-DbxProvisioningLog -Identity 'nogiven@" + domain + "'").Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
            Assert.Contains(records, r => r.Status == ChangeStatus.Skipped && r.StatusDetails.Contains("name.givenName"));
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Two_users_matching_one_account_after_a_full_restart_do_not_take_it_over(string api)
        {
            var (ps, _, sandbox) = Targets.Connect(api, 3, 5);
            using var session = ps;
            ps.Run("Set-DbxAttributeMapping userName -Expression 'Append(Word([userPrincipalName], 1, \"@\"), \"@shared.example\")'");
            foreach (var (upn, surname) in new[] { ("sam@contoso-one.example", "One"), ("sam@contoso-two.example", "Two") })
            {
                var user = sandbox.Directory.AddUser(new DirectoryUser { UserPrincipalName = upn, DisplayName = "Sam " + surname, GivenName = "Sam", Surname = surname });
                sandbox.Directory.Assign(user.Id, SandboxCredentials.UserAppRoleId);
            }
            ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
            var before = sandbox.Dropbox.FindByEmail("sam@shared.example");
            Assert.NotNull(before);

            ps.Run("Restart-DbxProvisioning -Scope Full -Confirm:$false; Invoke-DbxProvisioningCycle | Out-Null; Invoke-DbxProvisioningCycle | Out-Null");
            var after = sandbox.Dropbox.FindByEmail("sam@shared.example");
            Assert.Equal(before.Surname, after.Surname);
            Assert.Equal(before.DisplayName, after.DisplayName);
            Assert.Single(sandbox.Dropbox.Members, m => string.Equals(m.Email, "sam@shared.example", StringComparison.OrdinalIgnoreCase));
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_user_with_a_whitespace_surname_is_skipped_like_one_without(string api)
        {
            var (ps, _, sandbox) = Targets.Connect(api, 3, 5);
            using var session = ps;
            var domain = sandbox.Directory.Users.First().UserPrincipalName.Split('@')[1];
            var user = sandbox.Directory.AddUser(new DirectoryUser { UserPrincipalName = "blank@" + domain, DisplayName = "Blank", GivenName = "Blank", Surname = "   " });
            sandbox.Directory.Assign(user.Id, SandboxCredentials.UserAppRoleId);

            var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(0, result.Failed);
            var records = ps.Run("Get-DbxProvisioningLog -Identity 'blank@" + domain + "'").Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
            Assert.Contains(records, r => r.Status == ChangeStatus.Skipped && r.StatusDetails.Contains("name.familyName"));
        }
    }
}
