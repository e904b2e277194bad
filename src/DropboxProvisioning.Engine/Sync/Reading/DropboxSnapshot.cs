using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.State;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>What a cycle reads from Dropbox: tests hand in their own snapshots.</summary>
    internal interface IDropboxReader
    {
        /// <summary>Every account for an initial cycle; for an incremental one, the managed accounts from the state and matches of new users.</summary>
        Task<DropboxSnapshot> ReadUsersAsync(CompiledMapping mapping, ProvisioningState state, DirectorySnapshot directory, CancellationToken cancellationToken);

        Task<DropboxGroupSnapshot> ReadGroupsAsync(ProvisioningState state, DirectorySnapshot directory, IEnumerable<string> wantedNames, CancellationToken cancellationToken);

        /// <summary>For one user on demand: the managed account read live, or a match by filter.</summary>
        Task<DropboxSnapshot> ReadUserAsync(CompiledMapping mapping, ManagedObject managed, Directory.SourceObject user, CancellationToken cancellationToken);

        /// <summary>For one group on demand: the managed group read live, or a match by name.</summary>
        Task<DropboxGroupSnapshot> ReadGroupAsync(ManagedObject managed, string name, CancellationToken cancellationToken);
    }

    /// <summary>Reads Dropbox through the connection's target.</summary>
    internal sealed class TargetReader : IDropboxReader
    {
        private readonly IDropboxTarget _target;
        private readonly ICycleObserver _observer;

        public TargetReader(IDropboxTarget target, ICycleObserver observer) { _target = target; _observer = observer; }

        public Task<DropboxSnapshot> ReadUsersAsync(CompiledMapping mapping, ProvisioningState state, DirectorySnapshot directory, CancellationToken cancellationToken) =>
            directory.Mode == CycleMode.Initial
                ? DropboxSnapshot.ReadUsersAsync(_target, mapping, _observer, cancellationToken)
                : DropboxSnapshot.ReadForChangesAsync(_target, mapping, state, directory, _observer, cancellationToken);

        public Task<DropboxGroupSnapshot> ReadGroupsAsync(ProvisioningState state, DirectorySnapshot directory, IEnumerable<string> wantedNames, CancellationToken cancellationToken) =>
            DropboxGroupSnapshot.ReadAsync(_target, state, directory, wantedNames, _observer, cancellationToken);

        public Task<DropboxSnapshot> ReadUserAsync(CompiledMapping mapping, ManagedObject managed, Directory.SourceObject user, CancellationToken cancellationToken) =>
            DropboxSnapshot.ReadOneAsync(_target, mapping, managed, user, cancellationToken);

        public Task<DropboxGroupSnapshot> ReadGroupAsync(ManagedObject managed, string name, CancellationToken cancellationToken) =>
            DropboxGroupSnapshot.ReadOneAsync(_target, managed, name, cancellationToken);
    }

    /// <summary>
    /// The Dropbox side of an initial cycle: every SCIM user, read once in the largest pages Dropbox
    /// allows, indexed by id and by each matching attribute, so matching costs no request per user.
    /// </summary>
    public sealed class DropboxSnapshot
    {
        private readonly Dictionary<string, JObject> _byId = new Dictionary<string, JObject>(StringComparer.Ordinal);
        private readonly HashSet<string> _userNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Dictionary<string, JObject>> _byMatching = new Dictionary<string, Dictionary<string, JObject>>(StringComparer.OrdinalIgnoreCase);
        private readonly CompiledMapping _mapping;

        private DropboxSnapshot(CompiledMapping mapping)
        {
            _mapping = mapping;
            foreach (var matching in mapping.Matching)
                _byMatching[matching.Path.Text] = new Dictionary<string, JObject>(StringComparer.OrdinalIgnoreCase);
        }

        public int Count => _byId.Count;

        /// <summary>A snapshot of the given accounts, as read (tests hand one to the planner).</summary>
        internal static DropboxSnapshot Of(CompiledMapping mapping, IEnumerable<JObject> users)
        {
            var snapshot = new DropboxSnapshot(mapping);
            foreach (var user in users) snapshot.Add(user);
            return snapshot;
        }

        public static async Task<DropboxSnapshot> ReadUsersAsync(IDropboxTarget target, CompiledMapping mapping, ICycleObserver observer, CancellationToken cancellationToken)
        {
            var snapshot = new DropboxSnapshot(mapping);
            observer.Progress("Reading Dropbox", "Listing users", -1);
            await target.ListAllAsync("Users", snapshot.Add, cancellationToken).ConfigureAwait(false);
            observer.Verbose($"Dropbox holds {snapshot.Count} account(s) ({target.DisplayName}).");
            return snapshot;
        }

        /// <summary>True when a Dropbox account already has this userName (SelectUniqueValue asks).</summary>
        public bool HasUserName(string userName) => userName != null && _userNames.Contains(userName);

        /// <summary>
        /// The Dropbox side of an incremental cycle, without listing Dropbox: managed accounts as the engine
        /// last wrote them (from the state), and, for users in scope that the engine does not manage yet,
        /// one filter query per matching attribute. Reads grow with the changes, not with the team.
        /// </summary>
        public static async Task<DropboxSnapshot> ReadForChangesAsync(IDropboxTarget target, CompiledMapping mapping, ProvisioningState state,
            DirectorySnapshot directory, ICycleObserver observer, CancellationToken cancellationToken)
        {
            var snapshot = new DropboxSnapshot(mapping);
            foreach (var id in directory.Users.Keys.Concat(directory.Removed.Keys))
                if (state.Users.TryGetValue(id, out var managed) && managed.TargetId != null)
                    snapshot.Add(FromState(managed, mapping));

            foreach (var user in directory.Users.Values)
            {
                if (state.Users.ContainsKey(user.Id) || (user.Get(Directory.GraphAttributeNames.IsSoftDeleted) as bool? ?? false)) continue;
                await snapshot.FindMatchAsync(target, user, cancellationToken).ConfigureAwait(false);
            }
            observer.Verbose($"Dropbox: {snapshot.Count} account(s) considered, from the state and per-user queries.");
            return snapshot;
        }

        /// <summary>The Dropbox side for one user on demand: the managed account read live, or a match by filter.</summary>
        internal static async Task<DropboxSnapshot> ReadOneAsync(IDropboxTarget target, CompiledMapping mapping, ManagedObject managed, Directory.SourceObject user, CancellationToken cancellationToken)
        {
            var snapshot = new DropboxSnapshot(mapping);
            if (managed?.TargetId != null)
            {
                try { snapshot.Add(await target.GetAsync("Users", managed.TargetId, cancellationToken).ConfigureAwait(false)); return snapshot; }
                catch (DropboxTargetException e) when (e.StatusCode == 404) { }
            }
            await snapshot.FindMatchAsync(target, user, cancellationToken).ConfigureAwait(false);
            return snapshot;
        }

        /// <summary>
        /// Asks Dropbox for the account a user not yet managed would match, one query per matching attribute in
        /// precedence order, and keeps the first found. A mapping that cannot be evaluated is the planner's to report.
        /// </summary>
        private async Task FindMatchAsync(IDropboxTarget target, Directory.SourceObject user, CancellationToken cancellationToken)
        {
            List<TargetValue> values;
            try { values = _mapping.Evaluate(user, forCreate: true); }
            catch (Exception e) when (e is Mapping.Expressions.ExpressionException || e is Errors.DbxException) { return; }
            foreach (var (matching, value) in _mapping.MatchingValues(values))
            {
                var found = await target.FindAsync("Users", matching.Path.Text, value, cancellationToken).ConfigureAwait(false);
                if (found != null) { Add(found); return; }
            }
        }

        /// <summary>A managed account as the engine last wrote it.</summary>
        private static JObject FromState(ManagedObject managed, CompiledMapping mapping)
        {
            var resource = new JObject { ["id"] = managed.TargetId, ["userName"] = managed.TargetIdentity, ["active"] = managed.Active };
            foreach (var pair in managed.Exported)
            {
                var attribute = mapping.Attributes.FirstOrDefault(a => string.Equals(a.Path.Text, pair.Key, StringComparison.OrdinalIgnoreCase));
                if (attribute == null || pair.Value == null) continue;
                if (attribute.Path.Text == "active") continue; // the Active flag is the truth for suspension
                if (attribute.Target.MultiValued) { attribute.Path.Set(resource, new JArray(EmailListValue.Items(new JValue(pair.Value)))); continue; }
                attribute.Path.Set(resource, attribute.TargetType == TargetValueType.Boolean && bool.TryParse(pair.Value, out var flag) ? new JValue(flag) : new JValue(pair.Value));
            }
            return resource;
        }

        private void Add(JObject user)
        {
            var id = (string)user["id"];
            if (id == null) return;
            _byId[id] = user;
            var userName = (string)user["userName"];
            if (userName != null) _userNames.Add(userName);
            foreach (var matching in _mapping.Matching)
            {
                var value = matching.Path.Get(user);
                if (value != null && value.Type == JTokenType.String) _byMatching[matching.Path.Text][(string)value] = user;
            }
        }

        public JObject ById(string id) => id != null && _byId.TryGetValue(id, out var user) ? user : null;

        /// <summary>The account whose matching attribute equals the value (case-insensitive, as Dropbox compares userName).</summary>
        public JObject ByMatching(string path, string value) =>
            value != null && _byMatching.TryGetValue(path, out var index) && index.TryGetValue(value, out var user) ? user : null;
    }
}
