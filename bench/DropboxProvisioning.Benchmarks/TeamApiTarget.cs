using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Dropbox.OAuth;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>
    /// Dropbox API v2's team routes (/2/team/members/..., /2/team/groups/...), which the sandbox serves on the same
    /// loopback root as everything else (its DropboxApiEmulator answers /2/*, and /oauth2/token is its OAuth emulator).
    /// <list type="bullet">
    /// <item>Counted as the target: every /2/team/ route. Not counted: /2/team_log/* (the activity connector, which a
    /// provisioning cycle never calls) and /oauth2/token (one access token per cycle from the refresh token; it is not one of
    /// the Team API's calls and is shown apart, with Graph; the sandbox happens to meter it in the same bucket as /2/, so it
    /// costs one token of the rate limit, which the bound does not include).</item>
    /// <item>Writes: members/add_v2 (and add), set_profile_v2 (and set_profile), set_admin_permissions(_v2), suspend, unsuspend, remove, groups/create,
    /// groups/update, groups/delete, groups/members/add and groups/members/remove. Everything else reads: list_v2 and its
    /// continue, get_info_v2, groups/list, groups/get_info, groups/members/list, and the job polls
    /// (members/add/job_status/get_v2 and the other job_status routes), which the table also shows apart.</item>
    /// </list>
    /// The rate limit is the sandbox's Dropbox bucket (--rate): it meters /2/* as it meters /scim/v2, answering 429 with
    /// Retry-After and Stone's RateLimitError (reason too_many_requests).
    /// </summary>
    public sealed class TeamApiTarget : IBenchTarget
    {
        public const string Prefix = "/2/team/";

        /// <summary>The app key of the sandbox's team app, as Connect-DbxTenant -Sandbox -Api TeamApi uses it.</summary>
        public const string AppKey = "sbxte4mapi0app";

        /// <summary>members/add_v2's cap (team.stone: at most 20 new_members a call).</summary>
        public const int MaxMembersPerAdd = 20;

        /// <summary>
        /// The sandbox answers members/add_v2 at once ("complete") for up to this many members and with an async_job_id
        /// beyond (TeamApiEmulator.SynchronousAddLimit); the job is then read with members/add/job_status/get_v2.
        /// </summary>
        public const int SynchronousAddLimit = 10;

        private static readonly HashSet<string> WriteRoutes = new HashSet<string>(StringComparer.Ordinal)
        {
            "members/add_v2", "members/add", "members/set_profile_v2", "members/set_profile", "members/suspend", "members/unsuspend",
            "members/remove", "members/set_admin_permissions", "members/set_admin_permissions_v2", "groups/create", "groups/update", "groups/delete", "groups/members/add", "groups/members/remove",
        };

        public string Key => "teamapi";
        public string Name => "Team API";
        public DropboxApiKind Api => DropboxApiKind.TeamApi;

        public bool Owns(string path) => path.StartsWith(Prefix, StringComparison.Ordinal);

        public bool IsWrite(string method, string path) => Owns(path) && WriteRoutes.Contains(Route(path));

        public bool IsJobPoll(string path) => Owns(path) && Route(path).Contains("job_status");

        private static string Route(string path) => path.Substring(Prefix.Length).TrimEnd('/');

        /// <summary>members/list_v2's limit (1 to 1,000).</summary>
        public int MaxPageSize => 1000;

        /// <summary>The engine's default user mapping for the Team API (the SCIM one less displayName, which the Team API cannot set).</summary>
        public ObjectMapping UserMapping() => DefaultMappings.Users(DropboxApiKind.TeamApi);

        /// <summary>
        /// Creates: ceil(creates / 20) members/add_v2 calls. A call of more than <see cref="SynchronousAddLimit"/> members answers
        /// with a job, and its result needs at least one members/add/job_status/get_v2 (a read): one poll per such job is counted,
        /// as a client that waits long enough before polling would need (the sandbox answers the first poll of a job
        /// "in_progress" whatever the wait, so in the sandbox a job costs two polls). Synchronous calls of at most 10 members
        /// cost exactly the same, ceil(creates / 10), so the bound does not depend on which a client chooses.
        /// Adoptions: one set_profile_v2 each. Reads: the team listed in pages of 1,000.
        /// </summary>
        public NeededRequests InitialNeeded(int creates, int adoptions, int existing)
        {
            var calls = (creates + MaxMembersPerAdd - 1) / MaxMembersPerAdd;
            var rest = creates % MaxMembersPerAdd;
            var jobs = creates / MaxMembersPerAdd * (MaxMembersPerAdd > SynchronousAddLimit ? 1 : 0) + (rest > SynchronousAddLimit ? 1 : 0);
            var pages = Needed.ListPages(existing, MaxPageSize);
            return new NeededRequests
            {
                Writes = calls + adoptions,
                Changes = creates + adoptions,
                Reads = pages + jobs,
                JobPolls = jobs,
                Basis = $"{creates} new users in {calls} members/add_v2 call(s) of up to {MaxMembersPerAdd}, {jobs} of them answered with a job (1 poll each); " +
                        $"{adoptions} adoption(s), 1 set_profile_v2 each; {existing} pre-existing accounts listed in {pages} page(s) of {MaxPageSize}",
            };
        }

        public NeededRequests IncrementalNeeded(int changedUsers) => new NeededRequests
        {
            Writes = changedUsers, Reads = 0, Changes = changedUsers, Basis = $"{changedUsers} changed users, 1 set_profile_v2 each; nothing to read (delta + state)",
        };

        /// <summary>
        /// The admin authorizes the team app (PKCE, offline access, the provisioning scopes) on the sandbox's OAuth emulator and
        /// the code is exchanged in process, as Connect-DbxTenant -Sandbox does; the refresh token is stored in the state directory
        /// exactly where Connect-DbxTenant -Api TeamApi keeps it for later runbook jobs (owner-only file; DPAPI on Windows).
        /// The child processes read it from there; it is never printed nor put on a command line.
        /// </summary>
        public async Task PrepareAsync(SandboxTenant tenant, string statePath, CancellationToken cancellationToken)
        {
            var pkce = PkcePair.Create();
            var code = tenant.DropboxApi.ApproveAuthorization(AppKey, pkce.Challenge, DropboxAuthorizationServer.ProvisioningScopes);
            using var http = new System.Net.Http.HttpClient(tenant.CreateHandler());
            var grant = await DropboxOAuth.ExchangeCodeAsync(http, DropboxOAuth.DefaultApiRoot, AppKey, code, pkce.Verifier, cancellationToken).ConfigureAwait(false);
            System.IO.Directory.CreateDirectory(statePath);
            ProtectedSecretFile.Write(CredentialPath(statePath), grant.RefreshToken);
        }

        public static string CredentialPath(string statePath) => Path.Combine(statePath, ConnectionFactory.TeamApiCredentialFile);

        /// <summary>As a runbook job connects after the first time: the app key, and the refresh token stored in the state directory.</summary>
        public Task<ChildReport> RunEngineCycleAsync(Uri root, string statePath, CancellationToken cancellationToken)
        {
            var options = EngineRunner.SandboxGraph(root, statePath);
            options.Api = DropboxApiKind.TeamApi;
            options.AppKey = AppKey;
            options.ApiRoot = root;
            return EngineRunner.RunAsync(options, cancellationToken);
        }

        public Task<ChildReport> RunNaiveAsync(Uri root, string statePath, CancellationToken cancellationToken)
        {
            var refreshToken = ProtectedSecretFile.Read(CredentialPath(statePath))
                ?? throw new InvalidOperationException("No Team API refresh token in the state directory.");
            return new NaiveTeamApiScript(root, AppKey, refreshToken).RunAsync(cancellationToken);
        }
    }
}
