using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using DropboxProvisioning.Sandbox.DropboxApi;
using DropboxProvisioning.Sandbox.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.TeamLog
{
    /// <summary>
    /// team_log/get_events and team_log/get_events/continue (scope events.read) over <see cref="TeamLogModel"/>:
    /// limit 1..1000, time range (start_time inclusive, end_time exclusive), category or event_type (not both),
    /// account_id, cursor paging with has_more, bad_cursor and reset errors.
    /// </summary>
    internal sealed class TeamLogEmulator
    {
        public const string Scope = "events.read";
        private const string CursorPrefix = "dbxlog1.";
        private readonly Func<TeamLogModel> _log;

        public TeamLogEmulator(Func<TeamLogModel> log) { _log = log; }

        public void RegisterRoutes(DropboxApiEmulator api)
        {
            api.Register("team_log/get_events", Scope, GetEvents);
            api.Register("team_log/get_events/continue", Scope, Continue);
        }

        private HttpResponseMessage GetEvents(DropboxRpcRequest request)
        {
            const string route = "team_log/get_events";
            var arg = request.Argument as JObject;
            if (arg == null) return DropboxErrors.BadInput(route, "request body: expected object, got " + (request.Argument?.Type.ToString().ToLowerInvariant() ?? "null"));
            foreach (var property in arg.Properties())
                if (!new[] { "limit", "account_id", "time", "category", "event_type" }.Contains(property.Name))
                    return DropboxErrors.BadInput(route, $"request body: unknown field '{property.Name}'");

            var query = new CursorState { Limit = 1000, Epoch = _log().Epoch };
            var limit = arg["limit"];
            if (limit != null)
            {
                if (limit.Type != JTokenType.Integer) return DropboxErrors.BadInput(route, "request body: limit: expected integer, got " + limit.Type.ToString().ToLowerInvariant());
                var value = (long)limit;
                if (value < 1) return DropboxErrors.BadInput(route, $"request body: limit: {value} is smaller than 1");
                if (value > 1000) return DropboxErrors.BadInput(route, $"request body: limit: {value} is larger than 1000");
                query.Limit = (int)value;
            }
            if (arg["time"] is JObject time)
            {
                if (!ParseTime(time["start_time"], out query.Start) || !ParseTime(time["end_time"], out query.End))
                    return DropboxErrors.BadInput(route, "request body: time: timestamps are \"%Y-%m-%dT%H:%M:%SZ\"");
                if (query.Start != null && query.End != null && query.End < query.Start)
                    return DropboxErrors.Route(StoneJson.Tag("invalid_time_range"));
            }
            else if (arg["time"] != null && arg["time"].Type != JTokenType.Null)
                return DropboxErrors.BadInput(route, "request body: time: expected object");
            query.Category = TagOf(arg["category"]);
            query.EventType = TagOf(arg["event_type"]);
            query.AccountId = (string)arg["account_id"];
            if (query.Category != null && query.EventType != null) return DropboxErrors.Route(StoneJson.Tag("invalid_filters"));
            if (query.AccountId != null && !_log().Events.Any(e => e.AccountIds.Contains(query.AccountId)))
                return DropboxErrors.Route(StoneJson.Tag("account_id_not_found"));
            return Page(query);
        }

        private HttpResponseMessage Continue(DropboxRpcRequest request)
        {
            var cursor = (string)(request.Argument as JObject)?["cursor"];
            if (cursor == null) return DropboxErrors.BadInput("team_log/get_events/continue", "request body: missing required field 'cursor'");
            var state = CursorState.Decode(cursor);
            if (state == null) return DropboxErrors.Route(StoneJson.Tag("bad_cursor"));
            if (state.Epoch != _log().Epoch)
            {
                var resumeAt = state.LastReturned ?? state.Start ?? _log().Clock();
                return DropboxErrors.Route(StoneJson.Nested("reset", StoneJson.Timestamp(resumeAt)));
            }
            return Page(state);
        }

        private HttpResponseMessage Page(CursorState state)
        {
            var log = _log();
            var scan = log.Scan(state.Position, e =>
                (state.Start == null || e.Timestamp >= state.Start) && (state.End == null || e.Timestamp < state.End)
                && (state.Category == null || e.Category == state.Category) && (state.EventType == null || e.EventType == state.EventType)
                && (state.AccountId == null || e.AccountIds.Contains(state.AccountId)), state.Limit);
            var next = state.Clone();
            next.Position = scan.NextPosition;
            if (scan.Events.Count > 0) next.LastReturned = scan.Events.Max(e => e.Timestamp);
            var body = new JObject
            {
                ["events"] = new JArray(scan.Events.Select(e => e.Json)),
                ["cursor"] = next.Encode(),
                ["has_more"] = scan.HasMore,
            };
            return EmulatorResponse.Json(HttpStatusCode.OK, body);
        }

        private static string TagOf(JToken token)
        {
            if (token == null || token.Type == JTokenType.Null) return null;
            return token.Type == JTokenType.String ? (string)token : (string)token[".tag"];
        }

        private static bool ParseTime(JToken token, out DateTimeOffset? time)
        {
            time = null;
            if (token == null || token.Type == JTokenType.Null) return true;
            if (token.Type != JTokenType.String || !StoneJson.TryParseTimestamp((string)token, out var parsed)) return false;
            time = parsed;
            return true;
        }

        /// <summary>What a cursor carries: the filters of its get_events call and the position reached.</summary>
        private sealed class CursorState
        {
            public long Position;
            public int Limit;
            public int Epoch;
            public DateTimeOffset? Start, End, LastReturned;
            public string Category, EventType, AccountId;

            public CursorState Clone() => (CursorState)MemberwiseClone();

            public string Encode()
            {
                var json = new JObject
                {
                    ["p"] = Position, ["l"] = Limit, ["g"] = Epoch,
                    ["s"] = Start?.ToUnixTimeSeconds(), ["e"] = End?.ToUnixTimeSeconds(), ["r"] = LastReturned?.ToUnixTimeSeconds(),
                    ["c"] = Category, ["t"] = EventType, ["a"] = AccountId,
                };
                return CursorPrefix + DropboxAuthorizationServer.Base64Url(Encoding.UTF8.GetBytes(json.ToString(Formatting.None)));
            }

            public static CursorState Decode(string cursor)
            {
                if (cursor == null || !cursor.StartsWith(CursorPrefix, StringComparison.Ordinal)) return null;
                try
                {
                    var text = cursor.Substring(CursorPrefix.Length).Replace('-', '+').Replace('_', '/');
                    text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
                    var json = JObject.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
                    DateTimeOffset? Time(string key) => json[key] == null || json[key].Type == JTokenType.Null ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeSeconds((long)json[key]);
                    var state = new CursorState
                    {
                        Position = (long)json["p"], Limit = (int)json["l"], Epoch = (int)json["g"],
                        Start = Time("s"), End = Time("e"), LastReturned = Time("r"),
                        Category = (string)json["c"], EventType = (string)json["t"], AccountId = (string)json["a"],
                    };
                    return state.Position < 0 || state.Limit < 1 || state.Limit > 1000 ? null : state;
                }
                catch (Exception e) when (e is FormatException || e is JsonException || e is InvalidCastException || e is ArgumentException || e is NullReferenceException)
                {
                    return null;
                }
            }
        }
    }
}
