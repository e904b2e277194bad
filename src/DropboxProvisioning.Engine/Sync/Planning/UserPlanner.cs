using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Mapping.Expressions;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Decides, without writing anything, what a cycle must do: for each Entra user in scope or managed,
    /// compare what the mapping says Dropbox should hold with what Dropbox holds.
    /// </summary>
    public sealed class CyclePlanner
    {
        /// <summary>Dropbox refuses a user without these; such a user is skipped with the reason, not sent.</summary>
        public static readonly string[] RequiredForCreate = { "userName", "name.givenName", "name.familyName" };

        private readonly CompiledMapping _mapping;
        private readonly ProvisioningState _state;
        private readonly ProvisioningSettings _settings;

        public CyclePlanner(CompiledMapping mapping, ProvisioningState state, ProvisioningSettings settings)
        {
            _mapping = mapping;
            _state = state;
            _settings = settings;
        }

        public List<ProvisioningChange> PlanUsers(DirectorySnapshot directory, DropboxSnapshot dropbox, out int unchanged)
        {
            var changes = new List<ProvisioningChange>();
            unchanged = 0;
            var actions = _mapping.Mapping.Actions;
            var claimed = new HashSet<string>(_state.Users.Values.Select(m => m.TargetId).Where(id => id != null), StringComparer.Ordinal);
            var plannedUserNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var context = new ExpressionContext { IsValueUnique = candidate => !dropbox.HasUserName(candidate) && !plannedUserNames.Contains(candidate) };

            var ambiguous = AmbiguousMatches(directory, dropbox, context);

            foreach (var user in directory.Users.Values.OrderBy(u => u.DisplayIdentity, StringComparer.OrdinalIgnoreCase))
            {
                _state.Users.TryGetValue(user.Id, out var managed);
                if (directory.Unevaluable.TryGetValue(user.Id, out var problem))
                {
                    changes.Add(Skip(user, "its scoping could not be evaluated, so it is left as it is: " + problem));
                    continue;
                }
                var target = managed == null ? null : dropbox.ById(managed.TargetId);
                var softDeleted = user.Get(GraphAttributeNames.IsSoftDeleted) as bool? ?? false;

                if (softDeleted)
                {
                    if (managed == null) continue; // out of scope and never ours: not our business
                    if (target == null)
                    {
                        changes.Add(Forget(user, managed, "the Dropbox account no longer exists"));
                    }
                    else if (IsActive(target))
                    {
                        if (!actions.Update) { changes.Add(Skip(user, "the Update target action is off, so the account is not suspended")); continue; }
                        var blocked = !(user.Get("accountEnabled") as bool? ?? true);
                        if (!blocked && _settings.SkipOutOfScopeDeletions)
                        {
                            changes.Add(Skip(user, "out of scope, but the setting SkipOutOfScopeDeletions leaves the Dropbox account as it is"));
                            continue;
                        }
                        changes.Add(new ProvisioningChange
                        {
                            Action = ChangeAction.Disable, SourceId = user.Id, SourceIdentity = user.DisplayIdentity,
                            TargetId = managed.TargetId, TargetIdentity = UserName(target) ?? managed.TargetIdentity, Existing = target,
                            Reason = !(user.Get("accountEnabled") as bool? ?? true) ? "sign-in is blocked in Entra ID"
                                : directory.FilteredOut.TryGetValue(user.Id, out var why) ? "out of scope: " + why
                                : "no longer assigned to Dropbox in Entra ID",
                            ModifiedProperties = { new ModifiedProperty("active", "True", "False") },
                        });
                    }
                    else unchanged++;
                    continue;
                }

                var matchedBy = managed?.MatchedBy;
                if (target == null)
                {
                    if (!TryEvaluate(user, true, context, changes, out var candidate)) continue;
                    foreach (var (matching, value) in _mapping.MatchingValues(candidate))
                    {
                        var found = dropbox.ByMatching(matching.Path, value);
                        if (found == null) continue;
                        if (ambiguous.TryGetValue((string)found["id"], out var rivals))
                        {
                            changes.Add(Skip(user, $"Dropbox account '{UserName(found)}' matches {rivals.Count} Entra users ({string.Join(", ", rivals)}) by {matching.Path}; none of them is matched to it until only one does"));
                            goto next;
                        }
                        if (claimed.Contains((string)found["id"]) && managed?.TargetId != (string)found["id"])
                        {
                            changes.Add(Skip(user, $"Dropbox account '{UserName(found)}' matches by {matching.Path}, but the engine already manages it for another Entra user"));
                            target = null;
                            matchedBy = null;
                            goto next;
                        }
                        target = found;
                        matchedBy = matching.Path.Text;
                        break;
                    }

                    if (target == null)
                    {
                        if (!actions.Create) { changes.Add(Skip(user, "the Create target action is off")); continue; }
                        var missing = RequiredForCreate.FirstOrDefault(r => !candidate.Any(v => string.Equals(v.Path.Text, r, StringComparison.OrdinalIgnoreCase)
                            && !(v.Value.Type == JTokenType.String && string.IsNullOrWhiteSpace((string)v.Value))));
                        if (missing != null)
                        {
                            changes.Add(Skip(user, $"Dropbox requires {missing} and the mapping gives none for this user"));
                            continue;
                        }
                        var create = new ProvisioningChange
                        {
                            Action = ChangeAction.Create, SourceId = user.Id, SourceIdentity = user.DisplayIdentity,
                            TargetIdentity = (string)candidate.First(v => v.Path.Text == "userName").Value, Values = candidate, Desired = candidate,
                            Reason = managed == null ? "assigned in Entra ID and not in Dropbox" : "the managed Dropbox account no longer exists",
                            ModifiedFromValues = true,
                        };
                        changes.Add(create);
                        plannedUserNames.Add(create.TargetIdentity);
                        continue;
                    }
                    claimed.Add((string)target["id"]);
                }

                if (!TryEvaluate(user, false, context, changes, out var desired)) continue;
                var update = new ProvisioningChange
                {
                    Action = ChangeAction.Update, SourceId = user.Id, SourceIdentity = user.DisplayIdentity,
                    TargetId = (string)target["id"], TargetIdentity = UserName(target), Existing = target, MatchedBy = matchedBy,
                    IsAdoption = managed == null, Desired = desired,
                    Reason = managed == null ? $"adopted: matched an existing Dropbox account by {matchedBy}" : "attributes differ",
                };
                foreach (var value in desired)
                {
                    var current = value.Path.Get(target);
                    if (JToken.DeepEquals(Normalize(current), Normalize(value.Value))) continue;
                    if (managed != null && managed.Declined.TryGetValue(value.Path.Text, out var declined) && declined == ValueText.Of(value.Value)) continue;
                    update.Values.Add(value);
                    update.ModifiedProperties.Add(new ModifiedProperty(value.Path.Text, current == null ? null : ValueText.Of(current), ValueText.Of(value.Value)));
                }

                if (update.Values.Count > 0)
                {
                    if (actions.Update) changes.Add(update);
                    else changes.Add(Skip(user, "attributes differ but the Update target action is off"));
                }
                else if (managed == null)
                {
                    update.Action = ChangeAction.Adopt;
                    changes.Add(update);
                }
                else unchanged++;
                next:;
            }

            // Managed users that left Entra ID: soft-deleted ones are suspended, deleted ones are deleted
            // where the Delete action is on; when it is unknown which (an initial read), suspension is the safe side.
            foreach (var removed in directory.Removed)
            {
                if (!_state.Users.TryGetValue(removed.Key, out var managed)) continue;
                var target = dropbox.ById(managed.TargetId);
                var identity = managed.TargetIdentity;
                if (target == null) { changes.Add(Forget(null, managed, "deleted in Entra ID and no longer in Dropbox")); continue; }
                var delete = removed.Value == RemovalKind.HardDeleted && actions.Delete;
                if (!delete && !IsActive(target)) { unchanged++; continue; }
                if (_settings.SkipOutOfScopeDeletions)
                {
                    changes.Add(new ProvisioningChange { Action = ChangeAction.Skip, SourceId = managed.SourceId, SourceIdentity = identity, Status = ChangeStatus.Skipped,
                        Reason = "deleted in Entra ID, but the setting SkipOutOfScopeDeletions leaves the Dropbox account as it is" });
                    continue;
                }
                changes.Add(new ProvisioningChange
                {
                    Action = delete ? ChangeAction.Delete : ChangeAction.Disable, SourceId = managed.SourceId, SourceIdentity = identity,
                    TargetId = managed.TargetId, TargetIdentity = UserName(target) ?? identity, Existing = target,
                    Reason = removed.Value == RemovalKind.HardDeleted ? "deleted in Entra ID" + (delete ? "" : " (the Delete target action is off, so it is suspended)")
                        : removed.Value == RemovalKind.SoftDeleted ? "soft-deleted in Entra ID" : "no longer returned by Entra ID",
                    ModifiedProperties = { delete ? new ModifiedProperty("(account)", identity, null) : new ModifiedProperty("active", "True", "False") },
                });
            }
            return changes;
        }

        /// <summary>
        /// Dropbox accounts that more than one unmanaged Entra user in scope would match: adopting one would
        /// hand another person's account to the first user planned, so none of them is matched.
        /// </summary>
        private Dictionary<string, List<string>> AmbiguousMatches(DirectorySnapshot directory, DropboxSnapshot dropbox, ExpressionContext context)
        {
            var claims = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var user in directory.Users.Values)
            {
                if (_state.Users.ContainsKey(user.Id) || (user.Get(GraphAttributeNames.IsSoftDeleted) as bool? ?? false)) continue;
                List<TargetValue> values;
                try { values = _mapping.Evaluate(user, forCreate: true, context); }
                catch (Exception e) when (e is ExpressionException || e is Errors.DbxException) { continue; }
                foreach (var (matching, value) in _mapping.MatchingValues(values))
                {
                    var found = dropbox.ByMatching(matching.Path, value);
                    if (found == null) continue;
                    var id = (string)found["id"];
                    if (!claims.TryGetValue(id, out var users)) claims[id] = users = new List<string>();
                    users.Add(user.DisplayIdentity);
                    break;
                }
            }
            return claims.Where(c => c.Value.Count > 1).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        }

        /// <summary>
        /// Evaluates the mapping for one user; a mapping that fails for this user's data (an expression error,
        /// a value of the wrong type) skips this user with the reason, and the cycle goes on.
        /// </summary>
        private bool TryEvaluate(SourceObject user, bool forCreate, ExpressionContext context, List<ProvisioningChange> changes, out List<TargetValue> values)
        {
            try
            {
                values = _mapping.Evaluate(user, forCreate, context);
                return true;
            }
            catch (ExpressionException e)
            {
                changes.Add(Skip(user, $"the mapping could not be evaluated for this user ({e.ErrorId}): {e.Message}"));
            }
            catch (Errors.DbxException e)
            {
                changes.Add(Skip(user, "the mapping could not be evaluated for this user: " + e.Message));
            }
            values = null;
            return false;
        }

        private static ProvisioningChange Skip(SourceObject user, string reason) => new ProvisioningChange
        {
            Action = ChangeAction.Skip, SourceId = user.Id, SourceIdentity = user.DisplayIdentity, Reason = reason, Status = ChangeStatus.Skipped,
        };

        private static ProvisioningChange Forget(SourceObject user, ManagedObject managed, string reason) => new ProvisioningChange
        {
            Action = ChangeAction.Other, SourceId = managed.SourceId, SourceIdentity = user?.DisplayIdentity ?? managed.TargetIdentity,
            TargetId = managed.TargetId, TargetIdentity = managed.TargetIdentity, Reason = reason + "; the engine stops managing it",
        };

        public static bool IsActive(JObject user) => user["active"]?.Type != JTokenType.Boolean || (bool)user["active"];

        public static string UserName(JObject user) => (string)user?["userName"];

        private static JToken Normalize(JToken token) => token == null || token.Type == JTokenType.Null ? null : token;

    }
}
