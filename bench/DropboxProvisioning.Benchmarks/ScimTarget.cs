using System;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>Dropbox's SCIM 2.0 endpoint (/scim/v2), the only target the engine speaks today.</summary>
    public sealed class ScimTarget : IBenchTarget
    {
        public const string Prefix = "/scim/v2";

        public string Key => "scim";
        public string Name => "SCIM";

        public bool Owns(string path) =>
            path.Equals(Prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase);

        public bool IsWrite(string method, string path) => method != "GET" && method != "HEAD";

        /// <summary>Dropbox's SCIM ListResponse cap (count ≤ 1000), which the sandbox enforces too.</summary>
        public int MaxPageSize => 1000;

        public ObjectMapping UserMapping() => DefaultMappings.Users();

        public Task<ChildReport> RunEngineCycleAsync(Uri root, string statePath, CancellationToken cancellationToken) =>
            EngineRunner.RunAsync(root, new Uri(root, Prefix), statePath, cancellationToken);

        public Task<ChildReport> RunNaiveAsync(Uri root, CancellationToken cancellationToken) =>
            new NaiveScimScript(root).RunAsync(cancellationToken);
    }
}
