using System;
using System.Linq;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Issue #8 findings in the engine's Sync/ code, which is being edited elsewhere: these tests state the
    /// wanted behaviour and are skipped until the fix lands. Remove the Skip with the fix.
    /// </summary>
    public sealed class HostileInputKnownEngineBugTests
    {
        [Fact(Skip = "Engine bug: CyclePlanner.RequiredForCreate lists userName and name.familyName but not name.givenName, which Dropbox also requires; such a user is POSTed, refused with 400 and escrowed for retries (counting toward quarantine) instead of skipped with the reason.")]
        public void A_user_without_a_given_name_is_skipped_with_the_reason_not_sent_to_fail()
        {
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 3 -SandboxSeed 5");
            var sandbox = (SandboxTenant)connection.Sandbox;
            var domain = sandbox.Directory.Users.First().UserPrincipalName.Split('@')[1];
            var user = sandbox.Directory.AddUser(new DirectoryUser { UserPrincipalName = "nogiven@" + domain, DisplayName = "No Given", Surname = "Nogiven" });
            sandbox.Directory.Assign(user.Id, SandboxCredentials.UserAppRoleId);
            sandbox.Journal.Clear();

            var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(0, result.Failed);
            Assert.DoesNotContain(sandbox.Journal.Entries(), e => e.Service == "scim" && e.Method == "POST" && e.Path.EndsWith("/Users"));
            var records = ps.Run("Get-DbxProvisioningLog -Identity 'nogiven@" + domain + "'").Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
            Assert.Contains(records, r => r.Status == ChangeStatus.Skipped && r.StatusDetails.Contains("name.givenName"));
        }

        [Fact(Skip = "Engine bug: after Restart-DbxProvisioning -Scope Full, two in-scope Entra users that map to the same userName both match the one Dropbox account; the first one planned adopts it and overwrites the other user's account (displayName 'Sam Two' -> 'Sam One', name.familyName 'Two' -> 'One'), the second is skipped as 'already managed for another Entra user'. An ambiguous match should adopt nothing and report both.")]
        public void Two_users_matching_one_account_after_a_full_restart_do_not_take_it_over()
        {
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 3 -SandboxSeed 5");
            var sandbox = (SandboxTenant)connection.Sandbox;
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
        [Fact(Skip = "Engine bug: the planner's required-for-create check treats a whitespace-only value as present; a user whose surname is '   ' is POSTed and refused (400 name.familyName is required) instead of skipped like a user with no surname.")]
        public void A_user_with_a_whitespace_surname_is_skipped_like_one_without()
        {
            using var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 3 -SandboxSeed 5");
            var sandbox = (SandboxTenant)connection.Sandbox;
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
