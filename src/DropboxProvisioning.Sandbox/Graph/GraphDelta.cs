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
    /// Groups carry <c>members@delta</c> (all members in the first round, then only the added and removed ones).
    /// <c>$deltatoken=latest</c> gives a deltaLink without data; a token Graph no longer knows answers 410.
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
            public IReadOnlyList<string> Ids;
            /// <summary>Null in a first round (members@delta lists every member); else the net member changes per group.</summary>
            public Dictionary<string, List<DirectoryChange>> MemberChanges;
            public long EndSequence;
            public int Epoch;
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
            if (query.SkipToken != null)
            {
                session = Resume(query.SkipToken, target, out offset);
            }
            else if (query.DeltaToken != null && query.DeltaToken.Equals("latest", StringComparison.OrdinalIgnoreCase))
            {
                var select = query.Get("$select");
                Names(target, query.Select, out _);
                var latest = DeltaToken(target, _directory.ChangeSequence, _directory.DeltaEpoch, query.Top(prefer), select);
                return Page(query, collection, select, new JObject[0], null, latest);
            }
            else if (query.DeltaToken != null)
            {
                session = FromDeltaToken(query.DeltaToken, target);
            }
            else
            {
                session = FirstRound(target, query, prefer);
            }

            var items = session.Ids.Skip(offset).Take(session.Top).Select(id => Render(session, id)).ToList();
            var next = offset + session.Top;
            if (next < session.Ids.Count)
                return Page(query, collection, session.SelectRaw, items, ODataQuery.EncodeToken(session.Id + "~" + next.ToString(CultureInfo.InvariantCulture)), null);
            return Page(query, collection, session.SelectRaw, items, null,
                DeltaToken(target, session.EndSequence, session.Epoch, session.Top, session.SelectRaw));
        }

        private Session FirstRound(ChangeTarget target, ODataQuery query, string prefer)
        {
            var session = NewSession(target, query.Get("$select"), query.Top(prefer));
            session.EndSequence = _directory.Snapshot(target, out var ids);
            session.Ids = ids;
            session.Epoch = _directory.DeltaEpoch;
            return Store(session);
        }

        private Session FromDeltaToken(string token, ChangeTarget target)
        {
            var parts = ODataQuery.DecodeToken(token)?.Split(new[] { '|' }, 6);
            if (parts == null || parts.Length != 6 || parts[0] != "d" || parts[1] != target.ToString()
                || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var since)
                || !int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
                || !int.TryParse(parts[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var top)
                || epoch != _directory.DeltaEpoch || since < 0 || since > _directory.ChangeSequence)
                throw GraphException.SyncStateNotFound();

            var session = NewSession(target, parts[5].Length == 0 ? null : parts[5], top);
            var changes = _directory.ChangesSince(since);
            session.EndSequence = since + changes.Count;
            session.Epoch = epoch;
            // Each object once, ordered by its latest change; for groups, each member's latest change wins.
            var lastChange = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            var members = new Dictionary<string, Dictionary<string, DirectoryChange>>(StringComparer.OrdinalIgnoreCase);
            foreach (var change in changes.Where(c => c.Target == target))
            {
                lastChange[change.ObjectId] = change.Sequence;
                if (change.MemberId == null) continue;
                if (!members.TryGetValue(change.ObjectId, out var perMember))
                    members[change.ObjectId] = perMember = new Dictionary<string, DirectoryChange>(StringComparer.OrdinalIgnoreCase);
                perMember[change.MemberId] = change;
            }
            session.Ids = lastChange.OrderBy(p => p.Value).Select(p => p.Key).ToList();
            session.MemberChanges = members.ToDictionary(p => p.Key, p => p.Value.Values.OrderBy(c => c.Sequence).ToList(), StringComparer.OrdinalIgnoreCase);
            return Store(session);
        }

        private Session Resume(string skipToken, ChangeTarget target, out int offset)
        {
            offset = 0;
            var text = ODataQuery.DecodeToken(skipToken);
            var tilde = text?.LastIndexOf('~') ?? -1;
            if (tilde < 0 || !_sessions.TryGetValue(text.Substring(0, tilde), out var session) || session.Target != target
                || !int.TryParse(text.Substring(tilde + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out offset)
                || session.Epoch != _directory.DeltaEpoch)
                throw GraphException.SyncStateNotFound();
            return session;
        }

        private Session NewSession(ChangeTarget target, string selectRaw, int top)
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

        private JObject Render(Session session, string id)
        {
            if (session.Target == ChangeTarget.User)
            {
                var user = _directory.GetUserAnyState(id, out var state);
                if (state == ObjectState.Live) return GraphShapes.User.Render(user, session.Names);
                return Removed(id, state == ObjectState.SoftDeleted ? "changed" : "deleted");
            }

            var group = _directory.GetGroup(id);
            if (group == null) return Removed(id, "deleted");
            var json = GraphShapes.Group.Render(group, session.Names);
            if (!session.IncludeMembers) return json;
            var delta = new JArray();
            if (session.MemberChanges == null)
            {
                foreach (var member in _directory.MemberRefs(id) ?? new List<KeyValuePair<string, bool>>())
                    delta.Add(MemberRef(member.Key, member.Value));
            }
            else if (session.MemberChanges.TryGetValue(id, out var changes))
            {
                foreach (var change in changes)
                {
                    var entry = MemberRef(change.MemberId, change.MemberIsGroup);
                    if (change.MemberRemoved) entry["@removed"] = new JObject { ["reason"] = "deleted" };
                    delta.Add(entry);
                }
            }
            if (delta.Count > 0 || session.MemberChanges == null) json["members@delta"] = delta;
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

        private static string DeltaToken(ChangeTarget target, long sequence, int epoch, int top, string selectRaw) =>
            ODataQuery.EncodeToken(string.Join("|", "d", target.ToString(), sequence.ToString(CultureInfo.InvariantCulture),
                epoch.ToString(CultureInfo.InvariantCulture), top.ToString(CultureInfo.InvariantCulture), selectRaw ?? ""));

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
