using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
using DropboxProvisioning.State.Storage;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.State
{
    /// <summary>
    /// What only a blob container has: the lease that is the lock (taken, renewed past its length, released; a dead holder's
    /// lapses by itself), writes conditional on the ETag read (two writers: the second is refused and nothing is lost),
    /// -WhatIf writing nothing, secrets only under the admin's key, and the errors of a bad URI, a missing container and a
    /// refused credential. Against Azurite, through the Azure SDK: nothing is mocked.
    /// </summary>
    public sealed class BlobStateStorageTests
    {
        private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(15); // Azure's shortest lease

        private static ProvisioningState StateWith(string id) =>
            new ProvisioningState { Users = { [id] = new ManagedObject { SourceId = id, TargetId = "dbmid:" + id, MatchedBy = "Created" } } };

        private static BlobProperties LockBlob(TestStore place) =>
            Azurite.Shared.Container(place.Uri).GetBlobClient("job1/cycle.lock").GetProperties().Value;

        [Fact]
        public void The_lease_is_taken_renewed_past_its_length_and_released()
        {
            using var place = new TestStore(StoreKind.Blob, Shortest);
            var store = place.Open();
            var clock = Stopwatch.StartNew();
            using (var held = CycleLock.Acquire(store, "cycle"))
            {
                var properties = LockBlob(place);
                Assert.Equal(LeaseState.Leased, properties.LeaseState);
                Assert.Equal(LeaseDurationType.Fixed, properties.LeaseDuration);
                Assert.Contains("cycle", properties.Metadata["holder"]);
                // Past the lease's own 15 s: only the renewals (every 5 s) keep it.
                Thread.Sleep(Shortest + TimeSpan.FromSeconds(4));
                var refused = Assert.Throws<DbxException>(() => CycleLock.Acquire(place.Open(), "second"));
                Assert.Equal("CycleRunning", refused.Condition);
                Assert.Equal(DbxErrorCategory.ResourceBusy, refused.Category);
                Assert.Contains(place.Uri, refused.Message);
                Assert.Contains(Process.GetCurrentProcess().Id.ToString(), refused.Message);
            }
            Assert.Equal(LeaseState.Available, LockBlob(place).LeaseState);
            using (CycleLock.Acquire(place.Open(), "next")) { } // released at once: no wait for the lease to lapse
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40));
        }

        [Fact]
        public void A_lease_left_by_a_holder_that_died_lapses_by_itself_and_the_next_cycle_takes_over()
        {
            using var place = new TestStore(StoreKind.Blob, Shortest);
            using (CycleLock.Acquire(place.Open(), "first")) { } // the lock blob, as a first cycle leaves it
            // What a killed job leaves: a lease nobody renews or releases.
            var orphan = Azurite.Shared.Container(place.Uri).GetBlobClient("job1/cycle.lock").GetBlobLeaseClient();
            orphan.Acquire(Shortest);
            var taken = Stopwatch.StartNew();
            Assert.Equal("CycleRunning", Assert.Throws<DbxException>(() => CycleLock.Acquire(place.Open(), "too early")).Condition);
            Assert.Equal("CycleRunning", Assert.Throws<DbxException>(() => CycleLock.AcquireForReading(place.Open())).Condition);
            CycleLock next = null;
            while (next == null && taken.Elapsed < TimeSpan.FromSeconds(30))
            {
                try { next = CycleLock.Acquire(place.Open(), "next"); }
                catch (DbxException e) when (e.Condition == "CycleRunning") { Thread.Sleep(500); }
            }
            Assert.NotNull(next);
            Assert.InRange(taken.Elapsed, TimeSpan.FromSeconds(13), TimeSpan.FromSeconds(20));
            next.Dispose();
        }

        [Fact]
        public void A_look_under_WhatIf_writes_nothing_not_even_the_lock_blob()
        {
            using var place = new TestStore(StoreKind.Blob);
            using (CycleLock.AcquireForReading(place.Open())) { }
            Assert.Empty(place.Items());
            var store = place.Open();
            store.SaveState(StateWith("u1"));
            using (CycleLock.Acquire(store, "cycle")) { }
            var before = Azurite.Shared.Container(place.Uri).GetBlobs(BlobTraits.Metadata, BlobStates.None, "job1/", default).ToDictionary(b => b.Name, b => b.Properties.ETag);
            using (CycleLock.AcquireForReading(place.Open())) place.Open().LoadState();
            var after = Azurite.Shared.Container(place.Uri).GetBlobs(BlobTraits.Metadata, BlobStates.None, "job1/", default).ToDictionary(b => b.Name, b => b.Properties.ETag);
            Assert.Equal(before, after);
        }

        [Fact]
        public void Two_writers_of_one_state_never_overwrite_each_other_the_second_is_refused_and_nothing_is_lost()
        {
            using var place = new TestStore(StoreKind.Blob);
            place.Open().SaveState(StateWith("base"));
            var first = place.Open();
            var second = place.Open();
            var mine = first.LoadState();
            var theirs = second.LoadState();
            mine.Users["u1"] = new ManagedObject { SourceId = "u1", TargetId = "dbmid:1", MatchedBy = "Created" };
            first.SaveState(mine);
            theirs.Users["u2"] = new ManagedObject { SourceId = "u2", TargetId = "dbmid:2", MatchedBy = "Created" };
            var refused = Assert.Throws<DbxException>(() => second.SaveState(theirs));
            Assert.Equal("StateChangedElsewhere", refused.Condition);
            Assert.Equal(DbxErrorCategory.ResourceBusy, refused.Category);
            Assert.Contains("state.json", refused.Message);
            Assert.NotNull(refused.RecommendedAction);
            var kept = place.Open().LoadState();
            Assert.Equal(new[] { "base", "u1" }, kept.Users.Keys.OrderBy(k => k));

            // A new job's first save, when another made the state meanwhile: If-None-Match: * refuses it too.
            using var empty = new TestStore(StoreKind.Blob);
            var late = empty.Open();
            late.LoadState();
            empty.Open().SaveState(StateWith("early"));
            Assert.Equal("StateChangedElsewhere", Assert.Throws<DbxException>(() => late.SaveState(StateWith("late"))).Condition);
            Assert.Equal("early", empty.Open().LoadState().Users.Keys.Single());

            // After reading again, the second writer goes on from what the first saved.
            var again = second.LoadState();
            again.Users["u2"] = theirs.Users["u2"];
            second.SaveState(again);
            Assert.Equal(new[] { "base", "u1", "u2" }, place.Open().LoadState().Users.Keys.OrderBy(k => k));
        }

        [Fact]
        public void Pending_writes_and_a_configuration_are_guarded_the_same_way()
        {
            using var place = new TestStore(StoreKind.Blob);
            var first = place.Open();
            var second = place.Open();
            first.PendingWrites.Record(new[] { new PendingWrite { Kind = PendingWrite.Users, SourceId = "u1", At = DateTimeOffset.UtcNow, Values = { ["userName"] = "a@contoso.com" } } });
            second.PendingWrites.Reload();
            first.PendingWrites.Record(new[] { new PendingWrite { Kind = PendingWrite.Users, SourceId = "u2", At = DateTimeOffset.UtcNow, Values = { ["userName"] = "b@contoso.com" } } });
            var refused = Assert.Throws<DbxException>(() =>
                second.PendingWrites.Record(new[] { new PendingWrite { Kind = PendingWrite.Users, SourceId = "u3", At = DateTimeOffset.UtcNow, Values = { ["userName"] = "c@contoso.com" } } }));
            Assert.Equal("StateChangedElsewhere", refused.Condition);
            Assert.Equal(new[] { "u1", "u2" }, place.Open().PendingWrites.Reload().Select(w => w.SourceId).OrderBy(s => s));

            var a = place.Open(); var b = place.Open();
            var ca = a.LoadConfiguration(); var cb = b.LoadConfiguration();
            ca.Settings.DeletionThreshold = 17;
            a.SaveConfiguration(ca);
            cb.Settings.DeletionThreshold = 99;
            Assert.Equal("StateChangedElsewhere", Assert.Throws<DbxException>(() => b.SaveConfiguration(cb)).Condition);
            Assert.Equal(17, place.Open().LoadConfiguration().Settings.DeletionThreshold);
        }

        [Fact]
        public void A_secret_is_stored_in_a_container_only_under_the_admin_s_key_and_never_in_plain_text()
        {
            using var keyless = new TestStore(StoreKind.Blob);
            var refused = Assert.Throws<DbxException>(() => ProtectedSecretFile.Write(keyless.Storage(), "teamapi-credential.json", SecureStrings.FromText("refresh-token-value")));
            Assert.Equal("StateSecretNeedsProtectionKey", refused.Condition);
            Assert.Contains("-RefreshToken", refused.RecommendedAction);
            Assert.Empty(keyless.Items());

            using var keyed = new TestStore(StoreKind.Blob, protectionKey: SecureStrings.FromText("correct horse battery staple 42"));
            ProtectedSecretFile.Write(keyed.Storage(), "teamapi-credential.json", SecureStrings.FromText("refresh-token-value"));
            var stored = keyed.Raw("teamapi-credential.json");
            Assert.DoesNotContain("refresh-token-value", stored);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("refresh-token-value")), stored);
            Assert.Contains("aes256cbc-hmacsha256-adminkey", stored);
            Assert.Equal("refresh-token-value", SecureStrings.Reveal(ProtectedSecretFile.Read(keyed.Storage(), "teamapi-credential.json")));

            var wrongKey = BlobContainerStorage.Open(new BlobStateOptions
            {
                Uri = keyed.Uri, AccountKey = SecureStrings.FromText(Azurite.AccountKey), ProtectionKey = SecureStrings.FromText("another key of sixteen chars"),
            });
            Assert.Equal("StateProtectionKeyMismatch", Assert.Throws<DbxException>(() => ProtectedSecretFile.Read(wrongKey, "teamapi-credential.json")).Condition);
        }

        [Fact]
        public void An_endpoint_whose_certificate_this_machine_does_not_trust_is_unreachable_with_the_reason_after_the_SDK_s_retries()
        {
            // Azurite over https with a self-signed certificate that this process does not trust: the module validates it as any
            // certificate and refuses; after Azure.Core's tries the error says so in the module's words, not as an AggregateException.
            var azurite = Azurite.SharedOAuth;
            var storage = BlobContainerStorage.Open(new BlobStateOptions { Uri = azurite.NewContainer(), AccountKey = SecureStrings.FromText(Azurite.AccountKey), MaxRetries = 1 });
            var e = Assert.Throws<DbxException>(() => storage.EnsureCreated());
            Assert.Equal("StateStorageUnreachable", e.Condition);
            Assert.Equal(DbxErrorCategory.ConnectionError, e.Category);
            Assert.Contains("certificate", e.Message);
            Assert.Contains("TLS certificate", e.RecommendedAction);
            Assert.IsType<Azure.RequestFailedException>(e.InnerException);
        }

        [Theory]
        [InlineData("not a url", "InvalidStateStorageUri")]
        [InlineData("ftp://acct.blob.core.windows.net/state", "InvalidStateStorageUri")]
        [InlineData("http://acct.blob.core.windows.net/state", "InsecureUrl")]
        [InlineData("https://acct.blob.core.windows.net", "InvalidStateStorageUri")]
        [InlineData("https://acct.blob.core.windows.net/Bad_Name", "InvalidStateStorageUri")]
        [InlineData("https://acct.blob.core.windows.net/state?sv=2024&sig=secret", "InvalidStateStorageUri")]
        [InlineData("https://example.com/state", "InvalidStateStorageUri")]
        [InlineData("http://127.0.0.1:10000/devstoreaccount1", "InvalidStateStorageUri")]
        [InlineData("https://acct.blob.core.windows.net/state/../other", "InvalidStateStorageUri")]
        public void A_bad_storage_uri_is_refused_before_anything_is_sent(string uri, string condition)
        {
            var e = Assert.Throws<DbxException>(() => BlobStateLocation.Parse(uri));
            Assert.Equal(condition, e.Condition);
            Assert.DoesNotContain("sig=secret", e.Message);
        }

        [Fact]
        public void Both_uri_forms_are_taken_apart()
        {
            var cloud = BlobStateLocation.Parse("https://contosostate.blob.core.windows.net/dropbox-state/job1/tenant-a");
            Assert.Equal(("contosostate", "dropbox-state", "job1/tenant-a", false), (cloud.Account, cloud.Container, cloud.Prefix, cloud.PathStyle));
            Assert.Equal("https://contosostate.blob.core.windows.net/dropbox-state", cloud.ContainerUri.AbsoluteUri);
            var azurite = BlobStateLocation.Parse("http://127.0.0.1:10000/devstoreaccount1/dropbox-state");
            Assert.Equal(("devstoreaccount1", "dropbox-state", "", true), (azurite.Account, azurite.Container, azurite.Prefix, azurite.PathStyle));
            Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/dropbox-state", azurite.ContainerUri.AbsoluteUri);
        }

        [Fact]
        public void A_missing_container_is_named_and_never_created()
        {
            var uri = Azurite.Shared.BlobEndpoint + "/no-such-container";
            var storage = BlobContainerStorage.Open(new BlobStateOptions { Uri = uri, AccountKey = SecureStrings.FromText(Azurite.AccountKey) });
            var e = Assert.Throws<DbxException>(() => new StateStore(storage).SaveState(new ProvisioningState()));
            Assert.Equal("StateStorageContainerNotFound", e.Condition);
            Assert.Equal(DbxErrorCategory.ObjectNotFound, e.Category);
            Assert.Contains("Create the container", e.RecommendedAction);
            Assert.Equal("StateStorageContainerNotFound", Assert.Throws<DbxException>(() => new StateStore(storage).LoadState()).Condition);
            Assert.False(Azurite.Shared.Container(uri + "/x").Exists().Value);
        }

        [Fact]
        public void A_wrong_key_and_a_credential_without_write_permission_are_told_apart()
        {
            using var place = new TestStore(StoreKind.Blob);
            var wrong = BlobContainerStorage.Open(new BlobStateOptions { Uri = place.Uri, AccountKey = SecureStrings.FromText(Convert.ToBase64String(new byte[64])) });
            var e = Assert.Throws<DbxException>(() => new StateStore(wrong).LoadState());
            Assert.Equal("StateUnreadable", e.Condition);
            Assert.Equal(DbxErrorCategory.PermissionDenied, e.Category);
            Assert.Contains("-StateStorageAccountKey", e.RecommendedAction);
            Assert.DoesNotContain(Convert.ToBase64String(new byte[64]), e.Message);

            // A SAS that may only read: the write is refused as the missing role would be.
            var container = Azurite.Shared.Container(place.Uri);
            var sas = container.GenerateSasUri(Azure.Storage.Sas.BlobContainerSasPermissions.Read | Azure.Storage.Sas.BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1)).Query;
            var readOnly = BlobContainerStorage.Open(new BlobStateOptions { Uri = place.Uri, SasToken = SecureStrings.FromText(sas) });
            var store = new StateStore(readOnly);
            store.LoadState();
            var denied = Assert.Throws<DbxException>(() => store.SaveState(new ProvisioningState()));
            Assert.Equal("StateStorageAccessDenied", denied.Condition);
            Assert.Equal(DbxErrorCategory.PermissionDenied, denied.Category);
            Assert.Contains("Storage Blob Data Contributor", denied.RecommendedAction);
        }

        [Fact]
        public void One_credential_is_needed_and_a_managed_identity_token_is_never_sent_over_http()
        {
            var uri = Azurite.Shared.BlobEndpoint + "/state";
            Assert.Equal("MissingStateStorageCredential", Assert.Throws<DbxException>(() => BlobContainerStorage.Open(new BlobStateOptions { Uri = uri })).Condition);
            Assert.Equal("AmbiguousStateStorageCredential", Assert.Throws<DbxException>(() => BlobContainerStorage.Open(new BlobStateOptions
            {
                Uri = uri, AccountKey = SecureStrings.FromText(Azurite.AccountKey), SasToken = SecureStrings.FromText("sv=1"),
            })).Condition);
            Assert.Equal("StateStorageManagedIdentityNeedsHttps", Assert.Throws<DbxException>(() => BlobContainerStorage.Open(new BlobStateOptions { Uri = uri, ManagedIdentity = true })).Condition);
        }
    }
}
