using System;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Security;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>Dropbox's SCIM 2.0 endpoint (/scim/v2): one POST per new user, one PATCH per change.</summary>
    public sealed class ScimTarget : IBenchTarget
    {
        public const string Prefix = "/scim/v2";

        public string Key => "scim";
        public string Name => "SCIM";
        public Dropbox.DropboxApiKind Api => Dropbox.DropboxApiKind.Scim;

        public bool Owns(string path) =>
            path.Equals(Prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase);

        public bool IsWrite(string method, string path) => method != "GET" && method != "HEAD";

        /// <summary>SCIM has no asynchronous jobs.</summary>
        public bool IsJobPoll(string path) => false;

        /// <summary>Dropbox's SCIM ListResponse cap (count ≤ 1000), which the sandbox enforces too.</summary>
        public int MaxPageSize => 1000;

        public ObjectMapping UserMapping() => DefaultMappings.Users(Dropbox.DropboxApiKind.Scim);

        public NeededRequests InitialNeeded(int creates, int adoptions, int existing) => new NeededRequests
        {
            Writes = creates + adoptions,
            Changes = creates + adoptions,
            Reads = Needed.ListPages(existing, MaxPageSize),
            Basis = $"{creates + adoptions} eligible users, 1 write each (POST, or PATCH for {adoptions} adoption(s)); {existing} pre-existing accounts listed in pages of {MaxPageSize}",
        };

        public NeededRequests IncrementalNeeded(int changedUsers) => new NeededRequests
        {
            Writes = changedUsers, Reads = 0, Changes = changedUsers, Basis = $"{changedUsers} changed users, 1 PATCH each; nothing to read (delta + state)",
        };

        /// <summary>The SCIM secret token is the sandbox's fixed one: nothing to prepare.</summary>
        public Task PrepareAsync(SandboxTenant tenant, string statePath, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ChildReport> RunEngineCycleAsync(Uri root, string statePath, CancellationToken cancellationToken)
        {
            var options = EngineRunner.SandboxGraph(root, statePath);
            options.TenantUrl = new Uri(root, Prefix);
            options.SecretToken = SecureStrings.FromText(SandboxCredentials.ScimToken);
            return EngineRunner.RunAsync(options, cancellationToken);
        }

        public Task<ChildReport> RunNaiveAsync(Uri root, string statePath, CancellationToken cancellationToken) =>
            new NaiveScimScript(root).RunAsync(cancellationToken);
    }
}
