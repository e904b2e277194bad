using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Dropbox.OAuth;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Generation;
using DropboxProvisioning.Sandbox.Http;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>
    /// A generated sandbox tenant (Entra ID and a Dropbox team, over SCIM or the Team API) behind an engine connection in
    /// this process, with the real readers, and a clock that moves one second with every request the sandbox answers: a
    /// deadline is then "so many requests from now", the same on every run.
    /// </summary>
    internal sealed class DeadlineWorld : IDisposable
    {
        private const string AppKey = "sbxte4mapi0app";

        private DeadlineWorld(SandboxTenant tenant, DbxConnection connection, DropboxApiKind api)
        {
            Tenant = tenant; Connection = connection; Api = api;
            Clock = new RequestClock(tenant.Journal);
        }

        public SandboxTenant Tenant { get; }
        public DbxConnection Connection { get; }
        public DropboxApiKind Api { get; }
        public RequestClock Clock { get; }
        public StateStore Store => Connection.Store;

        public static async Task<DeadlineWorld> CreateAsync(DropboxApiKind api, int users, int seed, Action<SandboxTenant> prepare = null)
        {
            var tenant = TenantGenerator.Generate(new TenantProfile { Users = users, Seed = seed });
            prepare?.Invoke(tenant);
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
                StatePath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dbx-deadline-" + Guid.NewGuid().ToString("N").Substring(0, 12)),
                Timeout = TimeSpan.FromSeconds(60),
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
            var world = new DeadlineWorld(tenant, connection, api);
            world.Configure(s => s.MaxRequestsPerSecond = 10000); // the sandbox in this process: no pacing to wait for
            return world;
        }

        public void Configure(Action<ProvisioningSettings> change)
        {
            var configuration = Store.LoadConfiguration();
            change(configuration.Settings);
            Store.SaveConfiguration(configuration);
        }

        public ProvisioningCycle Cycle() => new ProvisioningCycle(Connection, null, Clock, null, null);

        /// <summary>One cycle, every change approved; <paramref name="deadlineIn"/> requests after planning, it stops writing.</summary>
        public async Task<CycleResult> RunAsync(int? deadlineIn = null, TimeSpan? maxDuration = null)
        {
            var cycle = Cycle();
            var plan = await cycle.PlanAsync(CancellationToken.None, maxDuration: maxDuration);
            if (deadlineIn != null) plan.Deadline = Clock.UtcNow + TimeSpan.FromSeconds(deadlineIn.Value);
            return await cycle.ExecuteAsync(plan, plan.Changes.ToList(), CancellationToken.None);
        }

        public ProvisioningState State => Store.LoadState();

        /// <summary>A request to Dropbox over the target's API (SCIM /Users and /Groups, or /2/team/*).</summary>
        public bool IsDropboxRequest(JournalEntry e) => Api == DropboxApiKind.Scim ? e.Service == "scim" : e.Service == "dropbox-api" && e.Path.StartsWith("/2/team/", StringComparison.Ordinal);

        public int DropboxRequests => Tenant.Journal.Entries().Count(IsDropboxRequest);

        public int DropboxWrites => Tenant.Journal.Entries().Count(e => IsDropboxRequest(e) && e.IsWrite);

        /// <summary>SCIM POST /Users, or members/add_v2 calls.</summary>
        public int UserCreateCalls => Tenant.Journal.Entries().Count(e => Api == DropboxApiKind.Scim
            ? e.Service == "scim" && e.Method == "POST" && e.Path.EndsWith("/Users", StringComparison.Ordinal)
            : e.Service == "dropbox-api" && e.Path == "/2/team/members/add_v2");

        /// <summary>Members whose e-mail another member of the team also has: accounts made twice.</summary>
        public int DuplicateMembers => Tenant.Dropbox.Members.Count - Tenant.Dropbox.Members.Select(m => m.Email.ToLowerInvariant()).Distinct().Count();

        /// <summary>Users assigned directly (in no assigned group), enabled and with a surname: provisioned, and unassigned by one call.</summary>
        public System.Collections.Generic.List<Sandbox.Directory.DirectoryUser> DirectUsers() =>
            Tenant.Directory.Assignments.Where(a => a.PrincipalType == "User" && a.AppRoleId == SandboxCredentials.UserAppRoleId)
                .Select(a => Tenant.Directory.GetUser(a.PrincipalId))
                .Where(u => u != null && u.AccountEnabled && !string.IsNullOrEmpty(u.Surname)
                    && !Tenant.Directory.Assignments.Any(g => g.PrincipalType == "Group" && Tenant.Directory.GetGroup(g.PrincipalId).MemberIds.Contains(u.Id)))
                .ToList();

        public void Dispose()
        {
            Connection.Dispose();
            try { System.IO.Directory.Delete(Connection.StatePath, recursive: true); } catch (System.IO.IOException) { }
        }
    }

    /// <summary>Time that moves one second with every request the sandbox answered.</summary>
    internal sealed class RequestClock : Time.IClock
    {
        private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        private readonly RequestJournal _journal;
        public RequestClock(RequestJournal journal) { _journal = journal; }
        public DateTimeOffset UtcNow => Start + TimeSpan.FromSeconds(_journal.Total);
    }
}
