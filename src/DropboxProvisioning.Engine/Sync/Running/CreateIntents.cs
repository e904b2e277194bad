using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Time;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// The user runner's side of pending-writes.jsonl: each create's identity values go to disk before its request leaves,
    /// a window of creates per append (one flush per members/add_v2 call, or per twice as many SCIM creates as may be in
    /// flight; never a save of the state per create), and a create whose outcome is in the state is settled. A create recorded and never sent (the process died)
    /// costs the next cycle a lookup or two, which is why the window is no larger.
    /// </summary>
    internal sealed class CreateIntents
    {
        private readonly int _window;

        private readonly PendingWrites _pending;
        private readonly IClock _clock;
        private int _cursor;
        private int _recorded;
        private int _taken;

        /// <param name="window">Creates recorded per append.</param>
        public CreateIntents(PendingWrites pending, IClock clock, int window) { _pending = pending; _clock = clock; _window = Math.Max(1, window); }

        /// <summary>
        /// Called with each unit as it is taken, in the order of <paramref name="changes"/> (under the runner's lock): when the unit's
        /// creates go beyond those recorded, the next window is recorded (a unit's creates always come next in that order).
        /// </summary>
        public void Cover(IReadOnlyList<ProvisioningChange> changes, List<ProvisioningChange> unit)
        {
            _taken += unit.Count(c => c.Planned == ChangeAction.Create);
            if (_taken <= _recorded) return;
            var now = _clock.UtcNow;
            var window = new List<PendingWrite>();
            while (_cursor < changes.Count && (_recorded < _taken || window.Count < _window))
            {
                var change = changes[_cursor++];
                if (change.Planned != ChangeAction.Create) continue;
                window.Add(Of(PendingWrite.Users, change, PendingWrite.UserKeys, now));
                _recorded++;
            }
            _pending.Record(window);
        }

        /// <summary>
        /// Creates whose account is now in the state (created, or found and taken over) are settled, and so are creates Dropbox
        /// answered with a refusal (e.g. 409, the userName another managed user holds): only a lost answer stays outstanding,
        /// or a later cycle would take over, by the refused values, an account that belongs to someone else.
        /// </summary>
        public void SettleRecorded(IEnumerable<ChangeOutcome> outcomes)
        {
            foreach (var outcome in outcomes)
                if (outcome.Change.Planned == ChangeAction.Create && (outcome.TargetId != null || outcome.Refused)) _pending.Settle(PendingWrite.Users, outcome.Change.SourceId);
        }

        /// <summary>
        /// After the runner stopped taking creates (the cycle's deadline): creates recorded ahead of those taken never left,
        /// so they are settled rather than looked up by the next cycle.
        /// </summary>
        public void ForgetUnsent(IReadOnlyList<ProvisioningChange> changes)
        {
            for (var i = 0; i < _cursor && i < changes.Count; i++)
                if (changes[i].Planned == ChangeAction.Create && changes[i].Outcome == null) _pending.Settle(PendingWrite.Users, changes[i].SourceId);
        }

        public static PendingWrite ForGroup(ProvisioningChange change, DateTimeOffset now) => Of(PendingWrite.Groups, change, PendingWrite.GroupKeys, now);

        private static PendingWrite Of(string kind, ProvisioningChange change, IReadOnlyList<string> keys, DateTimeOffset now)
        {
            var write = new PendingWrite { Kind = kind, SourceId = change.SourceId, At = now };
            foreach (var value in change.Values ?? new List<TargetValue>())
                if (keys.Contains(value.Path.Text, StringComparer.OrdinalIgnoreCase) && value.Value != null && value.Value.Type == Newtonsoft.Json.Linq.JTokenType.String)
                    write.Values[value.Path.Text] = ValueText.Of(value.Value);
            if (kind == PendingWrite.Groups && !write.Values.TryGetValue("displayName", out _) && change.TargetIdentity != null) write.Values["displayName"] = change.TargetIdentity;
            return write;
        }
    }
}
