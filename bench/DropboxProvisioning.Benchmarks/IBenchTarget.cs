using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>
    /// One Dropbox API the engine provisions through. Only SCIM exists today; the Team API (Dropbox API v2,
    /// /2/team/members/...) plugs in as a second implementation: register it in <see cref="BenchTargets.All"/>
    /// and every scenario, the naive script and the bound run against it too.
    /// </summary>
    public interface IBenchTarget
    {
        /// <summary>Short key used on the command line and in child processes: "scim".</summary>
        string Key { get; }

        /// <summary>As shown in the table: "SCIM".</summary>
        string Name { get; }

        /// <summary>True when the sandbox path belongs to this target (the requests that count against its rate limit).</summary>
        bool Owns(string path);

        /// <summary>True when the request changes the target (POST/PATCH/PUT/DELETE, or a Team API route that writes).</summary>
        bool IsWrite(string method, string path);

        /// <summary>The largest page the target lists users in: a full listing needs ceil(members / this) reads.</summary>
        int MaxPageSize { get; }

        /// <summary>The user mapping the engine uses for this target (evaluated in the mapping scenario).</summary>
        ObjectMapping UserMapping();

        /// <summary>Child process: connect, plan and execute one engine cycle against the loopback sandbox.</summary>
        Task<ChildReport> RunEngineCycleAsync(Uri root, string statePath, CancellationToken cancellationToken);

        /// <summary>Child process: the naive admin script (per user: find by filter, then create or update, one request at a time).</summary>
        Task<ChildReport> RunNaiveAsync(Uri root, CancellationToken cancellationToken);
    }

    public static class BenchTargets
    {
        public static readonly IReadOnlyList<IBenchTarget> All = new IBenchTarget[] { new ScimTarget() };

        public static IBenchTarget Get(string key) =>
            All.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown target '{key}': one of {string.Join(", ", All.Select(t => t.Key))}.");
    }

    /// <summary>What a child process measured, sent back to the parent as one JSON line.</summary>
    public sealed class ChildReport
    {
        public double WallSeconds { get; set; }
        public long AllocatedBytes { get; set; }
        /// <summary>The child's peak resident set (VmHWM), from its start: runtime, engine, nothing of the sandbox.</summary>
        public long PeakWorkingSet { get; set; }
        public string Outcome { get; set; }
        public int Created { get; set; }
        public int Updated { get; set; }
        public int Adopted { get; set; }
        public int Suspended { get; set; }
        public int Failed { get; set; }
        public int Skipped { get; set; }
        /// <summary>Changes the engine planned that write (create, update, disable, delete).</summary>
        public int PlannedWrites { get; set; }
        /// <summary>Mapping scenario: objects mapped and scoped per second on one thread.</summary>
        public double ObjectsPerSecond { get; set; }
        public long Objects { get; set; }
        public string Error { get; set; }
    }
}
