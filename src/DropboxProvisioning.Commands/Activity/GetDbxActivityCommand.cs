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
    [Cmdlet(VerbsCommon.Get, "DbxActivity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
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

        protected override void OnEndProcessing()
        {
            var connection = RequireActivityConnection();
            _activity = Patterns(Activity);
            _eventType = Patterns(EventType);
            _user = Patterns(User);
            var window = MyInvocation.BoundParameters.ContainsKey(nameof(StartTime)) || MyInvocation.BoundParameters.ContainsKey(nameof(EndTime));
            if (window && StartTime != null && EndTime != null && EndTime < StartTime)
                ThrowTerminating("InvalidTimeRange", ErrorCategory.InvalidArgument, "-EndTime is before -StartTime.");

            var options = new ActivityReadOptions { IsWindow = window, StartTime = StartTime, EndTime = EndTime, PageSize = PageSize, First = First, Filter = Matches };
            if (window)
            {
                // One category or one exact event type can be filtered by Dropbox itself.
                if (Category?.Length == 1 && EventType == null) options.Category = Category[0];
                else if (EventType?.Length == 1 && Category == null && !WildcardPattern.ContainsWildcardCharacters(EventType[0])) options.EventType = EventType[0];
            }
            // An incremental read moves the stored cursor: that is the write -WhatIf and -Confirm are about.
            else options.MoveCursor = ShouldProcess(connection.StatePath, "Move the activity cursor past the events read");

            using (var reader = ActivityReader.Open(connection, options))
            {
                if (window) WriteVerbose($"Reading the activity log from {(StartTime?.ToString("u") ?? "the start")} to {(EndTime?.ToString("u") ?? "now")}; the stored cursor is not moved.");
                else WriteVerbose(reader.State.Cursor == null
                    ? $"Reading the activity log since {reader.State.WindowStart:u} (first read: 60 days before the first connection)."
                    : options.MoveCursor ? "Continuing the activity log from the stored cursor." : "Continuing the activity log from the stored cursor, which is not moved.");
                var progress = new ProgressRecord(2, "Reading the Dropbox activity log", "Starting");
                try
                {
                    while (true)
                    {
                        var records = RunEngine((observer, cancel) => reader.NextAsync(observer.Verbose, observer.Warning, cancel));
                        if (records == null) break;
                        foreach (var record in records) WriteObject(record);
                        progress.StatusDescription = $"Page {reader.Pages}: {reader.Read} events read, {reader.Written} written";
                        WriteProgress(progress);
                    }
                }
                finally
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    WriteProgress(progress);
                }
                WriteVerbose($"{reader.Read} events read, {reader.Written} written.");
            }
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
