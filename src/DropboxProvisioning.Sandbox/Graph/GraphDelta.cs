using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.Graph
{
    /// <summary>
    /// GET /v1.0/users/delta and /v1.0/groups/delta, as Graph's change tracking works:
    /// a round is a series of pages linked by @odata.nextLink ($skiptoken) and closed by @odata.deltaLink ($deltatoken).
    /// The first round returns every live object; a round from a deltaLink returns only the objects changed since,
    /// soft-deleted users as <c>"@removed":{"reason":"changed"}</c> and objects deleted for good as "deleted".
    /// Groups carry <c>members@delta</c> (all members in the first round, then only the added and removed ones); a group
    /// with more than <see cref="SandboxOptions.GraphMembersPerDeltaItem"/> of them comes several times in the round, each
    /// item with the same properties and a part of members@delta, its parts spread over the round (delta-query-groups,
    /// "Paging through members in a large group": the client merges them). An update is reported only when it touches a
    /// property in $select (members for membership changes). <c>$deltatoken=latest</c> gives a deltaLink without data;
    /// a token Graph no longer knows answers 400 syncStateNotFound, one from before a synchronization reset 410 Gone.
    /// $expand (but members on groups), $top, $orderby, $search, $count and any $filter but ids are refused, as
    /// delta-query-overview and group-delta say; the page size is asked with Prefer: odata.maxpagesize.
    /// </summary>
    internal sealed class GraphDelta
    {
        private const int MaxSessions = 256;

        /// <summary>One round in progress: what its pages list, fixed when the round starts.</summary>
        private sealed class Session
        {
            public string Id;
            public ChangeTarget Target;
            public string SelectRaw;
            public string[] Names;
            public bool IncludeMembers;
            public int Top;
            /// <summary>The round's items in order: an object id, and for a group its part of members@delta (null: none).</summary>
            public IReadOnlyList<KeyValuePair<string, MemberEntry[]>> Items;
            /// <summary>The ids a $filter=id eq ... limits the round to; null for every object.</summary>
            public HashSet<string> Filter;
            public long EndSequence;
            public int Epoch;
        }

        /// <summary>One entry of members@delta, held compactly until its page is rendered.</summary>
        private struct MemberEntry
        {
            public string Id;
            public bool IsGroup;
            public bool Removed;
        }

        private readonly DirectoryModel _directory;
        private readonly ConcurrentDictionary<string, Session> _sessions = new ConcurrentDictionary<string, Session>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _sessionOrder = new ConcurrentQueue<string>();
        private long _nextSession;

        public GraphDelta(DirectoryModel directory) { _directory = directory; }

        public HttpResponseMessage Handle(ChangeTarget target, ODataQuery query, string prefer)
        {
            var collection = target == ChangeTarget.User ? "users" : "groups";
            Session session;
            var offset = 0;
            if (query.SkipToken == null && string.IsNullOrEmpty(query.DeltaToken)) Refuse(target, query);
            if (query.SkipToken != null)
            {
                session = Resume(query.SkipToken, target, out offset);
            }
            else if (query.DeltaToken != null && query.DeltaToken.Equals("latest", StringComparison.OrdinalIgnoreCase))
            {
                var select = query.Get("$select");
                Names(target, query.Select, out _);
                var latest = DeltaToken(target, _directory.ChangeSequence, _directory.DeltaEpoch, PageSize(prefer), select, IdFilter(query));
                return Page(query, collection, select, new JObject[0], null, latest);
            }
            else if (!string.IsNullOrEmpty(query.DeltaToken))
            {
                session = FromDeltaToken(query.DeltaToken, target);
            }
            else
            {
                session = FirstRound(target, query, prefer);
            }

            var items = session.Items.Skip(offset).Take(session.Top).Select(item => Render(session, item)).ToList();
            var next = offset + session.Top;
            if (next < session.Items.Count)
                return Page(query, collection, session.SelectRaw, items, ODataQuery.EncodeToken(session.Id + "~" + next.ToString(CultureInfo.InvariantCulture)), null);
            return Page(query, collection, session.SelectRaw, items, null,
                DeltaToken(target, session.EndSequence, session.Epoch, session.Top, session.SelectRaw, session.Filter));
        }

        /// <summary>Members per item before a group is split across items; set by <see cref="SandboxOptions.GraphMembersPerDeltaItem"/>.</summary>
        public Func<int> MembersPerItem { get; set; } = () => SandboxOptions.DefaultGraphMembersPerDeltaItem;

        private const int MaxFilterIds = 50;
        private static readonly System.Text.RegularExpressions.Regex IdClause = new System.Text.RegularExpressions.Regex(
            @"^\s*id\s+eq\s+'([^']+)'\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>The query options delta refuses on users and groups (delta-query-overview; group-delta, user-delta).</summary>
        private static void Refuse(ChangeTarget target, ODataQuery query)
        {
            foreach (var option in new[] { "$top", "$orderby", "$search", "$count", "$skip" })
                if (query.Get(option) != null)
                    throw GraphException.UnsupportedQuery($"The {option} query option is not supported with delta.");
            var expand = query.Expand;
            if (expand != null && !(target == ChangeTarget.Group && expand.Trim().Equals("members", StringComparison.OrdinalIgnoreCase)))
                throw GraphException.UnsupportedQuery("$expand is not supported with delta" + (target == ChangeTarget.Group ? " except $expand=members." : "."));
            IdFilter(query);
        }

        /// <summary>The ids of "$filter=id eq '...' or id eq '...'" (at most 50), the only filter delta takes; null without $filter.</summary>
        private static HashSet<string> IdFilter(ODataQuery query)
        {
            var filter = query.Filter;
            if (filter == null) return null;
            var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var clause in System.Text.RegularExpressions.Regex.Split(filter, @"\s+or\s+", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            {
                var m = IdClause.Match(clause);
                if (!m.Success) throw GraphException.UnsupportedQuery("The only $filter delta supports is on id: $filter=id eq '{id}' [or id eq '{id}'...].");
                ids.Add(m.Groups[1].Value);
            }
            if (ids.Count > MaxFilterIds) throw GraphException.UnsupportedQuery($"A delta $filter may name at most {MaxFilterIds} objects.");
            return ids;
        }

        /// <summary>Prefer: odata.maxpagesize=N, how a delta client asks for a page size; 100 by default, 999 at most.</summary>
        private static int PageSize(string prefer)
        {
            var hint = prefer?.Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("odata.maxpagesize=", StringComparison.OrdinalIgnoreCase));
            if (hint != null && int.TryParse(hint.Substring("odata.maxpagesize=".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var size))
                return Math.Max(1, Math.Min(ODataQuery.MaxTop, size));
            return ODataQuery.DefaultTop;
        }

        private Session FirstRound(ChangeTarget target, ODataQuery query, string prefer)
        {
            var session = NewSession(target, query.Get("$select"), PageSize(prefer), IdFilter(query));
            session.EndSequence = _directory.Snapshot(target, out var ids);
            session.Epoch = _directory.DeltaEpoch;
            var wanted = session.Filter == null ? ids : ids.Where(session.Filter.Contains).ToList();
            if (target == ChangeTarget.User || !session.IncludeMembers)
            {
                session.Items = wanted.Select(id => new KeyValuePair<string, MemberEntry[]>(id, null)).ToList();
                return Store(session);
            }
            // Every member, read with the round (later changes come in the next round).
            session.Items = Split(wanted.Select(id => new KeyValuePair<string, List<MemberEntry>>(id,
                (_directory.MemberRefs(id) ?? new List<KeyValuePair<string, bool>>()).Select(m => new MemberEntry { Id = m.Key, IsGroup = m.Value }).ToList())), firstRound: true);
            return Store(session);
        }

        private Session FromDeltaToken(string token, ChangeTarget target)
        {
            var parts = ODataQuery.DecodeToken(token)?.Split(new[] { '|' }, 7);
            if (parts == null || parts.Length != 7 || parts[0] != "d" || parts[1] != target.ToString()
                || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var since)
                || !int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
                || !int.TryParse(parts[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var top)
                || since < 0 || since > _directory.ChangeSequence)
                throw GraphException.SyncStateNotFound();
            if (epoch != _directory.DeltaEpoch) throw _directory.WasReset(epoch) ? GraphException.SyncReset() : GraphException.SyncStateNotFound();

            var filter = parts[5].Length == 0 ? null : new HashSet<string>(parts[5].Split(','), StringComparer.OrdinalIgnoreCase);
            var session = NewSession(target, parts[6].Length == 0 ? null : parts[6], top, filter);
            var changes = _directory.ChangesSince(since);
            session.EndSequence = since + changes.Count;
            session.Epoch = epoch;
            // Each object once, ordered by its latest change that the round tracks; for groups, each member's latest change wins.
            var lastChange = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            var members = new Dictionary<string, Dictionary<string, DirectoryChange>>(StringComparer.OrdinalIgnoreCase);
            foreach (var change in changes.Where(c => c.Target == target && (filter == null || filter.Contains(c.ObjectId)) && Tracked(session, c)))
            {
                lastChange[change.ObjectId] = change.Sequence;
                if (change.MemberId == null) continue;
                if (!members.TryGetValue(change.ObjectId, out var perMember))
                    members[change.ObjectId] = perMember = new Dictionary<string, DirectoryChange>(StringComparer.OrdinalIgnoreCase);
                perMember[change.MemberId] = change;
            }
            var ids = lastChange.OrderBy(p => p.Value).Select(p => p.Key).ToList();
            if (target == ChangeTarget.User || !session.IncludeMembers)
            {
                session.Items = ids.Select(id => new KeyValuePair<string, MemberEntry[]>(id, null)).ToList();
                return Store(session);
            }
            session.Items = Split(ids.Select(id => new KeyValuePair<string, List<MemberEntry>>(id,
                members.TryGetValue(id, out var perMember)
                    ? perMember.Values.OrderBy(c => c.Sequence).Select(c => new MemberEntry { Id = c.MemberId, IsGroup = c.MemberIsGroup, Removed = c.MemberRemoved }).ToList()
                    : new List<MemberEntry>())), firstRound: false);
            return Store(session);
        }

        /// <summary>
        /// Whether a round tracks a change: a whole-object change always; a membership change when members are selected;
        /// an update when it touches a selected property (group-delta, user-delta: only the properties in $select are tracked).
        /// </summary>
        private static bool Tracked(Session session, DirectoryChange change)
        {
            if (change.MemberId != null) return session.IncludeMembers;
            if (change.Properties == null) return true;
            return change.Properties.Any(p => session.Names.Any(n => Affects(p, n)));
        }

        /// <summary>Whether a model property shows in a Graph property of the same name (or one derived from it).</summary>
        private static bool Affects(string modelProperty, string graphProperty) =>
            string.Equals(modelProperty, graphProperty, StringComparison.OrdinalIgnoreCase)
            || (modelProperty == nameof(DirectoryUser.Mail) && graphProperty == "proxyAddresses")
            || (modelProperty == nameof(DirectoryUser.UserType) && graphProperty == "externalUserState");

        /// <summary>
        /// A group's members@delta in items of at most <see cref="MembersPerItem"/>: the first part of every group in order,
        /// then the second parts, and so on, so that a large group's parts come anywhere in the round, as Graph's may.
        /// A group with no member entries is one item, with members@delta only in a first round (where it says "none").
        /// </summary>
        private IReadOnlyList<KeyValuePair<string, MemberEntry[]>> Split(IEnumerable<KeyValuePair<string, List<MemberEntry>>> groups, bool firstRound)
        {
            var size = Math.Max(1, MembersPerItem());
            var waves = new List<List<KeyValuePair<string, MemberEntry[]>>>();
            foreach (var group in groups)
            {
                var parts = group.Value.Count == 0 ? 1 : (group.Value.Count + size - 1) / size;
                for (var i = 0; i < parts; i++)
                {
                    if (waves.Count <= i) waves.Add(new List<KeyValuePair<string, MemberEntry[]>>());
                    var chunk = group.Value.GetRange(i * size, Math.Min(size, Math.Max(0, group.Value.Count - i * size))).ToArray();
                    waves[i].Add(new KeyValuePair<string, MemberEntry[]>(group.Key, chunk.Length == 0 && !firstRound ? null : chunk));
                }
            }
            return waves.SelectMany(w => w).ToList();
        }

        private Session Resume(string skipToken, ChangeTarget target, out int offset)
        {
            offset = 0;
            var text = ODataQuery.DecodeToken(skipToken);
            var tilde = text?.LastIndexOf('~') ?? -1;
            if (tilde < 0 || !_sessions.TryGetValue(text.Substring(0, tilde), out var session) || session.Target != target
                || !int.TryParse(text.Substring(tilde + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out offset)
                )
                throw GraphException.SyncStateNotFound();
            if (session.Epoch != _directory.DeltaEpoch) throw _directory.WasReset(session.Epoch) ? GraphException.SyncReset() : GraphException.SyncStateNotFound();
            return session;
        }

        private Session NewSession(ChangeTarget target, string selectRaw, int top, HashSet<string> filter)
        {
            var select = selectRaw?.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
            var names = Names(target, select, out var includeMembers);
            return new Session
            {
                Id = Interlocked.Increment(ref _nextSession).ToString(CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N"),
                Target = target,
                SelectRaw = selectRaw,
                Names = names,
                IncludeMembers = includeMembers,
                Top = top,
                Filter = filter,
            };
        }

        // Groups take "members" in $select to ask for members@delta; without $select they get it too.
        private static string[] Names(ChangeTarget target, IReadOnlyList<string> select, out bool includeMembers)
        {
            if (target == ChangeTarget.User)
            {
                includeMembers = false;
                return GraphShapes.User.Resolve(select);
            }
            includeMembers = select == null || select.Any(s => s.Equals("members", StringComparison.OrdinalIgnoreCase));
            var properties = select?.Where(s => !s.Equals("members", StringComparison.OrdinalIgnoreCase)).ToList();
            return GraphShapes.Group.Resolve(properties);
        }

        private Session Store(Session session)
        {
            _sessions[session.Id] = session;
            _sessionOrder.Enqueue(session.Id);
            // Old rounds are forgotten, as Graph forgets: a client resuming one gets 410 and starts over.
            while (_sessionOrder.Count > MaxSessions && _sessionOrder.TryDequeue(out var old))
                _sessions.TryRemove(old, out _);
            return session;
        }

        private JObject Render(Session session, KeyValuePair<string, MemberEntry[]> item)
        {
            var id = item.Key;
            if (session.Target == ChangeTarget.User)
            {
                var user = _directory.GetUserAnyState(id, out var state);
                if (state == ObjectState.Live) return GraphShapes.User.Render(user, session.Names);
                return Removed(id, state == ObjectState.SoftDeleted ? "changed" : "deleted");
            }

            var group = _directory.GetGroupProperties(id);
            if (group == null) return Removed(id, "deleted");
            var json = GraphShapes.Group.Render(group, session.Names);
            if (session.IncludeMembers && item.Value != null)
                json["members@delta"] = new JArray(item.Value.Select(m =>
                {
                    var entry = MemberRef(m.Id, m.IsGroup);
                    if (m.Removed) entry["@removed"] = new JObject { ["reason"] = "deleted" };
                    return entry;
                }));
            return json;
        }

        private static JObject MemberRef(string id, bool isGroup) => new JObject
        {
            ["@odata.type"] = isGroup ? "#microsoft.graph.group" : "#microsoft.graph.user",
            ["id"] = id,
        };

        private static JObject Removed(string id, string reason) => new JObject
        {
            ["id"] = id,
            ["@removed"] = new JObject { ["reason"] = reason },
        };

        private static string DeltaToken(ChangeTarget target, long sequence, int epoch, int top, string selectRaw, HashSet<string> filter) =>
            ODataQuery.EncodeToken(string.Join("|", "d", target.ToString(), sequence.ToString(CultureInfo.InvariantCulture),
                epoch.ToString(CultureInfo.InvariantCulture), top.ToString(CultureInfo.InvariantCulture),
                filter == null ? "" : string.Join(",", filter), selectRaw ?? ""));

        private static HttpResponseMessage Page(ODataQuery query, string collection, string selectRaw, IEnumerable<JObject> items, string skipToken, string deltaToken)
        {
            var path = "/v1.0/" + collection + "/delta";
            var body = new JObject
            {
                ["@odata.context"] = query.BaseAddress + "/v1.0/$metadata#" + collection + (selectRaw == null ? "" : "(" + selectRaw + ")"),
            };
            if (skipToken != null) body["@odata.nextLink"] = ODataQuery.Link(query.BaseAddress, path, "$skiptoken", skipToken);
            else body["@odata.deltaLink"] = ODataQuery.Link(query.BaseAddress, path, "$deltatoken", deltaToken);
            body["value"] = new JArray(items);
            return EmulatorResponse.Json(HttpStatusCode.OK, body);
        }
    }
}
