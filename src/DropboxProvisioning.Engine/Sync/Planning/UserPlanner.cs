using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Decides, without writing anything, what a cycle must do for users: for each Entra user in scope or managed,
    /// compare what the mapping says Dropbox should hold with what Dropbox holds. Each change it returns is final.
    /// </summary>
    public sealed class UserPlanner
    {
        /// <summary>Dropbox refuses a user without these; such a user is skipped with the reason, not sent.</summary>
        public static readonly string[] RequiredForCreate = { "userName", "name.givenName", "name.familyName" };

        private readonly CompiledMapping _mapping;
        private readonly ProvisioningState _state;
        private readonly ProvisioningSettings _settings;

        // One planning pass: what it decided so far.
        private List<ProvisioningChange> _changes;
        private int _unchanged;
        private HashSet<string> _claimed;
        private HashSet<string> _plannedUserNames;
        private ExpressionContext _context;
        private Dictionary<string, List<string>> _ambiguous;
        private DirectorySnapshot _directory;
        private DropboxSnapshot _dropbox;

        private readonly Time.IClock _clock;

        /// <param name="clock">What the mappings' Now() says (the cycle's clock); null for the machine's.</param>
        public UserPlanner(CompiledMapping mapping, ProvisioningState state, ProvisioningSettings settings, Time.IClock clock = null)
        {
            _mapping = mapping;
            _state = state;
            _settings = settings;
            _clock = clock;
        }

        private TargetActions Actions => _mapping.Mapping.Actions;

        /// <summary>A full reconciliation (the Dropbox side read live): what Dropbox holds by hand on managed accounts is marked as drift (<see cref="DriftCheck"/>).</summary>
        internal bool RepairDrift { get; set; }

        /// <summary>
        /// The job's offboarding policy has a default rule (Team API): a user deleted for good in Entra is planned as a
        /// suspension, which the policy then decides (its default rule: a deleted user has no attributes left for the
        /// other rules to test), instead of a plain members/remove.
        /// </summary>
        internal bool DeletedUsersFollowPolicy { get; set; }

        /// <summary>
        /// Dropbox accounts claimed besides the managed ones: those a continued cycle's remaining changes act on (an adoption
        /// not made yet), so that no other Entra user is matched to one, as within one cycle.
        /// </summary>
        public IEnumerable<string> ClaimedElsewhere { get; set; }

        /// <summary>
        /// The Entra users (ids) the last pass left unmatched because their Dropbox account matches another of them too: a
        /// cycle that stops at its deadline keeps them, so that its next part reads them all again (<see cref="State.PartialCycle.Ambiguous"/>).
        /// </summary>
        public HashSet<string> AmbiguousUsers { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public List<ProvisioningChange> PlanUsers(DirectorySnapshot directory, DropboxSnapshot dropbox, out int unchanged)
        {
            _directory = directory;
            _dropbox = dropbox;
            _changes = new List<ProvisioningChange>();
            _unchanged = 0;
            _claimed = new HashSet<string>(_state.Users.Values.Select(m => m.TargetId).Where(id => id != null), StringComparer.Ordinal);
            if (ClaimedElsewhere != null) _claimed.UnionWith(ClaimedElsewhere.Where(id => id != null));
            _plannedUserNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            _context = new ExpressionContext
            {
                IsValueUnique = candidate => !dropbox.HasUserName(candidate) && !_plannedUserNames.Contains(candidate),
                Clock = _clock == null ? null : (Func<DateTimeOffset>)(() => _clock.UtcNow),
            };
            _ambiguous = AmbiguousMatches(directory, dropbox, _context);

            foreach (var user in directory.Users.Values.OrderBy(u => u.DisplayIdentity, StringComparer.OrdinalIgnoreCase))
                PlanUser(user);
            // Managed users that left Entra ID: soft-deleted ones are suspended, deleted ones are deleted
            // where the Delete action is on; when it is unknown which (an initial read), suspension is the safe side.
            foreach (var removed in directory.Removed)
                PlanRemoved(removed.Key, removed.Value);
            unchanged = _unchanged;
            return _changes;
        }

        /// <summary>
        /// Adoption mode (a migration from another integration): only the existing Dropbox accounts the users match are
        /// planned, each taken under management as it is; nothing is created, updated or removed.
        /// </summary>
        public List<ProvisioningChange> PlanAdoptions(DirectorySnapshot directory, DropboxSnapshot dropbox, out int unchanged) =>
            PlanUsers(directory, dropbox, out unchanged).Where(c => c.IsAdoption).Select(c => new ProvisioningChange
            {
                Planned = ChangeAction.Adopt, SourceId = c.SourceId, SourceIdentity = c.SourceIdentity, TargetId = c.TargetId, TargetIdentity = c.TargetIdentity,
                Existing = c.Existing, MatchedBy = c.MatchedBy, IsAdoption = true, Values = new List<TargetValue>(), Desired = null,
                Reason = $"adoption mode: matched an existing Dropbox member by {c.MatchedBy}; taken under management without changes",
            }).ToList();

        private void PlanUser(SourceObject user)
        {
            _state.Users.TryGetValue(user.Id, out var managed);
            if (_directory.Unevaluable.TryGetValue(user.Id, out var problem))
            {
                _changes.Add(Skip(user, "its scoping could not be evaluated, so it is left as it is: " + problem));
                return;
            }
            var target = managed == null ? null : _dropbox.ById(managed.TargetId);
            if (user.Get(GraphAttributeNames.IsSoftDeleted) as bool? ?? false)
            {
                PlanLeaving(user, managed, target);
                return;
            }

            var matchedBy = managed?.MatchedBy;
            if (target == null)
            {
                if (!TryEvaluate(user, true, out var candidate)) return;
                if (!TryMatch(user, managed, candidate, out target, out var matching)) return;
                if (target == null)
                {
                    PlanCreate(user, managed, candidate);
                    return;
                }
                matchedBy = matching;
                _claimed.Add((string)target["id"]);
            }
            PlanUpdate(user, managed, target, matchedBy);
        }

        /// <summary>A user out of scope, blocked or soft-deleted: its managed account is suspended (or forgotten when gone).</summary>
        private void PlanLeaving(SourceObject user, ManagedObject managed, JObject target)
        {
            if (managed == null) return; // out of scope and never ours: not our business
            if (target == null) { _changes.Add(Forget(user, managed, "the Dropbox account no longer exists")); return; }
            if (!IsActive(target)) { _unchanged++; return; }
            if (!Actions.Update) { _changes.Add(Skip(user, "the Update target action is off, so the account is not suspended")); return; }
            var blocked = !(user.Get("accountEnabled") as bool? ?? true);
            if (!blocked && _settings.SkipOutOfScopeDeletions)
            {
                _changes.Add(Skip(user, "out of scope, but the setting SkipOutOfScopeDeletions leaves the Dropbox account as it is"));
                return;
            }
            var disable = new ProvisioningChange
            {
                Planned = ChangeAction.Disable, SourceId = user.Id, SourceIdentity = user.DisplayIdentity,
                TargetId = managed.TargetId, TargetIdentity = UserName(target) ?? managed.TargetIdentity, Existing = target,
                Reason = blocked ? "sign-in is blocked in Entra ID"
                    : _directory.FilteredOut.TryGetValue(user.Id, out var why) ? "out of scope: " + why
                    : "no longer assigned to Dropbox in Entra ID",
                ModifiedProperties = { new ModifiedProperty("active", "True", "False") },
            };
            if (RepairDrift) DriftCheck.MarkSuspension(disable, managed);
            _changes.Add(disable);
        }

        /// <summary>
        /// Looks for the Dropbox account an unmanaged user matches, attribute by attribute in precedence order. False when
        /// the user is skipped instead (the account matches several users, or is managed for another); a null target: no match.
        /// </summary>
        private bool TryMatch(SourceObject user, ManagedObject managed, List<TargetValue> candidate, out JObject target, out string matchedBy)
        {
            target = null;
            matchedBy = null;
            foreach (var (matching, value) in _mapping.MatchingValues(candidate))
            {
                var found = _dropbox.ByMatching(matching.Path.Text, value);
                if (found == null) continue;
                if (_ambiguous.TryGetValue((string)found["id"], out var rivals))
                {
                    _changes.Add(Skip(user, $"Dropbox account '{UserName(found)}' matches {rivals.Count} Entra users ({string.Join(", ", rivals)}) by {matching.Path}; none of them is matched to it until only one does"));
                    return false;
                }
                if (_claimed.Contains((string)found["id"]) && managed?.TargetId != (string)found["id"])
                {
                    _changes.Add(Skip(user, $"Dropbox account '{UserName(found)}' matches by {matching.Path}, but the engine already manages it for another Entra user"));
                    return false;
                }
                target = found;
                matchedBy = matching.Path.Text;
                return true;
            }
            return true;
        }

        private void PlanCreate(SourceObject user, ManagedObject managed, List<TargetValue> candidate)
        {
            if (!Actions.Create) { _changes.Add(Skip(user, "the Create target action is off")); return; }
            var missing = RequiredForCreate.FirstOrDefault(r => !candidate.Any(v => string.Equals(v.Path.Text, r, StringComparison.OrdinalIgnoreCase)
                && !(v.Value.Type == JTokenType.String && string.IsNullOrWhiteSpace((string)v.Value))));
            if (missing != null)
            {
                _changes.Add(Skip(user, $"Dropbox requires {missing} and the mapping gives none for this user"));
                return;
            }
            var create = new ProvisioningChange
            {
                Planned = ChangeAction.Create, SourceId = user.Id, SourceIdentity = user.DisplayIdentity,
                TargetIdentity = (string)candidate.First(v => v.Path.Text == "userName").Value, Values = candidate, Desired = candidate,
                Reason = managed == null ? "assigned in Entra ID and not in Dropbox" : "the managed Dropbox account no longer exists",
                ModifiedFromValues = true,
            };
            _changes.Add(create);
            _plannedUserNames.Add(create.TargetIdentity);
        }

        /// <summary>An account the user has (managed, or just matched): what differs is updated; a match with nothing to change is adopted.</summary>
        private void PlanUpdate(SourceObject user, ManagedObject managed, JObject target, string matchedBy)
        {
            if (!TryEvaluate(user, false, out var desired)) return;
            var update = new ProvisioningChange
            {
                Planned = ChangeAction.Update, SourceId = user.Id, SourceIdentity = user.DisplayIdentity,
                TargetId = (string)target["id"], TargetIdentity = UserName(target), Existing = target, MatchedBy = matchedBy,
                IsAdoption = managed == null, Desired = desired,
                Reason = managed == null ? $"adopted: matched an existing Dropbox account by {matchedBy}" : "attributes differ",
            };
            foreach (var value in desired)
            {
                if (value.Attribute.Target.MultiValued)
                {
                    // Secondary e-mails: only the addresses the mapping manages are added or deleted.
                    var merged = MergedEmails.For(value, managed, target, new[] { UserName(target), (string)desired.FirstOrDefault(d => d.Path.Text == "userName").Value });
                    if (merged.HasValue) { update.Values.Add(merged.Value.Value); update.ModifiedProperties.Add(merged.Value.Property); }
                    continue;
                }
                var current = value.Path.Get(target);
                if (JToken.DeepEquals(Normalize(current), Normalize(value.Value))) continue;
                if (managed != null && managed.TryGetDeclined(value.Path.Text, out var declined) && declined == ValueText.Of(value.Value)) continue;
                update.Values.Add(value);
                update.ModifiedProperties.Add(new ModifiedProperty(value.Path.Text, current == null ? null : ValueText.Of(current), ValueText.Of(value.Value)));
            }
            foreach (var (removal, property) in ClearedValues.For(_mapping, managed, target, user, desired, _context))
            {
                update.Values.Add(removal);
                update.ModifiedProperties.Add(property);
            }

            if (update.Values.Count > 0)
            {
                if (RepairDrift) DriftCheck.MarkValues(update, managed);
                if (Actions.Update) _changes.Add(update);
                else _changes.Add(Skip(user, "attributes differ but the Update target action is off"));
            }
            else if (managed == null)
            {
                update.Planned = ChangeAction.Adopt;
                _changes.Add(update);
            }
            else _unchanged++;
        }

        private void PlanRemoved(string sourceId, RemovalKind removal)
        {
            if (!_state.Users.TryGetValue(sourceId, out var managed)) return;
            var target = _dropbox.ById(managed.TargetId);
            var identity = managed.TargetIdentity;
            if (target == null) { _changes.Add(Forget(null, managed, "deleted in Entra ID and no longer in Dropbox")); return; }
            var delete = removal == RemovalKind.HardDeleted && Actions.Delete && !DeletedUsersFollowPolicy;
            if (!delete && !IsActive(target)) { _unchanged++; return; }
            if (_settings.SkipOutOfScopeDeletions)
            {
                _changes.Add(new ProvisioningChange { Planned = ChangeAction.Skip, SourceId = managed.SourceId, SourceIdentity = identity, PlannedStatus = ChangeStatus.Skipped,
                    Reason = "deleted in Entra ID, but the setting SkipOutOfScopeDeletions leaves the Dropbox account as it is" });
                return;
            }
            var change = new ProvisioningChange
            {
                Planned = delete ? ChangeAction.Delete : ChangeAction.Disable, SourceId = managed.SourceId, SourceIdentity = identity,
                TargetId = managed.TargetId, TargetIdentity = UserName(target) ?? identity, Existing = target,
                Reason = removal == RemovalKind.HardDeleted ? "deleted in Entra ID" + (delete ? "" : DeletedUsersFollowPolicy && Actions.Delete ? " (the offboarding policy's default rule decides)" : " (the Delete target action is off, so it is suspended)")
                    : removal == RemovalKind.SoftDeleted ? "soft-deleted in Entra ID" : "no longer returned by Entra ID",
                ModifiedProperties = { delete ? new ModifiedProperty("(account)", identity, null) : new ModifiedProperty("active", "True", "False") },
            };
            if (RepairDrift && !delete) DriftCheck.MarkSuspension(change, managed);
            _changes.Add(change);
        }

        /// <summary>
        /// Dropbox accounts that more than one unmanaged Entra user in scope would match: adopting one would
        /// hand another person's account to the first user planned, so none of them is matched.
        /// </summary>
        private Dictionary<string, List<string>> AmbiguousMatches(DirectorySnapshot directory, DropboxSnapshot dropbox, ExpressionContext context)
        {
            var claims = new Dictionary<string, List<SourceObject>>(StringComparer.Ordinal);
            foreach (var user in directory.Users.Values)
            {
                if (_state.Users.ContainsKey(user.Id) || (user.Get(GraphAttributeNames.IsSoftDeleted) as bool? ?? false)) continue;
                List<TargetValue> values;
                try { values = _mapping.Evaluate(user, forCreate: true, context); }
                catch (Exception e) when (e is ExpressionException || e is Errors.DbxException) { continue; }
                foreach (var (matching, value) in _mapping.MatchingValues(values))
                {
                    var found = dropbox.ByMatching(matching.Path.Text, value);
                    if (found == null) continue;
                    var id = (string)found["id"];
                    if (!claims.TryGetValue(id, out var users)) claims[id] = users = new List<SourceObject>();
                    users.Add(user);
                    break;
                }
            }
            var ambiguous = claims.Where(c => c.Value.Count > 1).ToList();
            AmbiguousUsers.Clear();
            AmbiguousUsers.UnionWith(ambiguous.SelectMany(c => c.Value).Select(u => u.Id));
            return ambiguous.ToDictionary(c => c.Key, c => c.Value.Select(u => u.DisplayIdentity).ToList(), StringComparer.Ordinal);
        }

        /// <summary>
        /// Evaluates the mapping for one user; a mapping that fails for this user's data (an expression error,
        /// a value of the wrong type) skips this user with the reason, and the cycle goes on.
        /// </summary>
        private bool TryEvaluate(SourceObject user, bool forCreate, out List<TargetValue> values)
        {
            try
            {
                values = _mapping.Evaluate(user, forCreate, _context);
                return true;
            }
            catch (ExpressionException e)
            {
                _changes.Add(Skip(user, $"the mapping could not be evaluated for this user ({e.ErrorId}): {e.Message}"));
            }
            catch (Errors.DbxException e)
            {
                _changes.Add(Skip(user, "the mapping could not be evaluated for this user: " + e.Message));
            }
            values = null;
            return false;
        }

        private static ProvisioningChange Skip(SourceObject user, string reason) => new ProvisioningChange
        {
            Planned = ChangeAction.Skip, SourceId = user.Id, SourceIdentity = user.DisplayIdentity, Reason = reason, PlannedStatus = ChangeStatus.Skipped,
        };

        private static ProvisioningChange Forget(SourceObject user, ManagedObject managed, string reason) => new ProvisioningChange
        {
            Planned = ChangeAction.Other, SourceId = managed.SourceId, SourceIdentity = user?.DisplayIdentity ?? managed.TargetIdentity,
            TargetId = managed.TargetId, TargetIdentity = managed.TargetIdentity, Reason = reason + "; the engine stops managing it",
        };

        public static bool IsActive(JObject user) => user["active"]?.Type != JTokenType.Boolean || (bool)user["active"];

        public static string UserName(JObject user) => (string)user?["userName"];

        private static JToken Normalize(JToken token) => token == null || token.Type == JTokenType.Null ? null : token;
    }
}
