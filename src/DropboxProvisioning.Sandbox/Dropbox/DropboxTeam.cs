using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace DropboxProvisioning.Sandbox.Dropbox
{
    /// <summary>
    /// The Dropbox team: members and groups, one model that every Dropbox API surface (SCIM 2.0 today, Team API v2
    /// later) looks at. Field names and refusals follow team.stone. Thread-safe: one lock guards the whole team, and
    /// every read hands out clones. Ids come from counters so runs are repeatable.
    /// </summary>
    public sealed partial class DropboxTeam
    {
        private static readonly Regex EmailShape = new Regex(@"^[^@\s]+@[^@\s]+\.[^@\s.]+$", RegexOptions.CultureInvariant);
        private const int MaxNamePart = 100; // team.stone common.OptionalNamePart
        private const int MaxEmailLength = 255; // common.EmailAddress

        private readonly object _gate = new object();
        // Every member ever added, removed ones too (the Team API lists them with include_removed).
        private readonly Dictionary<string, DropboxMember> _membersById = new Dictionary<string, DropboxMember>(StringComparer.Ordinal);
        // Indexes over members that are still on the team: the same e-mail or external id may be reused after removal.
        private readonly Dictionary<string, DropboxMember> _membersByEmail = new Dictionary<string, DropboxMember>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, DropboxMember> _membersByExternalId = new Dictionary<string, DropboxMember>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, DropboxMember> _membersByPersistentId = new Dictionary<string, DropboxMember>(StringComparer.Ordinal);
        // Creation order, for stable paging; removed members are dropped lazily so a page costs O(page), not O(team).
        private readonly List<DropboxMember> _memberOrder = new List<DropboxMember>();
        private int _removedInOrder;

        private readonly Dictionary<string, DropboxGroup> _groupsById = new Dictionary<string, DropboxGroup>(StringComparer.Ordinal);
        private readonly Dictionary<string, DropboxGroup> _groupsByName = new Dictionary<string, DropboxGroup>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, DropboxGroup> _groupsByExternalId = new Dictionary<string, DropboxGroup>(StringComparer.OrdinalIgnoreCase);
        private readonly List<DropboxGroup> _groupOrder = new List<DropboxGroup>();
        // team_member_id -> group_ids, so removing a member leaves its groups in O(its groups).
        private readonly Dictionary<string, HashSet<string>> _groupsOfMember = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        private long _memberCounter;
        private long _groupCounter;

        public DropboxTeam(string teamName = "Contoso", string scimToken = SandboxCredentials.ScimToken)
        {
            TeamName = teamName;
            ScimToken = scimToken;
        }

        public string TeamName { get; }

        /// <summary>The bearer token the SCIM endpoint accepts (Admin console > Settings > SCIM token).</summary>
        public string ScimToken { get; set; }

        /// <summary>Licenses the team has bought; 0 means unlimited. Invited, active and suspended members use one.</summary>
        public int LicenseLimit { get; set; }

        /// <summary>Members' custom space limits in GB (member_space_limits/*), by team_member_id; absent: the team's default.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, long> CustomQuotas { get; } = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);

        /// <summary>The team's clock; tests set it to make timestamps repeatable.</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>Members holding a license (everyone not removed).</summary>
        public int LicensesUsed { get { lock (_gate) return _memberOrder.Count - _removedInOrder; } }

        // ---------------------------------------------------------------- members

        /// <summary>Every member not removed, in the order they were added (clones).</summary>
        public IReadOnlyList<DropboxMember> Members
        {
            get { lock (_gate) { Compact(); return _memberOrder.Select(m => m.Clone()).ToList(); } }
        }

        /// <summary>Every member ever added, removed ones included (the Team API's include_removed).</summary>
        public IReadOnlyList<DropboxMember> AllMembers
        {
            get { lock (_gate) return _membersById.Values.OrderBy(m => m.Created).ThenBy(m => m.TeamMemberId, StringComparer.Ordinal).Select(m => m.Clone()).ToList(); }
        }

        /// <summary>Number of members not removed.</summary>
        public int MemberCount { get { lock (_gate) return _memberOrder.Count - _removedInOrder; } }

        /// <summary>One page of the members not removed, in creation order; O(count) so a 100,000-member team pages cheaply.</summary>
        public IReadOnlyList<DropboxMember> GetMembersPage(int offset, int count, out int total)
        {
            if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset));
            lock (_gate)
            {
                Compact();
                total = _memberOrder.Count;
                var page = new List<DropboxMember>(Math.Max(0, Math.Min(count, total - offset)));
                for (var i = offset; i < total && page.Count < count; i++) page.Add(_memberOrder[i].Clone());
                return page;
            }
        }

        /// <summary>Adds a member as members/add does; status Invited unless told otherwise (seeding a team).</summary>
        public DropboxMember AddMember(string email, string givenName, string surname,
            DropboxMemberStatus status = DropboxMemberStatus.Invited, string externalId = null)
        {
            return AddMember(new DropboxMember
            {
                Email = email, GivenName = givenName, Surname = surname, Status = status, ExternalId = externalId,
            });
        }

        /// <summary>Adds a member from a template (email, names, external/persistent id, role, status, SCIM extras).</summary>
        public DropboxMember AddMember(DropboxMember template)
        {
            if (template == null) throw new ArgumentNullException(nameof(template));
            if (template.Status == DropboxMemberStatus.Removed)
                throw new ArgumentException("A member cannot be added as removed.", nameof(template));
            lock (_gate)
            {
                var member = template.Clone();
                member.Email = member.Email?.Trim();
                ValidateProfile(member, null);
                if (LicenseLimit > 0 && _memberOrder.Count - _removedInOrder >= LicenseLimit)
                    throw new DropboxTeamException("team_license_limit",
                        $"Team is already full: all {LicenseLimit} licenses are in use, so {member.Email} cannot be added.");

                var n = ++_memberCounter;
                var now = Clock();
                member.TeamMemberId = "dbmid:AAD" + n.ToString("D10", CultureInfo.InvariantCulture);
                member.AccountId = "dbid:AAE" + n.ToString("D10", CultureInfo.InvariantCulture);
                member.Role = member.Role ?? "member_only";
                member.MembershipType = member.MembershipType ?? "full";
                member.DisplayName = string.IsNullOrEmpty(member.DisplayName) ? DefaultDisplayName(member) : member.DisplayName;
                member.Created = now;
                member.LastModified = now;
                member.Version = 1;
                member.InvitedOn = member.Status == DropboxMemberStatus.Invited ? now : (DateTimeOffset?)null;
                member.JoinedOn = member.Status == DropboxMemberStatus.Invited ? (DateTimeOffset?)null : now;
                member.SuspendedOn = member.Status == DropboxMemberStatus.Suspended ? now : (DateTimeOffset?)null;
                // Dropbox only knows an address is owned once the person has signed in with it.
                member.EmailVerified = member.Status != DropboxMemberStatus.Invited;

                _membersById.Add(member.TeamMemberId, member);
                _memberOrder.Add(member);
                Index(member);
                return member.Clone();
            }
        }

        /// <summary>The member with this team_member_id, removed ones included (check Status); null if none.</summary>
        public DropboxMember GetMember(string teamMemberId)
        {
            if (teamMemberId == null) return null;
            lock (_gate) return _membersById.TryGetValue(teamMemberId, out var m) ? m.Clone() : null;
        }

        /// <summary>The members with these team_member_ids, under one lock (a group's member list); unknown ids are skipped.</summary>
        public IReadOnlyDictionary<string, DropboxMember> GetMembers(IEnumerable<string> teamMemberIds)
        {
            var found = new Dictionary<string, DropboxMember>(StringComparer.Ordinal);
            lock (_gate)
                foreach (var id in teamMemberIds)
                    if (id != null && !found.ContainsKey(id) && _membersById.TryGetValue(id, out var m)) found[id] = m.Clone();
            return found;
        }

        /// <summary>The member on the team (not removed) with this e-mail, ignoring case; null if none.</summary>
        public DropboxMember FindByEmail(string email)
        {
            if (email == null) return null;
            lock (_gate) return _membersByEmail.TryGetValue(email.Trim(), out var m) ? m.Clone() : null;
        }

        /// <summary>The member on the team (not removed) with this external_id, ignoring case; null if none.</summary>
        public DropboxMember FindByExternalId(string externalId)
        {
            if (externalId == null) return null;
            lock (_gate) return _membersByExternalId.TryGetValue(externalId, out var m) ? m.Clone() : null;
        }

        /// <summary>
        /// Changes a member atomically: <paramref name="edit"/> works on a copy, which replaces the member only if the
        /// whole result is valid (profile, uniqueness, status transition). Ids and timestamps are the team's to keep.
        /// </summary>
        public DropboxMember UpdateMember(string teamMemberId, Action<DropboxMember> edit)
        {
            if (edit == null) throw new ArgumentNullException(nameof(edit));
            lock (_gate)
            {
                var current = RequireMember(teamMemberId, "set_profile_disallowed");
                var next = current.Clone();
                edit(next);
                next.Email = next.Email?.Trim();
                next.TeamMemberId = current.TeamMemberId;
                next.AccountId = current.AccountId;
                next.Created = current.Created;
                if (next.Status == DropboxMemberStatus.Removed)
                    throw new ArgumentException("Use RemoveMember to remove a member.", nameof(edit));
                ValidateProfile(next, current);
                var now = Clock();
                ApplyTransition(current, next, now);
                if (!SameAsBefore(current, next))
                {
                    if (NamesChangedOnly(current, next) && current.DisplayName == DefaultDisplayName(current))
                        next.DisplayName = DefaultDisplayName(next);
                    next.LastModified = now;
                    next.Version = current.Version + 1;
                    Unindex(current);
                    CopyInto(next, current);
                    Index(current);
                }
                return current.Clone();
            }
        }

        /// <summary>members/set_profile: new e-mail, names and external id; a null argument leaves the field as it is.</summary>
        public DropboxMember SetProfile(string teamMemberId, string email = null, string givenName = null, string surname = null, string externalId = null)
            => UpdateMember(teamMemberId, m =>
            {
                if (email != null) m.Email = email;
                if (givenName != null) m.GivenName = givenName;
                if (surname != null) m.Surname = surname;
                if (externalId != null) m.ExternalId = externalId.Length == 0 ? null : externalId;
            });

        /// <summary>Invited -> active, as when the person accepts the invitation and joins.</summary>
        public void AcceptInvitation(string teamMemberId)
        {
            lock (_gate)
            {
                var member = RequireMember(teamMemberId, "user_not_found");
                if (member.Status != DropboxMemberStatus.Invited)
                    throw new DropboxTeamException("user_not_invited", $"{member.Email} is {Tag(member.Status)}, not invited.");
                UpdateMember(teamMemberId, m => m.Status = DropboxMemberStatus.Active);
            }
        }

        /// <summary>
        /// A share (0 to 1) of the members still invited accept their invitations and join, the longest invited first (at
        /// least one while any is invited and the share is above 0), as people do over the days after they are invited.
        /// Returns those who joined.
        /// </summary>
        public IReadOnlyList<DropboxMember> AcceptInvitations(double share)
        {
            if (double.IsNaN(share) || share < 0 || share > 1) throw new ArgumentOutOfRangeException(nameof(share), "The share is between 0 and 1.");
            lock (_gate)
            {
                var invited = _memberOrder.Where(m => m.Status == DropboxMemberStatus.Invited).OrderBy(m => m.InvitedOn ?? m.Created).ThenBy(m => m.Created).ToList();
                if (share == 0 || invited.Count == 0) return new DropboxMember[0];
                var count = Math.Max(1, (int)Math.Round(invited.Count * share, MidpointRounding.AwayFromZero));
                var joined = new List<DropboxMember>();
                foreach (var member in invited.Take(count))
                {
                    AcceptInvitation(member.TeamMemberId);
                    joined.Add(RequireMember(member.TeamMemberId, "user_not_found").Clone());
                }
                return joined;
            }
        }

        /// <summary>The member with this e-mail accepts its invitation (on demand, from a script: $connection.Sandbox.Dropbox.AcceptInvitationOf('a@b.com')).</summary>
        public DropboxMember AcceptInvitationOf(string email)
        {
            var member = FindByEmail(email) ?? throw new DropboxTeamException("user_not_found", $"No member has the e-mail {email}.");
            AcceptInvitation(member.TeamMemberId);
            return FindByEmail(email);
        }

        /// <summary>members/suspend: only an active member can be suspended (suspend_inactive_user otherwise).</summary>
        public DropboxMember Suspend(string teamMemberId) => UpdateMember(teamMemberId, m => m.Status = DropboxMemberStatus.Suspended);

        /// <summary>members/unsuspend: only a suspended member can be unsuspended.</summary>
        public DropboxMember Unsuspend(string teamMemberId)
        {
            lock (_gate)
            {
                var member = RequireMember(teamMemberId, "user_not_found");
                if (member.Status != DropboxMemberStatus.Suspended)
                    throw new DropboxTeamException("unsuspend_non_suspended_member", $"{member.Email} is not suspended.");
                return UpdateMember(teamMemberId, m => m.Status = DropboxMemberStatus.Active);
            }
        }

        /// <summary>members/remove: the member leaves the team and every group; its e-mail becomes free again.</summary>
        public void RemoveMember(string teamMemberId)
        {
            lock (_gate)
            {
                var member = RequireMember(teamMemberId, "user_not_found");
                Unindex(member);
                member.Status = DropboxMemberStatus.Removed;
                member.InvitedOn = null;
                member.SuspendedOn = null;
                member.LastModified = Clock();
                member.Version++;
                _removedInOrder++;
                if (_groupsOfMember.TryGetValue(teamMemberId, out var groupIds))
                {
                    foreach (var groupId in groupIds)
                    {
                        var group = _groupsById[groupId];
                        group.MemberIds.Remove(teamMemberId);
                        group.LastModified = member.LastModified;
                        group.Version++;
                    }
                    _groupsOfMember.Remove(teamMemberId);
                }
            }
        }

        /// <summary>group_ids of the groups this member belongs to (TeamMemberProfile.groups).</summary>
        public IReadOnlyList<string> GroupIdsOf(string teamMemberId)
        {
            lock (_gate)
                return _groupsOfMember.TryGetValue(teamMemberId ?? "", out var ids)
                    ? _groupOrder.Where(g => ids.Contains(g.GroupId)).Select(g => g.GroupId).ToList()
                    : new List<string>();
        }

        // ---------------------------------------------------------------- groups

        /// <summary>Every group, in the order they were created (clones).</summary>
        public IReadOnlyList<DropboxGroup> Groups
        {
            get { lock (_gate) return _groupOrder.Select(g => g.Clone()).ToList(); }
        }

        /// <summary>groups/create. Names are unique ignoring case (group_name_already_used).</summary>
        public DropboxGroup AddGroup(string name, string externalId = null)
            => AddGroup(name, externalId, Array.Empty<string>());

        /// <summary>groups/create followed by groups/members/add, as one step (a SCIM POST with members).</summary>
        public DropboxGroup AddGroup(string name, string externalId, IEnumerable<string> memberIds, string managementType = "company_managed")
        {
            lock (_gate)
            {
                var group = new DropboxGroup
                {
                    GroupName = name?.Trim(),
                    GroupExternalId = string.IsNullOrEmpty(externalId) ? null : externalId,
                    ManagementType = managementType ?? "company_managed",
                    MemberIds = new HashSet<string>(memberIds ?? Array.Empty<string>(), StringComparer.Ordinal),
                };
                ValidateGroup(group, null);
                var n = ++_groupCounter;
                var now = Clock();
                group.GroupId = "g:5a4d0000000000000000" + n.ToString("x12", CultureInfo.InvariantCulture);
                group.Created = now;
                group.LastModified = now;
                group.Version = 1;
                _groupsById.Add(group.GroupId, group);
                _groupOrder.Add(group);
                IndexGroup(group);
                return group.Clone();
            }
        }

        public DropboxGroup GetGroup(string groupId)
        {
            if (groupId == null) return null;
            lock (_gate) return _groupsById.TryGetValue(groupId, out var g) ? g.Clone() : null;
        }

        /// <summary>The group with this name, ignoring case; null if none.</summary>
        public DropboxGroup FindGroupByName(string name)
        {
            if (name == null) return null;
            lock (_gate) return _groupsByName.TryGetValue(name.Trim(), out var g) ? g.Clone() : null;
        }

        public DropboxGroup FindGroupByExternalId(string externalId)
        {
            if (externalId == null) return null;
            lock (_gate) return _groupsByExternalId.TryGetValue(externalId, out var g) ? g.Clone() : null;
        }

        /// <summary>Changes a group atomically: <paramref name="edit"/> works on a copy that replaces the group only if valid.</summary>
        public DropboxGroup UpdateGroup(string groupId, Action<DropboxGroup> edit)
        {
            if (edit == null) throw new ArgumentNullException(nameof(edit));
            lock (_gate)
            {
                if (groupId == null || !_groupsById.TryGetValue(groupId, out var current))
                    throw new DropboxTeamException("group_not_found", $"No group has the id {groupId}.");
                var next = current.Clone();
                edit(next);
                next.GroupId = current.GroupId;
                next.Created = current.Created;
                next.GroupName = next.GroupName?.Trim();
                if (string.IsNullOrEmpty(next.GroupExternalId)) next.GroupExternalId = null;
                ValidateGroup(next, current);
                var changed = next.GroupName != current.GroupName || next.GroupExternalId != current.GroupExternalId
                    || next.ManagementType != current.ManagementType || !next.MemberIds.SetEquals(current.MemberIds);
                if (changed)
                {
                    UnindexGroup(current);
                    current.GroupName = next.GroupName;
                    current.GroupExternalId = next.GroupExternalId;
                    current.ManagementType = next.ManagementType;
                    current.MemberIds = next.MemberIds;
                    current.LastModified = Clock();
                    current.Version++;
                    IndexGroup(current);
                }
                return current.Clone();
            }
        }

        /// <summary>groups/members/add; members already in the group are left alone.</summary>
        public DropboxGroup AddGroupMembers(string groupId, IEnumerable<string> teamMemberIds)
            => UpdateGroup(groupId, g => { foreach (var id in teamMemberIds) g.MemberIds.Add(id); });

        /// <summary>groups/members/remove; ids not in the group are ignored.</summary>
        public DropboxGroup RemoveGroupMembers(string groupId, IEnumerable<string> teamMemberIds)
            => UpdateGroup(groupId, g => { foreach (var id in teamMemberIds) g.MemberIds.Remove(id); });

        /// <summary>groups/delete.</summary>
        public void DeleteGroup(string groupId)
        {
            lock (_gate)
            {
                if (groupId == null || !_groupsById.TryGetValue(groupId, out var group))
                    throw new DropboxTeamException("group_not_found", $"No group has the id {groupId}.");
                UnindexGroup(group);
                _groupsById.Remove(groupId);
                _groupOrder.Remove(group);
            }
        }

        // ---------------------------------------------------------------- internals

        private DropboxMember RequireMember(string teamMemberId, string removedTag)
        {
            if (teamMemberId == null || !_membersById.TryGetValue(teamMemberId, out var member))
                throw new DropboxTeamException("user_not_found", $"No member has the id {teamMemberId}.");
            if (member.Status == DropboxMemberStatus.Removed)
                throw new DropboxTeamException(removedTag, $"{member.Email} has been removed from the team.");
            return member;
        }

        private void ValidateProfile(DropboxMember next, DropboxMember current)
        {
            if (string.IsNullOrEmpty(next.Email) || !EmailShape.IsMatch(next.Email))
                throw new DropboxTeamException("invalid_email", $"'{next.Email}' is not an e-mail address.");
            if (next.Email.Length > MaxEmailLength) // common.EmailAddress: max_length=255
                throw new DropboxTeamException("invalid_email", $"E-mail addresses are limited to {MaxEmailLength} characters; this one has {next.Email.Length}.");
            if ((next.GivenName?.Length ?? 0) > MaxNamePart || (next.Surname?.Length ?? 0) > MaxNamePart)
                throw new DropboxTeamException("invalid_name", $"Name parts are limited to {MaxNamePart} characters.");
            if (_membersByEmail.TryGetValue(next.Email, out var byEmail) && byEmail != current)
                throw new DropboxTeamException(current == null ? "user_already_on_team" : "email_reserved_for_other_user",
                    $"{next.Email} is already on the team ({byEmail.TeamMemberId}).");
            if (!string.IsNullOrEmpty(next.ExternalId) && _membersByExternalId.TryGetValue(next.ExternalId, out var byExt) && byExt != current)
                throw new DropboxTeamException(current == null ? "duplicate_external_member_id" : "external_id_used_by_other_user",
                    $"The external id {next.ExternalId} is already used by {byExt.Email}.");
            if (!string.IsNullOrEmpty(next.PersistentId) && _membersByPersistentId.TryGetValue(next.PersistentId, out var byPid) && byPid != current)
                throw new DropboxTeamException("duplicate_member_persistent_id",
                    $"The persistent id {next.PersistentId} is already used by {byPid.Email}.");
        }

        private static void ApplyTransition(DropboxMember current, DropboxMember next, DateTimeOffset now)
        {
            if (next.Status == current.Status) return;
            switch (current.Status, next.Status)
            {
                case (DropboxMemberStatus.Invited, DropboxMemberStatus.Active):
                    next.JoinedOn = now; next.InvitedOn = null; next.EmailVerified = true; break;
                case (DropboxMemberStatus.Active, DropboxMemberStatus.Suspended):
                    next.SuspendedOn = now; break;
                case (DropboxMemberStatus.Suspended, DropboxMemberStatus.Active):
                    next.SuspendedOn = null; break;
                case (DropboxMemberStatus.Invited, DropboxMemberStatus.Suspended):
                    throw new DropboxTeamException("suspend_inactive_user", $"{current.Email} has not joined yet, so it cannot be suspended.");
                case (_, DropboxMemberStatus.Invited):
                    throw new DropboxTeamException("invalid_status_change", $"{current.Email} has already joined; it cannot be invited again.");
                default:
                    throw new DropboxTeamException("invalid_status_change", $"{current.Email} cannot go from {Tag(current.Status)} to {Tag(next.Status)}.");
            }
        }

        private void ValidateGroup(DropboxGroup next, DropboxGroup current)
        {
            if (string.IsNullOrWhiteSpace(next.GroupName))
                throw new DropboxTeamException("group_name_invalid", "A group name cannot be empty.");
            if (_groupsByName.TryGetValue(next.GroupName, out var byName) && byName != current)
                throw new DropboxTeamException("group_name_already_used", $"The group name '{next.GroupName}' is already used by {byName.GroupId}.");
            if (next.GroupExternalId != null && _groupsByExternalId.TryGetValue(next.GroupExternalId, out var byExt) && byExt != current)
                throw new DropboxTeamException("external_id_already_in_use", $"The external id {next.GroupExternalId} is already used by {byExt.GroupId}.");
            var missing = next.MemberIds
                .Where(id => (current == null || !current.MemberIds.Contains(id))
                    && !(_membersById.TryGetValue(id, out var m) && m.Status != DropboxMemberStatus.Removed))
                .ToList();
            if (missing.Count > 0)
                throw new DropboxTeamException("members_not_in_team", "These members are not on the team: " + string.Join(", ", missing.Take(10)) + ".");
        }

        private void Index(DropboxMember m)
        {
            _membersByEmail[m.Email] = m;
            if (!string.IsNullOrEmpty(m.ExternalId)) _membersByExternalId[m.ExternalId] = m;
            if (!string.IsNullOrEmpty(m.PersistentId)) _membersByPersistentId[m.PersistentId] = m;
        }

        private void Unindex(DropboxMember m)
        {
            _membersByEmail.Remove(m.Email);
            if (!string.IsNullOrEmpty(m.ExternalId)) _membersByExternalId.Remove(m.ExternalId);
            if (!string.IsNullOrEmpty(m.PersistentId)) _membersByPersistentId.Remove(m.PersistentId);
        }

        private void IndexGroup(DropboxGroup g)
        {
            _groupsByName[g.GroupName] = g;
            if (g.GroupExternalId != null) _groupsByExternalId[g.GroupExternalId] = g;
            foreach (var memberId in g.MemberIds)
            {
                if (!_groupsOfMember.TryGetValue(memberId, out var set))
                    _groupsOfMember[memberId] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(g.GroupId);
            }
        }

        private void UnindexGroup(DropboxGroup g)
        {
            _groupsByName.Remove(g.GroupName);
            if (g.GroupExternalId != null) _groupsByExternalId.Remove(g.GroupExternalId);
            foreach (var memberId in g.MemberIds)
            {
                if (_groupsOfMember.TryGetValue(memberId, out var set))
                {
                    set.Remove(g.GroupId);
                    if (set.Count == 0) _groupsOfMember.Remove(memberId);
                }
            }
        }

        private void Compact()
        {
            if (_removedInOrder == 0) return;
            _memberOrder.RemoveAll(m => m.Status == DropboxMemberStatus.Removed);
            _removedInOrder = 0;
        }

        private static string DefaultDisplayName(DropboxMember m) => ((m.GivenName ?? "") + " " + (m.Surname ?? "")).Trim();

        private static bool NamesChangedOnly(DropboxMember before, DropboxMember after) =>
            after.DisplayName == before.DisplayName && (after.GivenName != before.GivenName || after.Surname != before.Surname);

        private static bool SameAsBefore(DropboxMember a, DropboxMember b) =>
            a.Email == b.Email && a.EmailVerified == b.EmailVerified && a.GivenName == b.GivenName && a.Surname == b.Surname
            && a.DisplayName == b.DisplayName && a.ExternalId == b.ExternalId && a.PersistentId == b.PersistentId
            && a.Status == b.Status && a.Role == b.Role && a.MembershipType == b.MembershipType
            && Newtonsoft.Json.Linq.JToken.DeepEquals(a.ScimExtras, b.ScimExtras);

        private static void CopyInto(DropboxMember from, DropboxMember to)
        {
            to.Email = from.Email; to.EmailVerified = from.EmailVerified;
            to.GivenName = from.GivenName; to.Surname = from.Surname; to.DisplayName = from.DisplayName;
            to.ExternalId = string.IsNullOrEmpty(from.ExternalId) ? null : from.ExternalId;
            to.PersistentId = string.IsNullOrEmpty(from.PersistentId) ? null : from.PersistentId;
            to.Status = from.Status; to.Role = from.Role; to.MembershipType = from.MembershipType;
            to.InvitedOn = from.InvitedOn; to.JoinedOn = from.JoinedOn; to.SuspendedOn = from.SuspendedOn;
            to.LastModified = from.LastModified; to.Version = from.Version;
            to.ScimExtras = from.ScimExtras;
        }

        internal static string Tag(DropboxMemberStatus status) => status.ToString().ToLowerInvariant();
    }
}
