using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Sandbox;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>
    /// One Dropbox API the engine provisions through: SCIM 2.0 (<see cref="ScimTarget"/>) and the Team API v2
    /// (<see cref="TeamApiTarget"/>, /2/team/members/... and /2/team/groups/...). Every scenario, the naive script and
    /// the bound run against each target registered in <see cref="BenchTargets.All"/>; the target says which sandbox
    /// requests are its own, which of them write, what a cycle strictly needs, and how its engine cycle and its naive
    /// script connect.
    /// </summary>
    public interface IBenchTarget
    {
        /// <summary>Short key used on the command line and in child processes: "scim", "teamapi".</summary>
        string Key { get; }

        /// <summary>As shown in the table: "SCIM", "Team API".</summary>
        string Name { get; }

        /// <summary>The engine's name for this API (its mapping schema, its connection).</summary>
        DropboxProvisioning.Dropbox.DropboxApiKind Api { get; }

        /// <summary>True when the sandbox path belongs to this target (the requests that count against its rate limit).</summary>
        bool Owns(string path);

        /// <summary>True when the request changes the target (POST/PATCH/PUT/DELETE, or a Team API route that writes).</summary>
        bool IsWrite(string method, string path);

        /// <summary>True when the request polls an asynchronous job (a read, shown apart in the table).</summary>
        bool IsJobPoll(string path);

        /// <summary>The largest page the target lists users in: a full listing needs ceil(members / this) reads.</summary>
        int MaxPageSize { get; }

        /// <summary>The engine's default user mapping for this target: the cycles run with it, and the mapping scenario evaluates it.</summary>
        ObjectMapping UserMapping();

        /// <summary>
        /// The requests an initial cycle strictly needs: <paramref name="creates"/> accounts to make, <paramref name="adoptions"/>
        /// pre-existing accounts of eligible users to bring in line (one write each), <paramref name="existing"/> accounts to list.
        /// </summary>
        NeededRequests InitialNeeded(int creates, int adoptions, int existing);

        /// <summary>The requests an incremental cycle strictly needs after <paramref name="changedUsers"/> users were renamed.</summary>
        NeededRequests IncrementalNeeded(int changedUsers);

        /// <summary>
        /// Parent process, before the first cycle of a tenant: whatever the target's credentials need in the state
        /// directory (the Team API's refresh token, as Connect-DbxTenant keeps it for later jobs). Never printed.
        /// </summary>
        Task PrepareAsync(SandboxTenant tenant, string statePath, CancellationToken cancellationToken);

        /// <summary>Child process: connect, plan and execute one engine cycle against the loopback sandbox.</summary>
        Task<ChildReport> RunEngineCycleAsync(Uri root, string statePath, CancellationToken cancellationToken);

        /// <summary>Child process: the naive admin script (per user: find by filter, then create or update, one request at a time).</summary>
        Task<ChildReport> RunNaiveAsync(Uri root, string statePath, CancellationToken cancellationToken);
    }

    public static class BenchTargets
    {
        public static readonly IReadOnlyList<IBenchTarget> All = new IBenchTarget[] { new ScimTarget(), new TeamApiTarget() };

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
