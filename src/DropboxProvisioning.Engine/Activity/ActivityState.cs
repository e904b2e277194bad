using System;
using System.Collections.Generic;
using System.IO;
using DropboxProvisioning.Errors;
using DropboxProvisioning.State;
using Newtonsoft.Json;

namespace DropboxProvisioning.Activity
{
    /// <summary>
    /// Where the incremental read of one team's activity log stands. The first read starts 60 days before the
    /// first connection (<see cref="WindowStart"/>); after that <see cref="Cursor"/> is Dropbox's cursor of the page
    /// being read and <see cref="Skip"/> how many of that page's events were already delivered, so a read that
    /// stopped mid-page (-First, Ctrl+C, a failure) resumes exactly after the last event it delivered.
    /// </summary>
    public sealed class ActivityState
    {
        public int Version { get; set; } = 1;
        public string AppKey { get; set; }
        public string TeamId { get; set; }
        /// <summary>The first Connect-DbxActivity on this state; the 60-day window is counted back from it.</summary>
        public DateTimeOffset FirstConnectedAt { get; set; }
        /// <summary>start_time of get_events while there is no cursor (60 days before the first connection, or a reset point).</summary>
        public DateTimeOffset WindowStart { get; set; }
        /// <summary>Dropbox's cursor of the page being read; null before the first page.</summary>
        public string Cursor { get; set; }
        /// <summary>Events of that page already delivered.</summary>
        public int Skip { get; set; }
        /// <summary>Timestamp of the newest event delivered, and the keys of the events delivered at that second (to resume after a cursor reset without repeats).</summary>
        public DateTimeOffset? LastEventTime { get; set; }
        public List<string> LastEventKeys { get; set; } = new List<string>();
        public long EventsDelivered { get; set; }
        public DateTimeOffset? LastRead { get; set; }
    }

    /// <summary>The activity connector's files in its state directory: activity-state.json, the protected refresh token, a pending authorization.</summary>
    public sealed class ActivityStateStore
    {
        public const string StateFile = State.Storage.ItemNames.ActivityState;
        public const string CredentialFile = "activity-credential.json";
        public const string PendingFile = "activity-pending-authorization.json";

        private static readonly JsonSerializerSettings Settings = new JsonSerializerSettings
        {
            Formatting = Formatting.Indented,
            DateParseHandling = Serialization.JsonText.Dates, // a cursor stays the string Dropbox gave; the dates are read from their strings
            NullValueHandling = NullValueHandling.Ignore,
        };

        private readonly Time.IClock _clock;

        /// <param name="clock">Stamps each save's LastRead (the connection's clock); null for the machine's.</param>
        public ActivityStateStore(string directory, Time.IClock clock = null) : this(new State.Storage.LocalDirectoryStorage(directory), clock)
        {
        }

        /// <summary>The connector's items in a local directory or a blob container (its own prefix, or activity/ beside a sandbox job).</summary>
        /// <param name="clock">Stamps each save's LastRead (the connection's clock); null for the machine's.</param>
        public ActivityStateStore(State.Storage.IStateStorage storage, Time.IClock clock = null)
        {
            _clock = clock ?? Time.SystemClock.Instance;
            Storage = storage;
            storage.EnsureCreated();
        }

        public State.Storage.IStateStorage Storage { get; }
        public string DirectoryPath => Storage.Location;
        public string CredentialPath => Storage.PathOf(CredentialFile);
        public string PendingPath => Storage.PathOf(PendingFile);

        /// <summary>The cursor, or null before the first connection; read as strictly as the job's state (unknown keys, nulls, versions).</summary>
        public ActivityState Load()
        {
            var path = Storage.PathOf(StateFile);
            const string startOver = "the next read starts again 60 days back";
            var (state, keys) = StateStore.ReadStrict<ActivityState>(Storage, StateFile, "ActivityState", "activity state file", startOver);
            if (state == null) return null;
            StateStore.Check(Problem(state, keys), path, "ActivityState", "activity state file", startOver);
            return state;
        }

        private static (string, string)? Problem(ActivityState state, ISet<string> keys)
        {
            if (!keys.Contains(nameof(ActivityState.Version))) return ("$.Version", "the key Version is missing.");
            if (state.Version != 1) return ("$.Version", $"the activity state has version {state.Version}; this module reads version 1.");
            if (state.Skip < 0) return ("$.Skip", $"{state.Skip} is not a number of events.");
            if (state.EventsDelivered < 0) return ("$.EventsDelivered", $"{state.EventsDelivered} is not a number of events.");
            if (state.LastEventKeys.Exists(string.IsNullOrEmpty)) return ("$.LastEventKeys", "an entry is empty.");
            return null;
        }

        /// <summary>Written atomically (temporary file, flush, rename) and owner-only.</summary>
        public void Save(ActivityState state)
        {
            state.LastRead = _clock.UtcNow;
            var bytes = new System.Text.UTF8Encoding(false).GetBytes(JsonConvert.SerializeObject(state, Settings));
            Storage.Write(StateFile, "saving " + StateFile, stream => stream.Write(bytes, 0, bytes.Length));
        }
    }
}
