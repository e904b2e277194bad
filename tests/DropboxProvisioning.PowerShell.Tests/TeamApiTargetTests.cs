using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Sandbox.Faults;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.State;
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
        public void Both_of_Dropbox_s_429_reasons_are_waited_out_for_retry_after_and_the_cycle_completes()
        {
            var (ps, _, sandbox) = Targets.Connect(Targets.TeamApi, 30, 23);
            using (ps)
            {
                sandbox.Faults = new FaultPlan();
                var writes = sandbox.Faults.Add(new FaultRule("dropbox-api", FaultKind.Throttle)
                {
                    PathContains = "members/add_v2", RetryAfterSeconds = 1, RateLimitReason = "too_many_write_operations", MaxStarts = 1,
                });
                var requests = sandbox.Faults.Add(new FaultRule("dropbox-api", FaultKind.Throttle)
                {
                    PathContains = "members/list_v2", RetryAfterSeconds = 1, RateLimitReason = "too_many_requests", MaxStarts = 1,
                });
                var started = System.DateTime.UtcNow;
                var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.True(System.DateTime.UtcNow - started >= System.TimeSpan.FromSeconds(1.9), "the two retry_after waits were not taken");
                Assert.Equal(2, sandbox.Faults.Counters[FaultKind.Throttle]);
                Assert.Equal(CycleStatus.Succeeded, result.Status);
                Assert.Equal(0, result.Failed);
                Assert.Equal(Targets.ExpectedUserNames(sandbox).Count, result.Created + result.Adopted);
                Assert.Equal(2, Targets.Refused(sandbox, Targets.TeamApi));
                Assert.Equal(sandbox.Dropbox.Members.Count, sandbox.Dropbox.Members.Select(m => m.Email.ToLowerInvariant()).Distinct().Count());
            }
        }

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
