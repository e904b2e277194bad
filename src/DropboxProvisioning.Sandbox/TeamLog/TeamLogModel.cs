using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Sandbox.DropboxApi;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sandbox.TeamLog
{
    /// <summary>One audit log entry: team_log.TeamEvent as Dropbox serializes it, plus its place in the log.</summary>
    public sealed class TeamLogEvent
    {
        private readonly JObject _json;

        internal TeamLogEvent(long sequence, JObject json)
        {
            Sequence = sequence;
            _json = json;
            StoneJson.TryParseTimestamp((string)json["timestamp"], out var time);
            Timestamp = time;
            Category = (string)json["event_category"]?[".tag"];
            EventType = (string)json["event_type"]?[".tag"];
            AccountIds = json.Descendants().OfType<JProperty>().Where(p => p.Name == "account_id").Select(p => (string)p.Value).Distinct().ToArray();
        }

        /// <summary>Position in the log, in the order events were recorded (0 = oldest).</summary>
        public long Sequence { get; }
        public DateTimeOffset Timestamp { get; }
        public string Category { get; }
        public string EventType { get; }
        /// <summary>Every account_id the event names (actor, context, participants, details).</summary>
        public IReadOnlyList<string> AccountIds { get; }
        /// <summary>The TeamEvent JSON (a copy).</summary>
        public JObject Json => (JObject)_json.DeepClone();
        internal JObject RawJson => _json;

        public override string ToString() => $"{StoneJson.Timestamp(Timestamp)} {EventType}";
    }

    /// <summary>
    /// The team's activity log: append-only, in recording order. A cursor is a position in it, so a cursor that
    /// reached the end keeps returning events recorded afterwards, as Dropbox's does.
    /// </summary>
    public sealed class TeamLogModel
    {
        private readonly object _gate = new object();
        private readonly List<TeamLogEvent> _events = new List<TeamLogEvent>();

        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>Bumped by <see cref="ResetCursors"/>: older cursors then answer reset.</summary>
        public int Epoch { get { lock (_gate) return _epoch; } }
        private int _epoch = 1;

        /// <summary>How many log entries one call may scan before answering (possibly with no events and has_more true).</summary>
        public int ScanBudget { get; set; } = 20000;

        public int Count { get { lock (_gate) return _events.Count; } }

        public IReadOnlyList<TeamLogEvent> Events { get { lock (_gate) return _events.ToArray(); } }

        /// <summary>Records one TeamEvent (team_log.TeamEvent JSON) at the end of the log.</summary>
        public TeamLogEvent Append(JObject teamEvent)
        {
            if (teamEvent == null) throw new ArgumentNullException(nameof(teamEvent));
            lock (_gate)
            {
                var entry = new TeamLogEvent(_events.Count, (JObject)teamEvent.DeepClone());
                _events.Add(entry);
                return entry;
            }
        }

        public void AppendRange(IEnumerable<JObject> teamEvents)
        {
            lock (_gate)
                foreach (var e in teamEvents) _events.Add(new TeamLogEvent(_events.Count, e));
        }

        /// <summary>Makes new events for <see cref="AppendSimulated"/>.</summary>
        internal TeamLogGenerator Simulator { get; set; }

        /// <summary>
        /// Records <paramref name="count"/> new realistic events (team activity happening now), at <paramref name="at"/>
        /// or the log's clock, and returns them.
        /// </summary>
        public IReadOnlyList<TeamLogEvent> AppendSimulated(int count, DateTimeOffset? at = null)
        {
            var added = new List<TeamLogEvent>();
            lock (_gate)
            {
                var simulator = Simulator ?? throw new InvalidOperationException("This log has no simulator.");
                for (var i = 0; i < count; i++)
                {
                    var entry = new TeamLogEvent(_events.Count, simulator.Next(at ?? Clock()));
                    _events.Add(entry);
                    added.Add(entry);
                }
            }
            return added;
        }

        /// <summary>Every outstanding cursor answers get_events/continue with reset from now on.</summary>
        public void ResetCursors() { lock (_gate) _epoch++; }

        internal sealed class ScanResult
        {
            public List<TeamLogEvent> Events = new List<TeamLogEvent>();
            public long NextPosition;
            public bool HasMore;
        }

        /// <summary>From a position, up to <paramref name="limit"/> events that pass the filter, within the scan budget.</summary>
        internal ScanResult Scan(long position, Func<TeamLogEvent, bool> filter, int limit)
        {
            lock (_gate)
            {
                var result = new ScanResult();
                var budget = ScanBudget;
                var i = position;
                for (; i < _events.Count && result.Events.Count < limit && budget > 0; i++, budget--)
                    if (filter(_events[(int)i])) result.Events.Add(_events[(int)i]);
                result.NextPosition = i;
                if (i < _events.Count)
                {
                    // More may match: say so only if one really does (Dropbox may also say so with an empty page).
                    result.HasMore = budget <= 0;
                    for (var j = i; !result.HasMore && j < _events.Count; j++)
                        if (filter(_events[(int)j])) result.HasMore = true;
                }
                return result;
            }
        }
    }
}
