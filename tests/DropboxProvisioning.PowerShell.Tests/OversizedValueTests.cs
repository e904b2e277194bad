using System.Linq;
using DropboxProvisioning.State;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>A user whose values no Dropbox account can hold fails alone, with a short reason; everyone else is provisioned.</summary>
    public sealed class OversizedValueTests
    {
        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_user_with_a_10000_character_UPN_fails_alone_with_a_short_reason(string api)
        {
            var (ps, _, sandbox) = Targets.Connect(api, 20, 14);
            using (ps)
            {
                ps.Run("Invoke-DbxProvisioningCycle | Out-Null");
                var upn = new string('a', 10000 - "@contoso.onmicrosoft.com".Length) + "@contoso.onmicrosoft.com";
                var huge = sandbox.Directory.AddUser(new DirectoryUser { UserPrincipalName = upn, DisplayName = "Huge", GivenName = "Huge", Surname = "Upn", MailNickname = "huge", AccountEnabled = true });
                var plain = sandbox.Directory.AddUser(new DirectoryUser { UserPrincipalName = "plain.newcomer@contoso.onmicrosoft.com", DisplayName = "Plain Newcomer", GivenName = "Plain", Surname = "Newcomer", MailNickname = "plain", AccountEnabled = true });
                sandbox.Directory.Assign(huge.Id, SandboxCredentials.UserAppRoleId);
                sandbox.Directory.Assign(plain.Id, SandboxCredentials.UserAppRoleId);

                for (var cycle = 0; cycle < 2; cycle++)
                {
                    var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                    Assert.Equal(CycleMode.Incremental, result.Mode);
                    Assert.NotNull(sandbox.Dropbox.FindByEmail(plain.UserPrincipalName));
                    Assert.Null(sandbox.Dropbox.FindByEmail(upn));
                }
                var failures = ps.Run($"Get-DbxProvisioningLog -Status Failure").Select(o => (ProvisioningLogRecord)o.BaseObject).Where(r => r.SourceId == huge.Id).ToList();
                Assert.NotEmpty(failures);
                Assert.All(failures, f => Assert.InRange(f.StatusDetails?.Length ?? 0, 1, 600));
                Assert.DoesNotContain(ps.Run("Get-DbxProvisioningLog -Status Failure").Select(o => (ProvisioningLogRecord)o.BaseObject), r => r.SourceId != huge.Id);
            }
        }
    }
}
