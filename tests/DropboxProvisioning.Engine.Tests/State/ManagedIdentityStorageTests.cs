using System;
using System.Linq;
using System.Net;
using Azure.Core;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;
using DropboxProvisioning.State.Storage;
using DropboxProvisioning.TestSupport;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.State
{
    /// <summary>
    /// -StateStorageUri with -ManagedIdentity. Azurite takes tokens only over https, and the Azure SDK sends a bearer token only
    /// over https; the whole path runs in RunbookRehearsalTests (Azurite over https with --oauth basic, jobs in fresh processes
    /// that trust its certificate). What is proven here, in process: the Azure SDK's pipeline asks the Automation account's
    /// endpoint (an emulated IDENTITY_ENDPOINT, with IDENTITY_HEADER) for a token for https://storage.azure.com before its first
    /// storage request, and sends that request to the container's https address.
    /// </summary>
    [Collection(ProcessEnvironment.Name)]
    public sealed class ManagedIdentityStorageTests
    {
        [Fact]
        public void The_SDK_asks_the_Automation_identity_endpoint_for_a_Storage_token()
        {
            using var identity = new ScriptedServer((request, response) =>
            {
                response.ContentType = "application/json";
                return "{\"access_token\":\"storage-token\",\"expires_on\":\"" + DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() + "\",\"resource\":\"https://storage.azure.com\",\"token_type\":\"Bearer\"}";
            });
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", identity.BaseUri + "msi/token");
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", "automation-header");
            try
            {
                var credential = new ManagedIdentityStorageCredential();
                var token = credential.GetToken(new TokenRequestContext(new[] { "https://storage.azure.com/.default" }), default);
                Assert.Equal("storage-token", token.Token);
                Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(50));
                var asked = Assert.Single(identity.Received);
                Assert.Contains("resource=" + Uri.EscapeDataString("https://storage.azure.com"), asked.Path);
                Assert.Contains("api-version=2019-08-01", asked.Path);

                // Through the SDK: nothing listens on that https port, so the request fails, but only after the token was asked for.
                var storage = BlobContainerStorage.Open(new BlobStateOptions { Uri = "https://127.0.0.1:9/devstoreaccount1/state", ManagedIdentity = true, MaxRetries = 0 });
                var e = Assert.Throws<DbxException>(() => new StateStore(storage).LoadState());
                Assert.Equal("StateUnreadable", e.Condition);
                Assert.Equal(DbxErrorCategory.ConnectionError, e.Category);
                Assert.Equal(2, identity.Received.Count);
                Assert.Contains("resource=" + Uri.EscapeDataString("https://storage.azure.com"), identity.Received.Last().Path);
            }
            finally
            {
                Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", null);
                Environment.SetEnvironmentVariable("IDENTITY_HEADER", null);
            }
        }
    }

    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessEnvironment
    {
        public const string Name = "Process environment";
    }
}
