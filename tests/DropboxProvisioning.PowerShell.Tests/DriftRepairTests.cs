using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Drift repair through the real PowerShell engine, over SCIM and the Team API (issue 17): with
    /// FullReconciliationInterval on, a due cycle puts back what an admin changed by hand in the sandbox's Dropbox team on
    /// what the engine manages (a mapped profile field, a suspension, an unsuspension, members of a managed group), logs
    /// each repair as drift with the old and new values, shows it under -WhatIf without writing, leaves unmanaged accounts
    /// alone, and goes by the connection's clock (pinned here, ConnectionOptions.Clock) for when the next one is due.
    /// </summary>
    public sealed class DriftRepairTests
    {
        private static readonly DateTimeOffset Start = new DateTimeOffset(2030, 5, 6, 7, 0, 0, TimeSpan.Zero);

        private sealed class PinnedClock : Time.IClock
        {
            public DateTimeOffset UtcNow { get; set; } = Start;
        }

        /// <summary>What Connect-DbxTenant -Sandbox [-Api TeamApi] does, with the connection's clock pinned.</summary>
        private static DbxConnection ConnectPinned(SandboxTenant tenant, DropboxApiKind api, PinnedClock clock)
        {
            var options = new ConnectionOptions
            {
                Api = api,
                TenantUrl = new Uri("https://www.dropbox.com/scim/v2"),
                SecretToken = Security.SecureStrings.FromText(tenant.Dropbox.ScimToken),
                TenantId = SandboxCredentials.TenantId,
                ClientId = SandboxCredentials.ClientId,
                ClientSecret = Security.SecureStrings.FromText(SandboxCredentials.ClientSecret),
                ServicePrincipalId = SandboxCredentials.ServicePrincipalId,
                Authentication = GraphAuthentication.Sandbox,
                StatePath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dbx-drift-" + Guid.NewGuid().ToString("N").Substring(0, 12)),
                Clock = clock,
            };
            if (api == DropboxApiKind.TeamApi)
            {
                var key = Sandbox.Serving.SandboxEndpoints.TeamAppKey;
                ConsentedAuthorization.AuthorizeTeamAppAsync(options, key,
                    challenge => tenant.DropboxApi.ApproveAuthorization(key, challenge, Sandbox.DropboxApi.DropboxAuthorizationServer.ProvisioningScopes),
                    tenant.CreateHandler, CancellationToken.None).GetAwaiter().GetResult();
            }
            return ConnectionFactory.ConnectAsync(options, tenant.CreateHandler, CancellationToken.None).GetAwaiter().GetResult();
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void A_due_full_reconciliation_puts_back_what_an_admin_changed_by_hand_logs_it_as_drift_and_leaves_unmanaged_accounts_alone(string api)
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 24, Seed = 71 });
            var clock = new PinnedClock();
            using var connection = ConnectPinned(tenant, api == Targets.Scim ? DropboxApiKind.Scim : DropboxApiKind.TeamApi, clock);
            using var ps = new PowerShellSession();
            var c = new Dictionary<string, object> { ["c"] = connection };
            try
            {
                // Off (the default): an ordinary first cycle, then an unassigned user is suspended by the engine.
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Connection $c", c);
                Assert.True(first.Created > 5);
                Targets.AcceptAll(tenant);
                var state = connection.Store.LoadState();
                Assert.Null(state.LastFullReconciliation);
                var leaver = Targets.DirectUsers(tenant).First(u => state.Users.ContainsKey(u.Id));
                tenant.Directory.Unassign(leaver.Id);
                clock.UtcNow += TimeSpan.FromMinutes(40);
                Assert.Equal(1, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Connection $c", c).Suspended);

                var off = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus -Connection $c", c);
                Assert.Null(off.NextFullReconciliation); // the setting is off: no schedule
                ps.Run("Set-DbxProvisioningSetting -Connection $c -FullReconciliationInterval 1.00:00:00", c);
                var status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus -Connection $c", c);
                Assert.Null(status.LastFullReconciliation);
                Assert.Equal(clock.UtcNow, status.NextFullReconciliation);
                Assert.Equal(CycleMode.Initial, status.NextCycle); // due now: the next cycle reads everything
                // The setting is not part of the configuration's fingerprint: turning it on does not itself restart the job.
                Assert.Equal(connection.Store.LoadState().ConfigurationFingerprint, ConfigurationFile.Fingerprint(connection.Store.LoadConfiguration()));

                // An admin's edits in the Dropbox console.
                state = connection.Store.LoadState();
                var groupRecord = state.Groups.Values.First(g => g.Members != null && g.Members.Count > 0);
                var inGroup = state.Users.Values.First(u => u.Active && groupRecord.Members.Contains(u.TargetId));
                var outside = state.Users.Values.First(u => u.Active && !groupRecord.Members.Contains(u.TargetId) && u.SourceId != leaver.Id);
                var edited = state.Users.Values.First(u => u.Active && u != inGroup && u != outside);
                var suspended = state.Users.Values.First(u => u.Active && u != inGroup && u != outside && u != edited);
                var originalSurname = tenant.Dropbox.GetMember(edited.TargetId).Surname;
                tenant.Dropbox.SetProfile(edited.TargetId, surname: "Byhand");
                tenant.Dropbox.Suspend(suspended.TargetId);
                tenant.Dropbox.Unsuspend(state.Users[leaver.Id].TargetId);
                tenant.Dropbox.AddGroupMembers(groupRecord.TargetId, new[] { outside.TargetId });
                tenant.Dropbox.RemoveGroupMembers(groupRecord.TargetId, new[] { inGroup.TargetId });
                var stranger = tenant.Dropbox.AddMember("stranger@fabrikam.com", "Stray", "Hand", DropboxMemberStatus.Active);
                tenant.Dropbox.AddGroupMembers(groupRecord.TargetId, new[] { stranger.TeamMemberId });

                // -WhatIf shows the drift and writes nothing, not even the schedule.
                var stateBefore = System.IO.File.ReadAllText(connection.Store.StateFile);
                tenant.Journal.Clear();
                var look = ps.Run("Invoke-DbxProvisioningCycle -Connection $c -WhatIf", c).Select(o => o.BaseObject).OfType<ProvisioningChange>().Where(x => x.Drift).ToList();
                Assert.Equal(0, Targets.Writes(tenant, api));
                Assert.Equal(stateBefore, System.IO.File.ReadAllText(connection.Store.StateFile));
                Assert.Contains(look, x => x.TargetId == edited.TargetId && x.ModifiedProperties.Any(p => p.Name == "name.familyName" && p.OldValue == "Byhand" && p.NewValue == originalSurname));
                Assert.Contains(look, x => x.TargetId == suspended.TargetId && x.Reason.Contains("suspended by hand"));
                Assert.Contains(look, x => x.SourceId == leaver.Id && x.Action == ChangeAction.Disable && x.Reason.StartsWith("drift: unsuspended in Dropbox by hand"));
                var groupLook = Assert.Single(look, x => x.TargetId == groupRecord.TargetId);
                Assert.Contains(groupLook.ModifiedProperties, p => p.Name == "member:" + outside.TargetIdentity && p.OldValue == "member" && p.NewValue == "not a member");
                Assert.Contains(groupLook.ModifiedProperties, p => p.Name == "member:" + inGroup.TargetIdentity && p.OldValue == "not a member" && p.NewValue == "member");
                Assert.All(look, x => Assert.Equal(ChangeStatus.Planned, x.Status));
                Assert.DoesNotContain(look, x => x.TargetId == stranger.TeamMemberId);

                // The repair.
                var repaired = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Connection $c", c);
                Assert.Equal(CycleMode.Initial, repaired.Mode);
                Assert.Equal(0, repaired.Failed);
                Assert.Equal(originalSurname, tenant.Dropbox.GetMember(edited.TargetId).Surname);
                Assert.NotEqual(DropboxMemberStatus.Suspended, tenant.Dropbox.GetMember(suspended.TargetId).Status);
                Assert.Equal(DropboxMemberStatus.Suspended, tenant.Dropbox.GetMember(state.Users[leaver.Id].TargetId).Status);
                var members = tenant.Dropbox.GetGroup(groupRecord.TargetId).MemberIds;
                Assert.DoesNotContain(outside.TargetId, members);
                Assert.Contains(inGroup.TargetId, members);
                Assert.Contains(stranger.TeamMemberId, members); // not the engine's account: left where the admin put it
                var strangerNow = tenant.Dropbox.GetMember(stranger.TeamMemberId);
                Assert.Equal(("Stray", "Hand", DropboxMemberStatus.Active), (strangerNow.GivenName, strangerNow.Surname, strangerNow.Status));

                var drift = ps.Run("Get-DbxProvisioningLog -Connection $c -Drift", c).Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
                Assert.All(drift, r => Assert.True(r.Drift));
                Assert.All(drift, r => Assert.Equal(repaired.CycleId, r.CycleId));
                Assert.All(drift, r => Assert.StartsWith("drift: ", r.StatusDetails));
                Assert.Contains(drift, r => r.TargetId == edited.TargetId && r.Status == ChangeStatus.Success && r.ModifiedProperties.Any(p => p.OldValue == "Byhand" && p.NewValue == originalSurname));
                Assert.Contains(drift, r => r.TargetId == groupRecord.TargetId && r.Status == ChangeStatus.Success);
                Assert.Equal(4, drift.Count);
                Assert.True(ps.Run("Get-DbxProvisioningLog -Connection $c", c).Count > drift.Count);

                status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus -Connection $c", c);
                Assert.Equal(clock.UtcNow, status.LastFullReconciliation);
                Assert.Equal(clock.UtcNow.AddDays(1), status.NextFullReconciliation);

                // Not due: an incremental cycle does not look, so a new edit stays, and nothing is written.
                tenant.Dropbox.SetProfile(edited.TargetId, surname: "Again");
                clock.UtcNow += TimeSpan.FromHours(23);
                tenant.Journal.Clear();
                Assert.Equal(CycleMode.Incremental, ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus -Connection $c", c).NextCycle);
                var quiet = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Connection $c", c);
                Assert.Equal(CycleMode.Incremental, quiet.Mode);
                Assert.Equal(0, Targets.Writes(tenant, api));
                Assert.Equal("Again", tenant.Dropbox.GetMember(edited.TargetId).Surname);

                // A day after the last began, by the connection's clock: due again, and only the drift is written.
                clock.UtcNow += TimeSpan.FromHours(1);
                tenant.Journal.Clear();
                var again = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle -Connection $c -Verbose", c);
                Assert.Equal(CycleMode.Initial, again.Mode);
                Assert.Contains(ps.Verbose, v => v.StartsWith("A full reconciliation is due (FullReconciliationInterval 1.00:00:00", StringComparison.Ordinal));
                Assert.Contains(ps.Verbose, v => v == $"Full reconciliation: 1 change(s) put back what was changed in Dropbox by hand (Get-DbxProvisioningLog -Drift); the next is due {clock.UtcNow.AddDays(1):u}.");
                var change = Assert.Single(again.Changes, x => x.Drift);
                Assert.Equal(edited.TargetId, change.TargetId);
                Assert.Equal(1, again.Updated);
                Assert.Equal(originalSurname, tenant.Dropbox.GetMember(edited.TargetId).Surname);
                Assert.Equal(clock.UtcNow, connection.Store.LoadState().LastFullReconciliation);
            }
            finally { System.IO.Directory.Delete(connection.StatePath, recursive: true); }
        }
    }
}
