using System;
using System.IO;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox.Api;
using DropboxProvisioning.Dropbox.OAuth;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Http;
using DropboxProvisioning.Security;
using DropboxProvisioning.State;
using DropboxProvisioning.State.Storage;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Activity
{
    /// <summary>How to connect to a team's activity log.</summary>
    public sealed class ActivityConnectionOptions
    {
        /// <summary>The Dropbox app's key (client_id), a scoped team app with events.read.</summary>
        public string AppKey { get; set; }
        /// <summary>A refresh token obtained elsewhere (runbooks keep it in an Automation credential).</summary>
        public SecureString RefreshToken { get; set; }
        /// <summary>The code Dropbox showed after Allow, with the verifier of the link's PKCE challenge.</summary>
        public string AuthorizationCode { get; set; }
        public string CodeVerifier { get; set; }
        /// <summary>https://api.dropboxapi.com (or a loopback sandbox).</summary>
        public Uri ApiEndpoint { get; set; } = DropboxOAuth.DefaultApiRoot;
        public string StatePath { get; set; }
        /// <summary>The state in a blob container (-StateStorageUri); null for the local directory <see cref="StatePath"/>.</summary>
        public IStateStorage Storage { get; set; }
        /// <summary>Keep the refresh token (protected) in the state directory so a later session can connect with the app key alone.</summary>
        public bool StoreCredential { get; set; } = true;
        /// <summary>Days before the first connection that the first read goes back (Defender: 60).</summary>
        public int InitialWindowDays { get; set; } = 60;
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
        /// <summary>The clock the connection goes by (tokens' expiry, Retry-After dates, the cursor's stamps); null for the machine's.</summary>
        public Time.IClock Clock { get; set; }
    }

    /// <summary>A pending "Generate link" authorization: the link to open and where its PKCE verifier waits for the code.</summary>
    public sealed class ActivityAuthorizationRequest
    {
        public string AppKey { get; set; }
        public Uri AuthorizationUrl { get; set; }
        public string StatePath { get; set; }
        public DateTimeOffset Created { get; set; }
        internal string CodeChallenge { get; set; }
        public override string ToString() => AuthorizationUrl.ToString();
    }

    /// <summary>Result of Test-DbxConnection (the connector's Test API).</summary>
    public sealed class ActivityConnectionTest
    {
        public bool Success { get; set; }
        public string Message { get; set; }
        public string AppKey { get; set; }
        public string TeamId { get; set; }
        public TimeSpan Elapsed { get; set; }
        public string ErrorId { get; set; }
    }

    /// <summary>A tested connection to a Dropbox team's activity log, with its state directory (cursor, protected credential).</summary>
    public sealed class ActivityConnection : IDisposable
    {
        private readonly HttpClient _http;

        internal ActivityConnection(ActivityConnectionOptions options, DropboxApiClient api, IAccessTokenSource tokens, ActivityStateStore store, ActivityState state, HttpClient http)
        {
            AppKey = options.AppKey;
            ApiEndpoint = options.ApiEndpoint;
            Api = api; Tokens = tokens; Store = store; _http = http;
            TeamId = state.TeamId;
            FirstConnectedAt = state.FirstConnectedAt;
            Clock = options.Clock ?? Time.SystemClock.Instance;
            ConnectedAt = Clock.UtcNow;
            InitialWindowStart = state.FirstConnectedAt.AddDays(-options.InitialWindowDays);
            api.RateLimited = wait =>
            {
                Action<TimeSpan>[] listeners;
                lock (_rateLimitListeners) listeners = _rateLimitListeners.ToArray();
                foreach (var listener in listeners) listener(wait);
            };
        }

        private readonly System.Collections.Generic.List<Action<TimeSpan>> _rateLimitListeners = new System.Collections.Generic.List<Action<TimeSpan>>();

        /// <summary>
        /// Tells <paramref name="listener"/> of every 429 wait until the result is disposed. A connection can be shared
        /// (runspaces, scripts): each read adds its own listener instead of replacing the client's callback.
        /// </summary>
        public IDisposable OnRateLimited(Action<TimeSpan> listener)
        {
            lock (_rateLimitListeners) _rateLimitListeners.Add(listener);
            return new Unsubscriber(() => { lock (_rateLimitListeners) _rateLimitListeners.Remove(listener); });
        }

        private sealed class Unsubscriber : IDisposable
        {
            private Action _remove;
            public Unsubscriber(Action remove) { _remove = remove; }
            public void Dispose() { Interlocked.Exchange(ref _remove, null)?.Invoke(); }
        }

        public string AppKey { get; }
        public string TeamId { get; }
        public Uri ApiEndpoint { get; }
        /// <summary>The first connection on this state; the first read goes back 60 days from it.</summary>
        public DateTimeOffset FirstConnectedAt { get; }
        public DateTimeOffset InitialWindowStart { get; }
        public DateTimeOffset ConnectedAt { get; }
        /// <summary>The clock this connection goes by (<see cref="ActivityConnectionOptions.Clock"/>).</summary>
        internal Time.IClock Clock { get; }
        public string StatePath => Store.DirectoryPath;
        /// <summary>The sandbox tenant behind this connection (SandboxTenant), or null.</summary>
        public object Sandbox { get; set; }
        public bool IsSandbox => Sandbox != null;
        /// <summary>Access tokens obtained from the refresh token since connecting.</summary>
        public int TokenRefreshes => (Tokens as DropboxRefreshTokenSource)?.Refreshes ?? 0;

        internal DropboxApiClient Api { get; }
        internal IAccessTokenSource Tokens { get; }
        public ActivityStateStore Store { get; }

        /// <summary>The incremental read from the stored position.</summary>
        public ActivityStream Incremental(int pageSize = 1000, Action<string> warning = null) =>
            ActivityStream.Incremental(Api, Store.Load() ?? throw new DbxException("ActivityStateMissing", DbxErrorCategory.InvalidOperation,
                $"The activity state in {StatePath} is gone; run Connect-DbxActivity again.", target: StatePath), pageSize, warning);

        public ActivityStream Window(ActivityQuery query) => ActivityStream.Window(Api, query);

        public void Save(ActivityState state) => Store.Save(state);

        /// <summary>The seed's "Test API": team_log/get_events with limit 1.</summary>
        public async Task<int> TestAsync(CancellationToken cancellationToken)
        {
            var result = await Api.CallAsync("team_log/get_events", new JObject { ["limit"] = 1 }, cancellationToken).ConfigureAwait(false);
            return (result?["events"] as JArray)?.Count ?? 0;
        }

        public void Dispose() => _http.Dispose();

        public override string ToString() => $"Dropbox activity ({TeamId ?? AppKey}) {StatePath}";
    }

    /// <summary>Authorizes (code with PKCE, or a refresh token), tests, and opens the state of an activity connection.</summary>
    public static class ActivityConnector
    {
        public static string DefaultStatePath(string appKey) =>
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "DropboxProvisioning", "activity_" + Safe(appKey));

        private static string Safe(string text)
        {
            var chars = (text ?? "app").ToCharArray();
            for (var i = 0; i < chars.Length; i++) if (!char.IsLetterOrDigit(chars[i]) && chars[i] != '-' && chars[i] != '_') chars[i] = '_';
            return new string(chars);
        }

        /// <summary>
        /// "Generate link": a new PKCE pair whose verifier is kept (protected) in the state directory until the code
        /// comes back, and the authorize link with its challenge.
        /// </summary>
        public static ActivityAuthorizationRequest BeginAuthorization(string appKey, string statePath, Uri authorizeRoot = null, Time.IClock clock = null)
        {
            ValidateAppKey(appKey);
            return BeginAuthorization(appKey, new LocalDirectoryStorage(statePath ?? DefaultStatePath(appKey)), authorizeRoot, clock);
        }

        /// <summary>"Generate link" with the state in any medium (a blob container keeps the verifier only under the admin's key).</summary>
        public static ActivityAuthorizationRequest BeginAuthorization(string appKey, IStateStorage storage, Uri authorizeRoot = null, Time.IClock clock = null)
        {
            ValidateAppKey(appKey);
            var store = new ActivityStateStore(storage, clock);
            var link = DropboxAuthorization.Begin(appKey, store.Storage, ActivityStateStore.PendingFile, null, authorizeRoot, clock);
            return new ActivityAuthorizationRequest
            {
                AppKey = appKey, AuthorizationUrl = link.AuthorizationUrl, StatePath = store.DirectoryPath,
                Created = link.Created, CodeChallenge = DropboxAuthorization.ChallengeOf(link),
            };
        }

        /// <summary>The PKCE challenge of a request (the sandbox approves it as the admin would).</summary>
        public static string ChallengeOf(ActivityAuthorizationRequest request) => request.CodeChallenge;

        /// <summary>True when the state directory holds a refresh token for this app.</summary>
        public static bool HasStoredCredential(string statePath) => File.Exists(Path.Combine(statePath, ActivityStateStore.CredentialFile));

        /// <summary>True when the state holds a refresh token for this app.</summary>
        public static bool HasStoredCredential(IStateStorage storage) => storage.Exists(ActivityStateStore.CredentialFile);

        public static async Task<ActivityConnection> ConnectAsync(ActivityConnectionOptions options, Func<HttpMessageHandler> transport, CancellationToken cancellationToken)
        {
            ValidateAppKey(options.AppKey);
            HttpPipeline.RequireSecureOrLoopback(options.ApiEndpoint, "Dropbox API endpoint");
            var clock = options.Clock ?? Time.SystemClock.Instance;
            var store = new ActivityStateStore(options.Storage ?? new LocalDirectoryStorage(options.StatePath ?? DefaultStatePath(options.AppKey)), clock);
            // No pacing (0): the pacer only holds every request back until a 429's Retry-After has passed, and
            // tells the API client of it, since the pipeline's retry handler retries it out of the client's sight.
            var pacer = new RequestPacer(0, clock);
            var http = HttpPipeline.Create(null, transport?.Invoke() ?? HttpPipeline.NetworkHandler(), options.Timeout, pacer);
            try
            {
                DropboxTokenGrant grant = null;
                var refresh = options.RefreshToken;
                if (!string.IsNullOrWhiteSpace(options.AuthorizationCode))
                {
                    var verifier = options.CodeVerifier
                        ?? DropboxAuthorization.PendingVerifier(store.Storage, ActivityStateStore.PendingFile, options.AppKey, "ActivityNoPendingAuthorization", $"Connect-DbxActivity -AppKey {options.AppKey}");
                    grant = await DropboxAuthorization.ExchangeAsync(http, options.ApiEndpoint, options.AppKey, options.AuthorizationCode, verifier, cancellationToken, clock).ConfigureAwait(false);
                    refresh = grant.RefreshToken;
                    store.Storage.Delete(ActivityStateStore.PendingFile, "removing the spent authorization");
                }
                else if (refresh == null)
                {
                    refresh = ProtectedSecretFile.Read(store.Storage, ActivityStateStore.CredentialFile)
                        ?? throw new DbxException("ActivityNotAuthorized", DbxErrorCategory.AuthenticationError,
                            $"App {options.AppKey} is not authorized for this state ({store.DirectoryPath}): run Connect-DbxActivity -AppKey {options.AppKey} to get the link, or pass -RefreshToken.", target: options.AppKey);
                }
                if (SecureStrings.IsBlank(refresh))
                    throw new DbxException("EmptyRefreshToken", DbxErrorCategory.InvalidArgument, "The Dropbox refresh token is empty or only whitespace.");

                var tokens = new DropboxRefreshTokenSource(http, options.ApiEndpoint, options.AppKey, refresh, grant) { Clock = clock };
                var api = new DropboxApiClient(http, options.ApiEndpoint, tokens, clock: clock);
                pacer.RateLimited = wait => api.RateLimited?.Invoke(wait);

                // Test API: one event. It proves the token, the events.read scope and the admin's permission.
                await api.CallAsync("team_log/get_events", new JObject { ["limit"] = 1 }, cancellationToken).ConfigureAwait(false);

                // A refresh token passed each job (-RefreshToken) is not stored in a container without the admin's key.
                if (options.StoreCredential && (store.Storage.SecretProtector != null || options.RefreshToken == null))
                    ProtectedSecretFile.Write(store.Storage, ActivityStateStore.CredentialFile, refresh);

                var state = store.Load();
                if (state == null || !string.Equals(state.AppKey, options.AppKey, StringComparison.Ordinal) ||
                    (grant?.TeamId != null && state.TeamId != null && state.TeamId != grant.TeamId))
                {
                    var now = clock.UtcNow;
                    state = new ActivityState
                    {
                        AppKey = options.AppKey, TeamId = grant?.TeamId, FirstConnectedAt = now,
                        WindowStart = ActivityStream.Floor(now.AddDays(-options.InitialWindowDays)),
                    };
                    store.Save(state);
                }
                else if (state.TeamId == null && grant?.TeamId != null)
                {
                    state.TeamId = grant.TeamId;
                    store.Save(state);
                }
                return new ActivityConnection(options, api, tokens, store, state, http);
            }
            catch
            {
                http.Dispose();
                throw;
            }
        }

        private static void ValidateAppKey(string appKey) => DropboxAuthorization.ValidateAppKey(appKey);
    }
}
