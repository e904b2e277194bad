using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Engine.Tests.Sync
{
    /// <summary>
    /// An Entra directory and a Dropbox team held in memory, as the readers would hand them to the planners: users and
    /// accounts are added by the test, then <see cref="Plan"/> runs the user planner over the snapshots. No HTTP.
    /// </summary>
    internal sealed class PlannerWorld
    {
        private readonly List<SourceObject> _users = new List<SourceObject>();
        private readonly List<JObject> _accounts = new List<JObject>();
        private readonly HashSet<string> _entitled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private int _next;

        public PlannerWorld(CycleMode mode = CycleMode.Initial, DropboxApiKind api = DropboxApiKind.Scim)
        {
            Mode = mode;
            Api = api;
            UserMapping = DefaultMappings.Users(api);
        }

        public CycleMode Mode { get; }
        public DropboxApiKind Api { get; }
        public ObjectMapping UserMapping { get; }
        public ProvisioningState State { get; } = new ProvisioningState();
        public ProvisioningSettings Settings { get; } = new ProvisioningSettings();
        public DirectorySnapshot Directory { get; private set; }
        public int Unchanged { get; private set; }

        /// <summary>Managed users that left Entra ID, and how.</summary>
        /// <summary>Plan as a full reconciliation does (drift repair: the Dropbox side read live and compared with what the engine wrote).</summary>
        public bool RepairDrift { get; set; }

        /// <summary>Managed users that left Entra ID, and how.</summary>
        public Dictionary<string, RemovalKind> Removed { get; } = new Dictionary<string, RemovalKind>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Entitled users the scoping filters leave out, with the reason.</summary>
        public Dictionary<string, string> FilteredOut { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public CompiledMapping Compiled => new CompiledMapping(UserMapping, Api);

        /// <summary>An Entra user; entitled (assigned) unless told otherwise.</summary>
        public SourceObject User(string name, bool entitled = true, bool enabled = true, string surname = "Surname", string mail = null)
        {
            var user = new SourceObject(SourceObjectKind.User, "u-" + name);
            user.Set("userPrincipalName", name + "@contoso.com");
            user.Set("displayName", name + " " + surname);
            user.Set("givenName", name);
            user.Set("surname", surname);
            user.Set("mail", mail ?? name + "@contoso.com");
            user.Set("mailNickname", name);
            user.Set("accountEnabled", enabled);
            _users.Add(user);
            if (entitled) _entitled.Add(user.Id);
            return user;
        }

        /// <summary>A Dropbox account holding exactly what the mapping gives <paramref name="user"/> (so the two are in step).</summary>
        public JObject AccountFor(SourceObject user, bool active = true, Action<JObject> change = null)
        {
            var account = new JObject { ["id"] = "dbmid:" + (++_next) };
            var probe = new SourceObject(SourceObjectKind.User, user.Id);
            foreach (var pair in user.Values) probe.Set(pair.Key, pair.Value);
            probe.Set(GraphAttributeNames.IsSoftDeleted, false);
            foreach (var value in Compiled.Evaluate(probe, forCreate: true)) value.Path.Set(account, value.Value.DeepClone());
            account["active"] = active;
            change?.Invoke(account);
            _accounts.Add(account);
            return account;
        }

        /// <summary>An account in Dropbox that no Entra user is known for.</summary>
        public JObject Account(string userName, string externalId = null)
        {
            var account = new JObject { ["id"] = "dbmid:" + (++_next), ["userName"] = userName, ["active"] = true };
            if (externalId != null) account["externalId"] = externalId;
            _accounts.Add(account);
            return account;
        }

        /// <summary>Records <paramref name="account"/> as the engine's for <paramref name="user"/>, with what it last wrote.</summary>
        public ManagedObject Manage(SourceObject user, JObject account)
        {
            var managed = new ManagedObject
            {
                SourceId = user.Id, TargetId = (string)account["id"], TargetIdentity = (string)account["userName"], MatchedBy = "Created",
                Active = account["active"]?.Type != JTokenType.Boolean || (bool)account["active"],
            };
            // What the engine last wrote: the account's mapped values as they are now (the test edits the account afterwards, by hand).
            foreach (var attribute in Compiled.Attributes)
            {
                var value = attribute.Path.Get(account);
                if (value != null && value.Type != JTokenType.Null) managed.Exported[attribute.Path.Text] = ValueText.Of(value);
            }
            State.Users[user.Id] = managed;
            return managed;
        }

        public List<ProvisioningChange> Plan(bool adoption = false)
        {
            var mapping = Compiled;
            Directory = new DirectorySnapshot { Mode = Mode };
            Directory.Entitled.UnionWith(_entitled);
            foreach (var user in _users)
            {
                if (!_entitled.Contains(user.Id) && !State.Users.ContainsKey(user.Id)) continue; // the readers never hold these
                Directory.Add(user, mapping);
            }
            foreach (var pair in FilteredOut)
            {
                Directory.FilteredOut[pair.Key] = pair.Value;
                Directory.Users[pair.Key].Set(GraphAttributeNames.IsSoftDeleted, true);
            }
            foreach (var pair in Removed) Directory.Removed[pair.Key] = pair.Value;
            var dropbox = DropboxSnapshot.Of(mapping, _accounts);
            var planner = new UserPlanner(mapping, State, Settings) { RepairDrift = RepairDrift };
            var changes = adoption ? planner.PlanAdoptions(Directory, dropbox, out var unchanged) : planner.PlanUsers(Directory, dropbox, out unchanged);
            Unchanged = unchanged;
            return changes;
        }

        public static ProvisioningChange For(IEnumerable<ProvisioningChange> changes, SourceObject user) => changes.Single(c => c.SourceId == user.Id);
    }
}
