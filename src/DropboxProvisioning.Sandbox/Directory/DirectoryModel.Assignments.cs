using System;
using System.Collections.Generic;
using System.Linq;

namespace DropboxProvisioning.Sandbox.Directory
{
    public sealed partial class DirectoryModel
    {
        private readonly OrderedStore<AppRoleAssignment> _assignments = new OrderedStore<AppRoleAssignment>();
        // principal id -> its assignment ids, so assigning 100,000 users stays linear
        private readonly Dictionary<string, List<string>> _assignmentsByPrincipal = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Every assignment to the Dropbox service principal (copies), including those of soft-deleted users.</summary>
        public IReadOnlyList<AppRoleAssignment> Assignments
        {
            get { lock (_gate) return _assignments.Values.Select(a => a.Clone()).ToList(); }
        }

        /// <summary>
        /// Assigns a user or group to an app role of the Dropbox service principal: <see cref="SandboxCredentials.UserAppRoleId"/>
        /// or the all-zero Default Access role. Assignment changes do not show in users/delta, as in Entra.
        /// </summary>
        public AppRoleAssignment Assign(string principalId, string appRoleId) => AssignOwned(principalId, appRoleId).Clone();

        /// <summary>Assigns and returns the stored assignment itself (no copy): the bulk path of the tenant generator.</summary>
        internal AppRoleAssignment AssignOwned(string principalId, string appRoleId)
        {
            if (string.IsNullOrEmpty(appRoleId)) throw new ArgumentException("An app role id is required.", nameof(appRoleId));
            if (!Guid.TryParse(appRoleId, out _)) throw new ArgumentException($"'{appRoleId}' is not an app role id (a GUID).", nameof(appRoleId));
            lock (_gate)
            {
                string type, name, id;
                var user = FindLiveUser(principalId);
                var group = user == null ? _groups.Get(principalId) : null;
                if (user != null) { type = "User"; name = user.User.DisplayName; id = user.User.Id; }
                else if (group != null) { type = "Group"; name = group.Group.DisplayName; id = group.Group.Id; }
                else throw new ArgumentException($"There is no user or group with id '{principalId}' to assign.", nameof(principalId));

                if (!_assignmentsByPrincipal.TryGetValue(id, out var existing))
                    _assignmentsByPrincipal[id] = existing = new List<string>();
                foreach (var other in existing)
                    if (string.Equals(_assignments.Get(other).AppRoleId, appRoleId, StringComparison.OrdinalIgnoreCase))
                        throw new ArgumentException($"Permission being assigned already exists on the object ('{id}' already has app role '{appRoleId}').", nameof(appRoleId));

                var assignment = new AppRoleAssignment
                {
                    Id = AssignmentId(id),
                    PrincipalId = id,
                    PrincipalType = type,
                    PrincipalDisplayName = name,
                    AppRoleId = appRoleId.ToLowerInvariant(),
                    ResourceId = ServicePrincipalId,
                    CreatedDateTime = _clock(),
                };
                _assignments.Add(assignment.Id, assignment);
                existing.Add(assignment.Id);
                return assignment;
            }
        }

        /// <summary>Removes every assignment of the principal. Unknown principal: ArgumentException.</summary>
        public void Unassign(string principalId)
        {
            lock (_gate)
            {
                var id = _users.Get(principalId)?.User.Id ?? FindLiveUser(principalId)?.User.Id ?? _groups.Get(principalId)?.Group.Id;
                if (id == null && !_assignmentsByPrincipal.ContainsKey(principalId))
                    throw new ArgumentException($"There is no user or group with id '{principalId}'.", nameof(principalId));
                RemoveAssignmentsLocked(id ?? principalId);
            }
        }

        /// <summary>An assignment by its id (a copy), or null when there is none (or its user is in deleted items).</summary>
        public AppRoleAssignment GetAssignment(string assignmentId)
        {
            lock (_gate)
            {
                var assignment = assignmentId == null ? null : _assignments.Get(assignmentId);
                return assignment == null || _users.Get(assignment.PrincipalId)?.Deleted == true ? null : assignment.Clone();
            }
        }

        /// <summary>
        /// Removes one assignment, as DELETE /servicePrincipals/{id}/appRoleAssignedTo/{appRoleAssignmentId} does; true when
        /// it existed. Like every assignment change, it does not show in users/delta.
        /// </summary>
        public bool RemoveAssignment(string assignmentId)
        {
            lock (_gate)
            {
                var assignment = assignmentId == null ? null : _assignments.Get(assignmentId);
                if (assignment == null || _users.Get(assignment.PrincipalId)?.Deleted == true) return false;
                _assignments.Remove(assignment.Id);
                if (_assignmentsByPrincipal.TryGetValue(assignment.PrincipalId, out var ids))
                {
                    ids.RemoveAll(id => string.Equals(id, assignment.Id, StringComparison.Ordinal));
                    if (ids.Count == 0) _assignmentsByPrincipal.Remove(assignment.PrincipalId);
                }
                return true;
            }
        }

        /// <summary>
        /// One page of the service principal's appRoleAssignedTo, in creation order. Assignments of soft-deleted
        /// users are hidden while they are in deleted items.
        /// </summary>
        public Page<AppRoleAssignment> ListAssignments(long afterKey, int top)
        {
            lock (_gate)
                return TakePage(_assignments.After(afterKey), top, a => _users.Get(a.PrincipalId)?.Deleted != true, a => a.Clone());
        }

        private void RemoveAssignmentsLocked(string principalId)
        {
            if (!_assignmentsByPrincipal.TryGetValue(principalId, out var ids)) return;
            foreach (var id in ids) _assignments.Remove(id);
            _assignmentsByPrincipal.Remove(principalId);
        }

        // Entra's assignment ids are 43-character base64url keys that begin with the principal's object id bytes.
        private string AssignmentId(string principalId)
        {
            var bytes = new byte[32];
            var principal = Guid.TryParse(principalId, out var parsed) ? parsed : _newGuid();
            principal.ToByteArray().CopyTo(bytes, 0);
            _newGuid().ToByteArray().CopyTo(bytes, 16);
            return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
    }
}
