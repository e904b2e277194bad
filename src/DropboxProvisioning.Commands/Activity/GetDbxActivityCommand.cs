using System;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Activity;
using DropboxProvisioning.Commands.Completion;

namespace DropboxProvisioning.Commands.Activity
{
    /// <summary>
    /// <para type="synopsis">Reads the Dropbox team activity log as ActivityRecord objects, streaming them as pages arrive.</para>
    /// <para type="description">
    /// Without -StartTime or -EndTime it is an incremental read: it continues from the cursor stored in the activity state
    /// (the first read covers the 60 days before the first Connect-DbxActivity), writes the new events, and moves the cursor
    /// past every event it read, including those a filter did not show (a collector runs it on a schedule and keeps everything).
    /// With -First it stops after that many records and the cursor stops right after the last one written.
    /// With -StartTime and/or -EndTime it reads that window only (start inclusive, end exclusive) and never reads or moves the
    /// cursor: use it to look again at a period.
    /// </para>
    /// <para type="link">Connect-DbxActivity</para>
    /// <para type="link">Test-DbxConnection</para>
    /// </summary>
    /// <example>
    /// <para>Reads the first 20 events the connector has not read yet (the cursor moves past them).</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox | Out-Null
    /// Connect-DbxActivity -Sandbox | Out-Null
    /// Get-DbxActivity -First 20
    /// </code>
    /// </example>
    /// <example>
    /// <para>Looks again at the last week: uploads and shared-link events by people who did not sign in (the cursor is not used or moved).</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox | Out-Null
    /// Connect-DbxActivity -Sandbox | Out-Null
    /// Get-DbxActivity -StartTime (Get-Date).AddDays(-7) -Activity 'Upload file', '*shared link*' -UnauthenticatedOnly
    /// </code>
    /// </example>
    /// <example>
    /// <para>The five most frequent activities of the last 30 days, exported to CSV.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox | Out-Null
    /// Connect-DbxActivity -Sandbox | Out-Null
    /// Get-DbxActivity -StartTime (Get-Date).AddDays(-30) | Group-Object Activity | Sort-Object Count -Descending |
    ///     Select-Object -First 5 Name, Count | Export-Csv -Path ./top-activities.csv -NoTypeInformation
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "DbxActivity")]
    [OutputType(typeof(ActivityRecord))]
    public sealed class GetDbxActivityCommand : DbxActivityCmdlet
    {
        /// <summary>Window read from this time (inclusive); the stored cursor is not used or moved.</summary>
        [Parameter]
        public DateTimeOffset? StartTime { get; set; }

        /// <summary>Window read up to this time (exclusive); the stored cursor is not used or moved.</summary>
        [Parameter]
        public DateTimeOffset? EndTime { get; set; }

        /// <summary>Activity names ("Upload file", "*sharing link*"); wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ActivityNameCompleter))]
        public string[] Activity { get; set; }

        /// <summary>Dropbox event types (file_add, login_fail...); wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ActivityEventTypeCompleter))]
        public string[] EventType { get; set; }

        /// <summary>Users by e-mail or name; wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] User { get; set; }

        /// <summary>Dropbox event categories (file_operations, sharing, logins...).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ActivityEventTypeCompleter))]
        public string[] Category { get; set; }

        /// <summary>Only events of people who did not sign in (anonymous visitors of shared links).</summary>
        [Parameter]
        public SwitchParameter UnauthenticatedOnly { get; set; }

        /// <summary>Only events whose actor is outside the team.</summary>
        [Parameter]
        public SwitchParameter ExternalOnly { get; set; }

        /// <summary>Stop after this many records.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; }

        /// <summary>Events per call to Dropbox (limit, 1..1000).</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; } = 1000;

        private WildcardPattern[] _activity, _eventType, _user;

        // The observer of the page being read: the stream's warnings and rate-limit waits are written through it,
        // from the pipeline thread; between pages (on the pipeline thread already) they are written directly.
        private volatile global::DropboxProvisioning.Sync.ICycleObserver _observer;

        private void Observer(string message, bool warning)
        {
            var observer = _observer;
            if (observer != null) { if (warning) observer.Warning(message); else observer.Verbose(message); }
            else if (warning) WriteWarning(message);
            else WriteVerbose(message);
        }

        protected override void EndProcessing()
        {
            var connection = RequireActivityConnection();
            _activity = Patterns(Activity);
            _eventType = Patterns(EventType);
            _user = Patterns(User);
            var window = MyInvocation.BoundParameters.ContainsKey(nameof(StartTime)) || MyInvocation.BoundParameters.ContainsKey(nameof(EndTime));
            if (window && StartTime != null && EndTime != null && EndTime < StartTime)
                ThrowTerminating("InvalidTimeRange", ErrorCategory.InvalidArgument, "-EndTime is before -StartTime.");

            ActivityStream stream;
            try
            {
                if (window)
                {
                    var query = new ActivityQuery { StartTime = StartTime, EndTime = EndTime, PageSize = PageSize };
                    // One category or one exact event type can be filtered by Dropbox itself.
                    if (Category?.Length == 1 && EventType == null) query.Category = Category[0];
                    else if (EventType?.Length == 1 && Category == null && !WildcardPattern.ContainsWildcardCharacters(EventType[0])) query.EventType = EventType[0];
                    stream = connection.Window(query);
                    WriteVerbose($"Reading the activity log from {(StartTime?.ToString("u") ?? "the start")} to {(EndTime?.ToString("u") ?? "now")}; the stored cursor is not moved.");
                }
                else
                {
                    stream = connection.Incremental(PageSize, message => Observer(message, warning: true));
                    WriteVerbose(stream.State.Cursor == null
                        ? $"Reading the activity log since {stream.State.WindowStart:u} (first read: 60 days before the first connection)."
                        : "Continuing the activity log from the stored cursor.");
                }
            }
            catch (Errors.DbxException e)
            {
                ThrowTerminating(e);
                return;
            }

            var api = connection.Api;
            Action<TimeSpan> previous = api.RateLimited;
            api.RateLimited = wait => Observer($"Dropbox is rate limiting (429); waiting {wait.TotalSeconds:0} s as Retry-After says.", warning: false);
            long read = 0, written = 0;
            var progress = new ProgressRecord(2, "Reading the Dropbox activity log", "Starting");
            try
            {
                var stop = false;
                while (!stop)
                {
                    var page = RunEngine((observer, cancel) =>
                    {
                        _observer = observer;
                        return stream.NextAsync(cancel);
                    });
                    _observer = null;
                    if (page == null) break;
                    for (var i = 0; i < page.Records.Count; i++)
                    {
                        var record = page.Records[i];
                        read++;
                        stream.Delivered(page, i);
                        if (!Matches(record)) continue;
                        WriteObject(record);
                        written++;
                        if (First > 0 && written >= First) { stop = true; break; }
                    }
                    if (!stop) stream.Completed(page);
                    if (stream.IsIncremental) connection.Save(stream.State);
                    progress.StatusDescription = $"Page {page.Number}: {read} events read, {written} written";
                    WriteProgress(progress);
                    if (!page.HasMore) break;
                }
            }
            finally
            {
                api.RateLimited = previous;
                if (stream.IsIncremental)
                {
                    try { connection.Save(stream.State); } catch (Errors.DbxException) { } catch (System.IO.IOException) { }
                }
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
            WriteVerbose($"{read} events read, {written} written.");
        }

        private static WildcardPattern[] Patterns(string[] values) =>
            values?.Select(v => new WildcardPattern(v, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();

        private bool Matches(ActivityRecord r)
        {
            if (UnauthenticatedOnly && !r.IsUnauthenticated) return false;
            if (ExternalOnly && !r.IsExternal) return false;
            if (_activity != null && !_activity.Any(p => p.IsMatch(r.Activity ?? ""))) return false;
            if (_eventType != null && !_eventType.Any(p => p.IsMatch(r.EventType ?? ""))) return false;
            if (Category != null && !Category.Any(c => string.Equals(c, r.Category, StringComparison.OrdinalIgnoreCase))) return false;
            if (_user != null && !_user.Any(p => p.IsMatch(r.User ?? "") || p.IsMatch(r.UserDisplayName ?? ""))) return false;
            return true;
        }
    }
}
