using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Directory;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// Decides what Dropbox's groups need: create the groups in scope, rename them, keep their members in
    /// step with the provisioned members (members not provisioned are left out), and delete groups that
    /// left scope or Entra ID where the Delete action is on. Groups the engine did not create or match are
    /// never touched; of those it matched, it removes only the members it added and never deletes them
    /// (GroupOwnership), unless the setting TakeOverDropboxGroups says so.
    /// </summary>
    public sealed class GroupPlanner
    {
        private readonly CompiledMapping _mapping;
        private readonly ProvisioningState _state;
        private readonly bool _takeOver;
        private ISet<string> _leaving = new HashSet<string>();
        private Dictionary<string, string> _accounts;

        /// <summary>A full reconciliation (managed groups read live): members changed by hand are marked as drift and put back (<see cref="DriftCheck"/>).</summary>
        internal bool RepairDrift { get; set; }

        /// <param name="takeOver">The setting TakeOverDropboxGroups: members and groups the engine did not add or create are treated as its own.</param>
        public GroupPlanner(CompiledMapping mapping, ProvisioningState state, bool takeOver = false)
        {
            _mapping = mapping;
            _state = state;
            _takeOver = takeOver;
        }

        /// <summary>The display names of the unmanaged groups in scope, which Dropbox is asked about.</summary>
        public IEnumerable<string> NamesToMatch(DirectorySnapshot directory) =>
            directory.GroupsInScope.Where(id => !_state.Groups.ContainsKey(id) && directory.Groups.ContainsKey(id))
                .Select(id => directory.Groups[id].Get("displayName") as string).Where(n => n != null);

        /// <param name="pendingUsers">Entra ids of users this cycle is about to create: counted as members to come.</param>
        /// <param name="leavingUsers">Entra ids of users this cycle is about to suspend or delete: counted as members to go.</param>
        public List<ProvisioningChange> Plan(DirectorySnapshot directory, DropboxGroupSnapshot dropbox, ISet<string> pendingUsers, ISet<string> leavingUsers)
        {
            _leaving = leavingUsers;
            var changes = new List<ProvisioningChange>();
            if (!_mapping.Mapping.Enabled) return changes;
            foreach (var id in directory.GroupsInScope)
            {
                var change = PlanInScope(id, directory, dropbox, pendingUsers);
                if (change != null) changes.Add(change);
            }
            // Not in scope any more: unassigned, filtered out, or deleted in Entra ID.
            foreach (var managed in _state.Groups.Values.Where(m => !directory.GroupsInScope.Contains(m.SourceId)).ToList())
                changes.Add(PlanLeft(managed, directory.RemovedGroups.Contains(managed.SourceId)));
            return changes;
        }

        /// <summary>A group in scope: created, updated, adopted, skipped, or nothing (null).</summary>
        private ProvisioningChange PlanInScope(string id, DirectorySnapshot directory, DropboxGroupSnapshot dropbox, ISet<string> pendingUsers)
        {
            var actions = _mapping.Mapping.Actions;
            _state.Groups.TryGetValue(id, out var managed);
            directory.Groups.TryGetValue(id, out var source);
            var target = managed != null ? dropbox.ById(managed.TargetId) : null;
            List<TargetValue> desired = null;
            if (source != null)
            {
                try { desired = _mapping.Evaluate(source, forCreate: target == null); }
                catch (Exception e) when (e is Mapping.Expressions.ExpressionException || e is Errors.DbxException)
                {
                    return Skip(id, source.DisplayIdentity, "the group mapping could not be evaluated: " + e.Message);
                }
            }
            var name = (string)desired?.FirstOrDefault(v => v.Path.Text == "displayName").Value ?? managed?.TargetIdentity;
            var matchedBy = (string)null;
            if (target == null && managed == null && name != null)
            {
                target = dropbox.ByName(name);
                if (target != null && _state.Groups.Values.Any(m => m.TargetId == (string)target["id"])) target = null;
                if (target != null) matchedBy = "displayName";
            }

            var members = directory.AssignedGroups.TryGetValue(id, out var set) ? set : new HashSet<string>();
            if (target == null)
            {
                if (desired == null) return null; // unchanged and not in Dropbox: nothing known to create from
                if (!actions.Create) return Skip(id, name, "the Create target action is off for groups");
                var create = new ProvisioningChange
                {
                    ObjectType = ObjectType.Group, Planned = ChangeAction.Create, SourceId = id, SourceIdentity = name, TargetIdentity = name,
                    Values = desired, Desired = desired, SourceMembers = members, CurrentMembers = new HashSet<string>(StringComparer.Ordinal),
                    Reason = "assigned in Entra ID and not in Dropbox",
                };
                foreach (var value in desired) create.ModifiedProperties.Add(new ModifiedProperty(value.Path.Text, null, ValueText.Of(value.Value)));
                AddMemberSummary(create, pendingUsers);
                return create;
            }
            return PlanUpdate(id, name, managed, target, matchedBy, desired, members, dropbox, pendingUsers);
        }

        /// <summary>A group Dropbox has (managed, or matched by name): what differs is updated; a match with nothing to change is adopted.</summary>
        private ProvisioningChange PlanUpdate(string id, string name, ManagedObject managed, JObject target, string matchedBy, List<TargetValue> desired,
            HashSet<string> members, DropboxGroupSnapshot dropbox, ISet<string> pendingUsers)
        {
            var update = new ProvisioningChange
            {
                ObjectType = ObjectType.Group, Planned = ChangeAction.Update, SourceId = id, SourceIdentity = name,
                TargetId = (string)target["id"], TargetIdentity = (string)target["displayName"], Existing = target, MatchedBy = matchedBy ?? managed?.MatchedBy,
                IsAdoption = managed == null, Desired = desired, SourceMembers = members,
                CurrentMembers = dropbox.MembersOf((string)target["id"]) ?? new HashSet<string>(StringComparer.Ordinal),
                Reason = managed == null ? "adopted: matched an existing Dropbox group by displayName" : "group differs",
            };
            foreach (var value in desired ?? new List<TargetValue>())
            {
                var current = value.Path.Get(target);
                if (JToken.DeepEquals(current, value.Value)) continue;
                if (managed != null && managed.TryGetDeclined(value.Path.Text, out var declined) && declined == ValueText.Of(value.Value)) continue;
                update.Values.Add(value);
                update.ModifiedProperties.Add(new ModifiedProperty(value.Path.Text, ValueText.Of(current), ValueText.Of(value.Value)));
            }
            if (RepairDrift) MarkDrift(update, managed);
            AddMemberSummary(update, pendingUsers);
            if (update.ModifiedProperties.Count == 0 && managed != null) return null;
            if (update.ModifiedProperties.Count == 0) { update.Planned = ChangeAction.Adopt; return update; }
            if (!_mapping.Mapping.Actions.Update) return Skip(id, name, "the group differs but the Update target action is off");
            return update;
        }

        /// <summary>A managed group no longer in scope: deleted where the Delete action is on.</summary>
        private ProvisioningChange PlanLeft(ManagedObject managed, bool removed)
        {
            if (!_mapping.Mapping.Actions.Delete)
                return Skip(managed.SourceId, managed.TargetIdentity, "out of scope, but the Delete target action is off for groups");
            if (!GroupOwnership.MayDelete(managed, _takeOver))
            {
                // Matched by name, not created: let go of, with only the members the engine added taken out.
                var added = GroupOwnership.Added(managed);
                var removing = (managed.Members ?? new HashSet<string>()).Count(added.Contains);
                var release = new ProvisioningChange
                {
                    ObjectType = ObjectType.Group, Planned = ChangeAction.Other, SourceId = managed.SourceId, SourceIdentity = managed.TargetIdentity,
                    TargetId = managed.TargetId, TargetIdentity = managed.TargetIdentity,
                    Reason = (removed ? "deleted in Entra ID" : "no longer assigned to Dropbox or filtered out")
                        + "; the engine did not create this Dropbox group (it matched it by name), so the group stays and only the members the engine added are removed (TakeOverDropboxGroups is off)",
                };
                if (removing > 0) release.ModifiedProperties.Add(new ModifiedProperty("members", $"{managed.Members.Count}", $"+0 -{removing}"));
                return release;
            }
            return new ProvisioningChange
            {
                ObjectType = ObjectType.Group, Planned = ChangeAction.Delete, SourceId = managed.SourceId, SourceIdentity = managed.TargetIdentity,
                TargetId = managed.TargetId, TargetIdentity = managed.TargetIdentity,
                Reason = removed ? "deleted in Entra ID" : "no longer assigned to Dropbox or filtered out",
                ModifiedProperties = { new ModifiedProperty("(group)", managed.TargetIdentity, null) },
            };
        }

        private static ProvisioningChange Skip(string id, string identity, string reason) => new ProvisioningChange
        {
            ObjectType = ObjectType.Group, Planned = ChangeAction.Skip, SourceId = id, SourceIdentity = identity, PlannedStatus = ChangeStatus.Skipped, Reason = reason,
        };

        /// <summary>Drift on a managed group: its mapped values and its members as Dropbox holds them, against what the engine last wrote.</summary>
        private void MarkDrift(ProvisioningChange update, ManagedObject managed)
        {
            if (managed == null) return;
            DriftCheck.MarkValues(update, managed);
            if (_accounts == null)
            {
                _accounts = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var user in _state.Users.Values) if (user.TargetId != null) _accounts[user.TargetId] = user.TargetIdentity;
            }
            var wanted = ManagedRecords.ResolveMembers(_state, update.SourceMembers.Where(m => !_leaving.Contains(m)), out _);
            DriftCheck.MarkMembers(update, managed, wanted, _accounts, _takeOver);
        }

        /// <summary>The member changes as the plan sees them now: Dropbox ids of provisioned members, plus members still to be created.</summary>
        private void AddMemberSummary(ProvisioningChange change, ISet<string> pendingUsers)
        {
            var resolved = ManagedRecords.ResolveMembers(_state, change.SourceMembers.Where(m => !_leaving.Contains(m)), out var unresolved);
            var pending = change.SourceMembers.Count(pendingUsers.Contains);
            var add = resolved.Count(m => !change.CurrentMembers.Contains(m)) + pending;
            _state.Groups.TryGetValue(change.SourceId, out var managed);
            var remove = GroupOwnership.Removable(managed, change.CurrentMembers.Where(m => !resolved.Contains(m)).ToList(), _takeOver, change.DriftRemovals).Count;
            if (add > 0 || remove > 0) change.ModifiedProperties.Add(new ModifiedProperty("members", $"{change.CurrentMembers.Count}", $"+{add} -{remove}"));
            var leftOut = unresolved - pending;
            if (leftOut > 0) change.PlannedDetails = $"{leftOut} member(s) are not provisioned in Dropbox and are left out";
        }
    }
}
