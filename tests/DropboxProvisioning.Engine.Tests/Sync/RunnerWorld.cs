using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Dropbox.OAuth;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>
    /// A small sandbox team behind an engine connection in this process (no socket), over SCIM or the Team API, so the
    /// runners write through the real target clients; changes are made by hand, as a planner would make them.
    /// </summary>
    internal sealed class RunnerWorld : IDisposable
    {
        private const string AppKey = "sbxte4mapi0app";

        private RunnerWorld(SandboxTenant tenant, DbxConnection connection, FixedClock clock)
        {
            Tenant = tenant; Connection = connection; Clock = clock;
            Mapping = new CompiledMapping(DefaultMappings.Users(connection.Api), connection.Api);
        }

        public SandboxTenant Tenant { get; }
        public DbxConnection Connection { get; }
        public IDropboxTarget Target => Connection.Target;
        public CompiledMapping Mapping { get; }
        public ProvisioningState State { get; } = new ProvisioningState();
        /// <summary>The connection's clock: cycles, tokens, pacing and stamps all go by it.</summary>
        public FixedClock Clock { get; }

        public static async Task<RunnerWorld> CreateAsync(DropboxApiKind api)
        {
            var clock = new FixedClock(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = 5, Seed = 3, PreexistingDropboxMembers = 0 });
            var options = new ConnectionOptions
            {
                Api = api,
                TenantUrl = new Uri("https://www.dropbox.com/scim/v2"),
                SecretToken = SecureStrings.FromText(tenant.Dropbox.ScimToken),
                TenantId = SandboxCredentials.TenantId,
                ClientId = SandboxCredentials.ClientId,
                ClientSecret = SecureStrings.FromText(SandboxCredentials.ClientSecret),
                ServicePrincipalId = SandboxCredentials.ServicePrincipalId,
                Authentication = GraphAuthentication.Sandbox,
                StatePath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dbx-runner-" + Guid.NewGuid().ToString("N").Substring(0, 12)),
                Timeout = TimeSpan.FromSeconds(30),
                Clock = clock,
            };
            if (api == DropboxApiKind.TeamApi)
            {
                var pkce = PkcePair.Create();
                var code = tenant.DropboxApi.ApproveAuthorization(AppKey, pkce.Challenge, DropboxAuthorizationServer.ProvisioningScopes);
                using (var http = new HttpClient(tenant.CreateHandler()))
                {
                    var grant = await DropboxOAuth.ExchangeCodeAsync(http, DropboxOAuth.DefaultApiRoot, AppKey, code, pkce.Verifier, CancellationToken.None);
                    options.AppKey = AppKey;
                    options.RefreshToken = grant.RefreshToken;
                }
            }
            var connection = await ConnectionFactory.ConnectAsync(options, tenant.CreateHandler, CancellationToken.None);
            return new RunnerWorld(tenant, connection, clock);
        }

        /// <summary>An Entra user the way the reader gives one, in scope.</summary>
        public SourceObject User(string name)
        {
            var user = new SourceObject(SourceObjectKind.User, "u-" + name);
            user.Set("userPrincipalName", name + "@contoso.com");
            user.Set("displayName", name + " Runner");
            user.Set("givenName", name);
            user.Set("surname", "Runner");
            user.Set("mail", name + "@contoso.com");
            user.Set("mailNickname", name);
            user.Set("accountEnabled", true);
            user.Set(GraphAttributeNames.IsSoftDeleted, false);
            return user;
        }

        public ProvisioningChange Create(SourceObject user)
        {
            var values = Mapping.Evaluate(user, forCreate: true);
            return new ProvisioningChange
            {
                Planned = ChangeAction.Create, SourceId = user.Id, SourceIdentity = user.DisplayIdentity, TargetIdentity = (string)user.Get("userPrincipalName"),
                Values = values, Desired = values, ModifiedFromValues = true, Reason = "assigned in Entra ID and not in Dropbox",
            };
        }

        /// <summary>A managed account's suspension, as the planner plans one.</summary>
        public async Task<ProvisioningChange> DisableAsync(SourceObject user, string email)
        {
            var existing = await Target.FindAsync("Users", "userName", email, CancellationToken.None);
            State.Users[user.Id] = new ManagedObject { SourceId = user.Id, TargetId = (string)existing["id"], TargetIdentity = email, MatchedBy = "Created" };
            return new ProvisioningChange
            {
                Planned = ChangeAction.Disable, SourceId = user.Id, SourceIdentity = user.DisplayIdentity, TargetId = (string)existing["id"], TargetIdentity = email,
                Existing = existing, Reason = "no longer assigned to Dropbox in Entra ID",
                ModifiedProperties = { new ModifiedProperty("active", "True", "False") },
            };
        }

        public async Task<RunResult> RunAsync(params ProvisioningChange[] changes) =>
            await new PlanRunner(Target, Connection.Store, NullCycleObserver.Instance, Clock)
                .RunAsync("cycle-" + Guid.NewGuid().ToString("N"), Clock.UtcNow, State, new ProvisioningSettings(), changes, new ChangeOutcome[0], CancellationToken.None);

        public void Dispose()
        {
            Connection.Dispose();
            try { System.IO.Directory.Delete(Connection.StatePath, recursive: true); } catch (System.IO.IOException) { }
        }
    }

    /// <summary>A clock that says what the test tells it.</summary>
    internal sealed class FixedClock : Time.IClock
    {
        public FixedClock(DateTimeOffset now) { UtcNow = now; }
        public DateTimeOffset UtcNow { get; set; }
    }
}
