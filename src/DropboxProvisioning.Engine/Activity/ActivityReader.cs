using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace DropboxProvisioning.Activity
{
    /// <summary>What to read: a window (start and/or end) or, without either, the incremental read from the stored cursor.</summary>
    public sealed class ActivityReadOptions
    {
        public bool IsWindow { get; set; }
        public DateTimeOffset? StartTime { get; set; }
        public DateTimeOffset? EndTime { get; set; }
        /// <summary>One category or one exact event type Dropbox filters itself (window reads only).</summary>
        public string Category { get; set; }
        public string EventType { get; set; }
        public int PageSize { get; set; } = 1000;
        /// <summary>Stop after this many records were written (0: no limit); the cursor stops right after the last one.</summary>
        public int First { get; set; }
        /// <summary>Which records the caller shows; the cursor moves past the others too (a collector keeps everything).</summary>
        public Func<ActivityRecord, bool> Filter { get; set; }
        /// <summary>False to read without saving the cursor (-WhatIf, or the admin declined).</summary>
        public bool MoveCursor { get; set; } = true;
    }

    /// <summary>
    /// The activity log's cursor protocol for one read: pages in order, each record marked delivered as it is shown
    /// or passed over, the page completed only when all of it was, and the cursor saved after every page and at the
    /// end, however the read ends (a stop, an error). A window read never touches the cursor. The connection's
    /// rate-limit waits are reported to this read while it runs, without replacing anyone else's listener.
    /// </summary>
    public sealed class ActivityReader : IDisposable
    {
        private readonly ActivityConnection _connection;
        private readonly ActivityStream _stream;
        private readonly ActivityReadOptions _options;
        private readonly IDisposable _rateLimitListener;
        private volatile Action<string> _verbose;
        private volatile Action<string> _warning;
        private bool _done;

        private ActivityReader(ActivityConnection connection, ActivityReadOptions options)
        {
            _connection = connection;
            _options = options;
            if (options.IsWindow)
            {
                _stream = connection.Window(new ActivityQuery
                {
                    StartTime = options.StartTime, EndTime = options.EndTime, PageSize = options.PageSize,
                    Category = options.Category, EventType = options.EventType,
                });
            }
            else
            {
                _stream = connection.Incremental(options.PageSize, message => _warning?.Invoke(message));
            }
            _rateLimitListener = connection.OnRateLimited(wait => _verbose?.Invoke($"Dropbox is rate limiting (429); waiting {wait.TotalSeconds:0} s as Retry-After says."));
        }

        public static ActivityReader Open(ActivityConnection connection, ActivityReadOptions options) =>
            new ActivityReader(connection ?? throw new ArgumentNullException(nameof(connection)), options ?? new ActivityReadOptions());

        public bool IsIncremental => _stream.IsIncremental;
        /// <summary>The incremental position (null for a window read).</summary>
        public ActivityState State => _stream.State;
        public long Read { get; private set; }
        public long Written { get; private set; }
        public int Pages { get; private set; }

        /// <summary>
        /// The records of the next page that pass the filter, or null when the read is over (the log's end, or First
        /// reached). Messages of this page (a reset cursor, a 429 wait) go to <paramref name="verbose"/> and <paramref name="warning"/>.
        /// </summary>
        public async Task<IReadOnlyList<ActivityRecord>> NextAsync(Action<string> verbose, Action<string> warning, CancellationToken cancellationToken)
        {
            if (_done) return null;
            _verbose = verbose; _warning = warning;
            ActivityPage page;
            try { page = await _stream.NextAsync(cancellationToken).ConfigureAwait(false); }
            finally { _verbose = null; _warning = null; }
            if (page == null) { _done = true; return null; }
            Pages = page.Number;
            var shown = new List<ActivityRecord>();
            var stopped = false;
            for (var i = 0; i < page.Records.Count; i++)
            {
                var record = page.Records[i];
                Read++;
                _stream.Delivered(page, i);
                if (_options.Filter != null && !_options.Filter(record)) continue;
                shown.Add(record);
                Written++;
                if (_options.First > 0 && Written >= _options.First) { stopped = true; break; }
            }
            if (!stopped) _stream.Completed(page);
            Save();
            if (stopped || !page.HasMore) _done = true;
            return shown;
        }

        private void Save()
        {
            if (_stream.IsIncremental && _options.MoveCursor) _connection.Save(_stream.State);
        }

        /// <summary>Saves the cursor where the read stopped (best effort: the error that stopped the read is the one reported) and stops listening.</summary>
        public void Dispose()
        {
            _rateLimitListener.Dispose();
            try { Save(); }
            catch (Errors.DbxException) { }
            catch (System.IO.IOException) { }
        }
    }
}
