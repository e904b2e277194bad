using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Connection;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// The state in Azure Blob Storage through the real PowerShell engine, against Azurite: a job's state written by one session
    /// (one Automation job) is the next session's, so its cycle is incremental; -WhatIf writes nothing there; secrets are stored
    /// only under -StateProtectionKey; the errors of a bad URI, a missing container and stray credentials.
    /// </summary>
    public sealed class BlobStateTests
    {
        private static Dictionary<string, object> Variables(string uri) => new Dictionary<string, object>
        {
            ["uri"] = uri, ["key"] = Security.SecureStrings.FromText(Azurite.AccountKey),
            ["protection"] = Security.SecureStrings.FromText("an admin key of at least sixteen characters"),
        };

        private static List<string> Blobs(string uri) =>
            Azurite.Shared.Container(uri).GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, default)
                .Select(b => b.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();

        private static Dictionary<string, string> ETags(string uri) =>
            Azurite.Shared.Container(uri).GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.Metadata, Azure.Storage.Blobs.Models.BlobStates.None, null, default)
                .ToDictionary(b => b.Name, b => b.Properties.ETag.ToString() + b.Properties.LeaseState);

        [Fact]
        public void A_second_session_on_the_same_container_sees_the_first_one_s_state_and_runs_an_incremental_cycle()
        {
            var uri = Azurite.Shared.NewContainer("contoso/dropbox");
            var variables = Variables(uri);
            using var first = new PowerShellSession();
            var connection = first.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 40 -StateStorageUri $uri -StateStorageAccountKey $key", variables);
            Assert.Equal(uri, connection.StatePath);
            var initial = first.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(CycleMode.Initial, initial.Mode);
            Assert.True(initial.Created > 0);
            var blobs = Blobs(uri);
            Assert.Contains("contoso/dropbox/state.json", blobs);
            Assert.Contains("contoso/dropbox/cycle.lock", blobs);
            Assert.Contains(blobs, b => b.StartsWith("contoso/dropbox/logs/", StringComparison.Ordinal) && b.EndsWith("_" + initial.CycleId + ".jsonl", StringComparison.Ordinal));
            Assert.DoesNotContain(blobs, b => !b.StartsWith("contoso/dropbox/", StringComparison.Ordinal));

            // Another job: a new session, the same tenant, nothing on this machine but what is in the container.
            using var second = new PowerShellSession();
            variables["first"] = connection;
            second.Run("Connect-DbxTenant -Sandbox -SandboxConnection $first -StateStorageUri $uri -StateStorageAccountKey $key | Out-Null", variables);
            var status = second.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
            Assert.Equal(initial.CycleId, status.LastCycle.CycleId);
            Assert.True(status.ManagedUsers >= initial.Created);
            Assert.Equal(CycleMode.Incremental, status.NextCycle);
            Assert.Equal(uri, status.StatePath);
            var logged = second.Run("Get-DbxProvisioningLog -CycleId $id", new Dictionary<string, object> { ["id"] = initial.CycleId });
            var records = logged.Select(r => (ProvisioningLogRecord)r.BaseObject).ToList();
            Assert.Equal(initial.Created, records.Count(r => r.Action == ChangeAction.Create && r.Status == ChangeStatus.Success && r.ObjectType == "User"));

            var before = ETags(uri);
            second.Run("Invoke-DbxProvisioningCycle -WhatIf | Out-Null");
            Assert.Equal(before, ETags(uri)); // -WhatIf: not a blob written, not a lease taken

            var tenant = (Sandbox.SandboxTenant)connection.Sandbox;
            tenant.Dropbox.AcceptInvitations(1.0); // an invited member cannot be suspended, only removed
            var leaver = Targets.DirectUsers(tenant).First(u => tenant.Dropbox.FindByEmail(u.UserPrincipalName) != null);
            tenant.Directory.Unassign(leaver.Id);
            var next = second.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(CycleMode.Incremental, next.Mode);
            Assert.Equal(0, next.Created);
            Assert.Equal(0, next.Adopted);
            Assert.Equal(1, next.Suspended);
            Assert.Equal(Sandbox.Dropbox.DropboxMemberStatus.Suspended, tenant.Dropbox.FindByEmail(leaver.UserPrincipalName).Status);
        }

        [Fact]
        public void A_Team_API_refresh_token_is_stored_in_a_container_only_under_the_protection_key()
        {
            var keyless = Azurite.Shared.NewContainer();
            using var ps = new PowerShellSession();
            ps.Run("Connect-DbxTenant -Sandbox -Api TeamApi -StateStorageUri $uri -StateStorageAccountKey $key | Out-Null; Invoke-DbxProvisioningCycle | Out-Null", Variables(keyless));
            Assert.DoesNotContain(Blobs(keyless), b => b.Contains("credential") || b.Contains("authorization"));

            var keyed = Azurite.Shared.NewContainer();
            ps.Run("Connect-DbxTenant -Sandbox -Api TeamApi -StateStorageUri $uri -StateStorageAccountKey $key -StateProtectionKey $protection | Out-Null", Variables(keyed));
            // The sandbox's consent gives the token in memory, as -RefreshToken does: with the key, a later session could use it.
            Assert.Contains(ConnectionFactory.TeamApiCredentialFile, Blobs(keyed));
            var stored = Azurite.Shared.Container(keyed).GetBlobClient(ConnectionFactory.TeamApiCredentialFile).DownloadContent().Value.Content.ToString();
            var storage = State.Storage.BlobContainerStorage.Open(new State.Storage.BlobStateOptions
            {
                Uri = keyed, AccountKey = Security.SecureStrings.FromText(Azurite.AccountKey), ProtectionKey = (System.Security.SecureString)Variables(keyed)["protection"],
            });
            var token = Security.SecureStrings.Reveal(State.ProtectedSecretFile.Read(storage, ConnectionFactory.TeamApiCredentialFile));
            Assert.True(token.Length > 10);
            Assert.DoesNotContain(token, stored);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(token)), stored);
        }

        [Fact]
        public void The_activity_cursor_of_a_sandbox_job_lives_in_its_container_and_the_next_session_continues_from_it()
        {
            var uri = Azurite.Shared.NewContainer();
            var variables = Variables(uri);
            using var first = new PowerShellSession();
            var connection = first.Single<DbxConnection>("Connect-DbxTenant -Sandbox -SandboxUserCount 20 -StateStorageUri $uri -StateStorageAccountKey $key -StateProtectionKey $protection", variables);
            first.Single<ActivityConnection>("Connect-DbxActivity -Sandbox");
            var read = first.Run("Get-DbxActivity").Count;
            Assert.True(read > 100);
            Assert.Contains("activity/activity-state.json", Blobs(uri));
            Assert.DoesNotContain("activity/activity-pending-authorization.json", Blobs(uri)); // spent
            var tenant = (Sandbox.SandboxTenant)connection.Sandbox;
            tenant.TeamLog.AppendSimulated(7);

            using var second = new PowerShellSession();
            variables["first"] = connection;
            second.Run("Connect-DbxTenant -Sandbox -SandboxConnection $first | Out-Null; Connect-DbxActivity -Sandbox | Out-Null", variables);
            Assert.Equal(7, second.Run("Get-DbxActivity").Count);
        }

        [Theory]
        [InlineData("-StateStorageUri 'https://acct.blob.core.windows.net/Bad_Name' -StateStorageAccountKey $key", "ConnectDbxTenantInvalidStateStorageUri")]
        [InlineData("-StateStorageUri 'http://acct.blob.core.windows.net/state' -StateStorageAccountKey $key", "ConnectDbxTenantInsecureUrl")]
        [InlineData("-StateStorageAccountKey $key", "ConnectDbxTenantStateStorageUriMissing")]
        [InlineData("-StateStorageUri $missing -StateStorageAccountKey $key", "ConnectDbxTenantStateStorageContainerNotFound")]
        [InlineData("-StateStorageUri $missing", "ConnectDbxTenantMissingStateStorageCredential")]
        [InlineData("-StateStorageUri $missing -StatePath ./x -StateStorageAccountKey $key", "ConnectDbxTenantStateLocationAmbiguous")]
        public void Bad_state_storage_parameters_are_clear_errors(string parameters, string id)
        {
            using var ps = new PowerShellSession();
            var variables = Variables("unused");
            variables["missing"] = Azurite.Shared.BlobEndpoint + "/no-such-container";
            ps.Invoke("Connect-DbxTenant -Sandbox " + parameters, variables);
            var error = Assert.Single(ps.Errors);
            Assert.StartsWith(id + ",", error.FullyQualifiedErrorId);
            Assert.DoesNotContain(Azurite.AccountKey, error.ToString());
        }
    }
}
