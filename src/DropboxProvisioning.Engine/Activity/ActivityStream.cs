using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox.Api;
using DropboxProvisioning.Errors;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Activity
{
    /// <summary>A time window (and server-side filter) to read without touching the stored cursor.</summary>
    public sealed class ActivityQuery
    {
        /// <summary>Inclusive.</summary>
        public DateTimeOffset? StartTime { get; set; }
        /// <summary>Exclusive. Without it the read stops at the newest event there is now.</summary>
        public DateTimeOffset? EndTime { get; set; }
        /// <summary>team_log.EventCategory tag (sent to Dropbox; not with <see cref="EventType"/>).</summary>
        public string Category { get; set; }
        /// <summary>team_log.EventTypeArg tag (sent to Dropbox; not with <see cref="Category"/>).</summary>
        public string EventType { get; set; }
        public int PageSize { get; set; } = 1000;
    }

    /// <summary>One page of team_log/get_events (or /continue), mapped.</summary>
    public sealed class ActivityPage
    {
        internal ActivityPage() { }
        public IReadOnlyList<ActivityRecord> Records { get; internal set; }
        /// <summary>Position of each record within the page Dropbox sent (records before a resume point are not repeated).</summary>
        internal IReadOnlyList<int> RawIndexes { get; set; }
        internal IReadOnlyList<string> Keys { get; set; }
        public bool HasMore { get; internal set; }
        public int Number { get; internal set; }
        internal string CursorBefore { get; set; }
        internal int SkipBefore { get; set; }
        internal string CursorAfter { get; set; }
        internal int RawCount { get; set; }
    }

    /// <summary>
    /// Reads the team activity log page by page, following cursors while has_more. An incremental stream starts
    /// from <see cref="ActivityState"/> and moves it only as far as the caller says it delivered
    /// (<see cref="Delivered"/>, <see cref="Completed"/>); a window stream leaves all state alone. A cursor that
    /// Dropbox resets (or no longer knows) is replaced by a new get_events from the newest event delivered,
    /// skipping the events of that second that were already delivered.
    /// </summary>
    public sealed class ActivityStream
    {
        private readonly DropboxApiClient _api;
        private readonly ActivityQuery _query;
        private readonly Action<string> _warning;
        private bool _finished;
        private bool _first = true;
        private bool _restarted;
        private string _cursor;
        private int _pages;

        private ActivityStream(DropboxApiClient api, ActivityQuery query, ActivityState state, Action<string> warning)
        {
            _api = api; _query = query; State = state; _warning = warning ?? (_ => { });
            _cursor = state?.Cursor;
        }

        /// <summary>The incremental position (null for a window read).</summary>
        public ActivityState State { get; }
        public bool IsIncremental => State != null;

        public static ActivityStream Window(DropboxApiClient api, ActivityQuery query) => new ActivityStream(api, query ?? new ActivityQuery(), null, null);

        public static ActivityStream Incremental(DropboxApiClient api, ActivityState state, int pageSize = 1000, Action<string> warning = null) =>
            new ActivityStream(api, new ActivityQuery { PageSize = pageSize }, state ?? throw new ArgumentNullException(nameof(state)), warning);

        /// <summary>The next page, or null when the log has been read to its end.</summary>
        public async Task<ActivityPage> NextAsync(CancellationToken cancellationToken)
        {
            if (_finished) return null;
            var skip = _first && State != null ? State.Skip : 0;
            var cursorBefore = _cursor;
            JObject result;
            try
            {
                result = _cursor == null
                    ? await _api.CallAsync("team_log/get_events", FirstArgument(), cancellationToken).ConfigureAwait(false)
                    : await _api.CallAsync("team_log/get_events/continue", new JObject { ["cursor"] = _cursor }, cancellationToken).ConfigureAwait(false);
            }
            catch (DropboxRouteException e) when (State != null && _cursor != null && (e.Tag == "reset" || e.Tag == "bad_cursor"))
            {
                // Resume from the newest event delivered (reset's own timestamp when Dropbox gives one).
                DateTimeOffset resumeAt;
                if (e.Tag != "reset" || !TryParseTime((string)e.Error?["reset"], out resumeAt))
                    resumeAt = State.LastEventTime ?? State.WindowStart;
                if (State.LastEventTime != null && State.LastEventTime < resumeAt) resumeAt = State.LastEventTime.Value;
                _warning($"Dropbox {(e.Tag == "reset" ? "reset" : "no longer accepts")} the activity cursor; reading again from {resumeAt:u} without repeating events already delivered.");
                State.WindowStart = resumeAt;
                State.Cursor = null;
                State.Skip = 0;
                _cursor = null;
                _first = false;
                _restarted = true;
                return await NextAsync(cancellationToken).ConfigureAwait(false);
            }
            _first = false;
            var events = (result?["events"] as JArray)?.OfType<JObject>().ToList() ?? new List<JObject>();
            var records = new List<ActivityRecord>();
            var indexes = new List<int>();
            var keys = new List<string>();
            var seen = _restarted && State?.LastEventTime != null ? new HashSet<string>(State.LastEventKeys) : null;
            for (var i = skip; i < events.Count; i++)
            {
                var record = ActivityMapper.Map(events[i]);
                var key = ActivityMapper.Key(events[i]);
                if (seen != null && record.Time <= State.LastEventTime && seen.Contains(key)) continue;
                records.Add(record); indexes.Add(i); keys.Add(key);
            }
            _cursor = (string)result?["cursor"];
            var hasMore = (bool?)result?["has_more"] ?? false;
            if (!hasMore || _cursor == null) _finished = true;
            return new ActivityPage
            {
                Records = records, RawIndexes = indexes, Keys = keys, HasMore = hasMore, Number = ++_pages,
                CursorBefore = cursorBefore, SkipBefore = skip, CursorAfter = _cursor, RawCount = events.Count,
            };
        }

        private JObject FirstArgument()
        {
            var argument = new JObject { ["limit"] = Math.Max(1, Math.Min(1000, _query.PageSize)) };
            var start = State?.WindowStart ?? _query.StartTime;
            var end = State == null ? _query.EndTime : null;
            if (start != null || end != null)
            {
                var time = new JObject();
                // Dropbox keeps seconds: start rounds down (inclusive), end rounds up (exclusive) so nothing inside is lost.
                if (start != null) time["start_time"] = DropboxApiClient.Timestamp(Floor(start.Value));
                if (end != null) time["end_time"] = DropboxApiClient.Timestamp(Ceiling(end.Value));
                argument["time"] = time;
            }
            if (State == null && _query.Category != null) argument["category"] = new JObject { [".tag"] = _query.Category };
            if (State == null && _query.EventType != null) argument["event_type"] = new JObject { [".tag"] = _query.EventType };
            return argument;
        }

        /// <summary>The caller delivered (or deliberately passed over) the page's records up to and including <paramref name="index"/>.</summary>
        public void Delivered(ActivityPage page, int index)
        {
            if (State == null) return;
            State.Cursor = page.CursorBefore;
            State.Skip = page.RawIndexes[index] + 1;
            Remember(page, index);
            State.EventsDelivered++;
        }

        /// <summary>The whole page was consumed: the state moves to the cursor after it.</summary>
        public void Completed(ActivityPage page)
        {
            if (State == null) return;
            if (page.CursorAfter != null)
            {
                State.Cursor = page.CursorAfter;
                State.Skip = 0;
            }
            for (var i = 0; i < page.Records.Count; i++) Remember(page, i);
        }

        private void Remember(ActivityPage page, int index)
        {
            var time = page.Records[index].Time;
            var key = page.Keys[index];
            if (State.LastEventTime == null || time > State.LastEventTime)
            {
                State.LastEventTime = time;
                State.LastEventKeys = new List<string> { key };
            }
            else if (time == State.LastEventTime && !State.LastEventKeys.Contains(key))
                State.LastEventKeys.Add(key);
        }

        internal static DateTimeOffset Floor(DateTimeOffset t) => new DateTimeOffset(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        internal static DateTimeOffset Ceiling(DateTimeOffset t) => t.UtcTicks % TimeSpan.TicksPerSecond == 0 ? t.ToUniversalTime() : Floor(t).AddSeconds(1);

        private static bool TryParseTime(string text, out DateTimeOffset time) =>
            DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out time);
    }
}
