using System.Collections.Generic;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// A job switched from SCIM to the Team API finds nothing to change. (The foundation and engine cycle stories run
    /// against both targets in their own classes, through <see cref="Targets"/>.)
    /// </summary>
    public sealed class TeamApiTargetTests
    {
        [Fact]
        public void A_job_provisioned_over_SCIM_and_switched_to_the_Team_API_finds_nothing_to_change()
        {
            var (ps, scimConnection, sandbox) = Targets.Connect(Targets.Scim, 60, 21);
            using (ps)
            {
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.True(first.Created > 10);
                Assert.Contains(first.Changes, c => c.ObjectType == Mapping.ObjectType.Group && c.Action == ChangeAction.Create);
                var teamApi = ps.Single<DbxConnection>("Connect-DbxTenant -Sandbox -Api TeamApi -SandboxConnection $scim", new Dictionary<string, object> { ["scim"] = scimConnection });
                Assert.Equal(Dropbox.DropboxApiKind.TeamApi, teamApi.Api);
                Assert.Same(sandbox, teamApi.Sandbox);
                Assert.Equal(scimConnection.StatePath, teamApi.StatePath);

                // A full (initial) cycle over the Team API: every account and group is read again and compared.
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                sandbox.Journal.Clear();
                var crossed = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(CycleMode.Initial, crossed.Mode);
                Assert.Equal(0, crossed.Created + crossed.Updated + crossed.Suspended + crossed.Deleted + crossed.Failed + crossed.Adopted);
                Assert.Contains(sandbox.Journal.Entries(), e => e.Path == "/2/team/members/list_v2");
                Assert.Equal(0, Targets.Writes(sandbox, Targets.TeamApi));
                Assert.DoesNotContain(sandbox.Journal.Entries(), e => e.Service == "scim");
            }
        }
    }
}
