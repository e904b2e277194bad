using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Faults;
using DropboxProvisioning.Sandbox.Graph;
using DropboxProvisioning.Sandbox.Http;
using DropboxProvisioning.Sandbox.Scim;
using DropboxProvisioning.Sandbox.TeamLog;

namespace DropboxProvisioning.Sandbox
{
    /// <summary>
    /// A whole rehearsal world: an Entra tenant (served as Microsoft Graph) and a Dropbox team (served as SCIM 2.0),
    /// answering HTTP requests exactly as the real services do. The same instance serves in-process through
    /// <see cref="CreateHandler"/> and over a loopback socket through test code.
    /// </summary>
    public sealed class SandboxTenant
    {
        private readonly List<IServiceEmulator> _emulators = new List<IServiceEmulator>();
        private readonly RateLimiter _graphLimiter;
        private readonly RateLimiter _dropboxLimiter;

        public SandboxTenant(DirectoryModel directory, DropboxTeam dropbox, SandboxOptions options = null)
        {
            Directory = directory ?? throw new ArgumentNullException(nameof(directory));
            Dropbox = dropbox ?? throw new ArgumentNullException(nameof(dropbox));
            Options = options ?? new SandboxOptions();
            _graphLimiter = new RateLimiter(Options.GraphRequestsPerSecond);
            _dropboxLimiter = new RateLimiter(Options.DropboxRequestsPerSecond);
            _emulators.Add(new Serving.SandboxEndpoints(this));
            _emulators.Add(new TokenEmulator(this));
            _emulators.Add(new GraphEmulator(this));
            _emulators.Add(new ScimEmulator(this));
            DropboxApi = new DropboxAuthorizationServer("dbtid:AA" + TeamLogGenerator.StableHash(dropbox.TeamName).ToString("x8") + "sandboxteam");
            _teamLog = new Lazy<TeamLogModel>(() => TeamLogGenerator.CreateLog(Dropbox, Directory), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            var dropboxApi = new DropboxApiEmulator(DropboxApi);
            new TeamLogEmulator(() => TeamLog).RegisterRoutes(dropboxApi);
            new TeamApi.TeamApiEmulator(() => Dropbox, () => Options.AddJobDuration).RegisterRoutes(dropboxApi);
            _emulators.Add(dropboxApi);
            _emulators.Add(new DropboxOAuthEmulator(DropboxApi));
        }

        private readonly Lazy<TeamLogModel> _teamLog;

        /// <summary>Dropbox's OAuth 2 authorization server for the team (codes with PKCE, access and refresh tokens, scopes).</summary>
        public DropboxAuthorizationServer DropboxApi { get; }

        /// <summary>The team's activity log (team_log/get_events), generated on first use: 95 days of history up to that moment.</summary>
        public TeamLogModel TeamLog => _teamLog.Value;

        /// <summary>The Entra ID side.</summary>
        public DirectoryModel Directory { get; }

        /// <summary>The Dropbox side: one team, whichever API looks at it.</summary>
        public DropboxTeam Dropbox { get; }

        public SandboxOptions Options { get; }

        public RequestJournal Journal { get; } = new RequestJournal();

        /// <summary>Changes the request-rate limits at run time (tests and benchmarks tune them).</summary>
        public void SetRateLimits(double graphPerSecond, double dropboxPerSecond)
        {
            Options.GraphRequestsPerSecond = graphPerSecond;
            Options.DropboxRequestsPerSecond = dropboxPerSecond;
            _graphLimiter.RequestsPerSecond = graphPerSecond;
            _dropboxLimiter.RequestsPerSecond = dropboxPerSecond;
        }

        /// <summary>An in-process handler: point an HttpClient at any host and it talks to this sandbox.</summary>
        public HttpMessageHandler CreateHandler() => new SandboxHandler(this);

        /// <summary>Answers one request, as whichever service its path belongs to.</summary>
        public async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri.AbsolutePath;
            IServiceEmulator emulator = null;
            foreach (var candidate in _emulators)
            {
                if (candidate.CanHandle(path)) { emulator = candidate; break; }
            }
            if (!Serves(emulator, path)) emulator = null;

            var dropbox = emulator != null && emulator.Service != "graph" && emulator.Service != "login" && emulator.Service != "sandbox";
            var others = dropbox ? Interlocked.Increment(ref _dropboxInFlight) - 1 : 0;
            if (dropbox)
            {
                int peak;
                while ((peak = Volatile.Read(ref _dropboxInFlightPeak)) < others + 1 && Interlocked.CompareExchange(ref _dropboxInFlightPeak, others + 1, peak) != peak) { }
            }
            try
            {
                var delay = Options.Latency + TimeSpan.FromTicks(Options.CongestionLatency.Ticks * others);
                if (delay > TimeSpan.Zero)
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                return await AnswerOrFaultAsync(emulator, request, path, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (dropbox) Interlocked.Decrement(ref _dropboxInFlight);
            }
        }

        private int _dropboxInFlight;
        private int _dropboxInFlightPeak;

        // A served sandbox started for one Dropbox API answers the other's paths as nothing there (SandboxOptions.ServesScim).
        private bool Serves(IServiceEmulator emulator, string path)
        {
            if (emulator == null) return true;
            if (emulator.Service == "scim") return Options.ServesScim;
            if (emulator.Service == "dropbox-api" && path.StartsWith("/2/team/", StringComparison.Ordinal)) return Options.ServesTeamApi;
            return true;
        }

        /// <summary>The most Dropbox requests that were in the sandbox at once (since <see cref="ResetDropboxInFlightPeak"/>).</summary>
        public int DropboxInFlightPeak => Volatile.Read(ref _dropboxInFlightPeak);

        public void ResetDropboxInFlightPeak() => Volatile.Write(ref _dropboxInFlightPeak, 0);

        private async Task<HttpResponseMessage> AnswerOrFaultAsync(IServiceEmulator emulator, HttpRequestMessage request, string path, CancellationToken cancellationToken)
        {
            HttpResponseMessage response;
            if (emulator == null)
            {
                response = EmulatorResponse.Empty(System.Net.HttpStatusCode.NotFound);
                Journal.Record(new JournalEntry("none", request.Method.Method, path, 404, request.RequestUri.Authority));
                return response;
            }

            var faults = Options.Faults;
            try
            {
                response = faults == null
                    ? await AnswerAsync(emulator, request, cancellationToken).ConfigureAwait(false)
                    : await faults.ApplyAsync(emulator, request, c => AnswerAsync(emulator, request, c), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (faults != null)
            {
                // A fault that never answered (a slow answer the client gave up on): the journal still sees the request.
                Journal.Record(new JournalEntry(emulator.Service, request.Method.Method, path, 0, request.RequestUri.Authority));
                throw;
            }

            Journal.Record(new JournalEntry(emulator.Service, request.Method.Method, path, response.Content is DroppedResponseContent ? 0 : (int)response.StatusCode, request.RequestUri.Authority));
            response.RequestMessage = request;
            return response;
        }

        /// <summary>The faults injected into this sandbox's answers (the same as <see cref="SandboxOptions.Faults"/>); null for none.</summary>
        public FaultPlan Faults
        {
            get => Options.Faults;
            set => Options.Faults = value;
        }

        private async Task<HttpResponseMessage> AnswerAsync(IServiceEmulator emulator, HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var limiter = emulator.Service == "graph" ? _graphLimiter
                : emulator.Service == "login" || emulator.Service == "sandbox" ? null
                : _dropboxLimiter;
            var retryAfter = limiter?.TryAcquire();
            if (retryAfter != null)
                return EmulatorResponse.TooManyRequests(retryAfter.Value, emulator.RateLimitedBody(retryAfter.Value));
            return await emulator.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Puts the sandbox at the end of an HttpClient pipeline, without a socket.</summary>
    internal sealed class SandboxHandler : HttpMessageHandler
    {
        private readonly SandboxTenant _tenant;
        public SandboxHandler(SandboxTenant tenant) { _tenant = tenant; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => _tenant.HandleAsync(request, cancellationToken);
    }
}
