using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.Reporting
{
    /// <summary>One cycle as the report's chart shows it.</summary>
    public sealed class ReportCycle
    {
        public string CycleId { get; set; }
        public DateTimeOffset StartTime { get; set; }
        public TimeSpan? Duration { get; set; }
        public string Status { get; set; }
        public string Mode { get; set; }
        public int Created { get; set; }
        public int Updated { get; set; }
        public int Suspended { get; set; }
        public int Deleted { get; set; }
        public int Failed { get; set; }
    }

    /// <summary>A failure reason of the cycles shown, with how often it happened and to whom.</summary>
    public sealed class FailureReason
    {
        public string Reason { get; set; }
        public int Count { get; set; }
        /// <summary>The users and groups affected, each once.</summary>
        public IReadOnlyList<string> Affected { get; set; }
    }

    /// <summary>A failed change waiting for its retry, and whether the next cycle retries it.</summary>
    public sealed class ReportEscrow
    {
        public string Identity { get; set; }
        public int Attempts { get; set; }
        public DateTimeOffset NextAttempt { get; set; }
        public bool Due { get; set; }
        public string LastError { get; set; }
    }

    /// <summary>
    /// What Export-DbxProvisioningReport shows, read from the job's state, configuration and provisioning logs at one
    /// moment: the last cycles, the quarantine, the held deletions, the escrows (those due first), the most frequent
    /// failure reasons with the objects they hit, and the mappings and scoping filters in force.
    /// </summary>
    public sealed class CycleReport
    {
        public DateTimeOffset Generated { get; private set; }
        public string StatePath { get; private set; }
        public string Api { get; private set; }
        public string ProvisioningStatus { get; private set; }
        public int ManagedUsers { get; private set; }
        public int ManagedGroups { get; private set; }
        /// <summary>Oldest first, as a chart reads.</summary>
        public IReadOnlyList<ReportCycle> Cycles { get; private set; }
        public QuarantineInfo Quarantine { get; private set; }
        public IReadOnlyList<StagedDeletion> HeldDeletions { get; private set; }
        public IReadOnlyList<ReportEscrow> Escrows { get; private set; }
        public int EscrowsDue => Escrows.Count(e => e.Due);
        public IReadOnlyList<FailureReason> FailureReasons { get; private set; }
        public IReadOnlyList<MappingEntry> Mappings { get; private set; }
        public IReadOnlyList<ScopingFilterEntry> ScopingFilters { get; private set; }
        public IReadOnlyDictionary<ObjectType, string> TargetActions { get; private set; }

        /// <param name="logs">The provisioning log records, newest first (as <see cref="ProvisioningLogStore.Read"/> gives them).</param>
        /// <param name="cycles">How many of the latest cycles to show.</param>
        /// <param name="reasons">How many failure reasons to show.</param>
        public static CycleReport Build(ProvisioningState state, ProvisioningConfiguration configuration, IEnumerable<ProvisioningLogRecord> logs,
            string statePath, string api, DateTimeOffset now, int cycles = 20, int reasons = 10)
        {
            var shown = state.History.Take(cycles).Reverse().Select(c => new ReportCycle
            {
                CycleId = c.CycleId, StartTime = c.StartTime, Duration = c.EndTime - c.StartTime, Status = c.Remaining.HasValue ? $"{c.Status} ({c.Remaining} remaining)" : c.Status.ToString(), Mode = c.Mode.ToString(),
                Created = c.Created + c.GroupsCreated, Updated = c.Updated + c.GroupsUpdated, Suspended = c.Suspended, Deleted = c.Deleted + c.GroupsDeleted, Failed = c.Failed,
            }).ToList();
            var cycleIds = new HashSet<string>(shown.Select(c => c.CycleId), StringComparer.OrdinalIgnoreCase);

            // The logs hold a file per cycle, newest first: reading stops after the cycles shown.
            var failures = new List<ProvisioningLogRecord>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var record in logs)
            {
                if (record.CycleId == null || !cycleIds.Contains(record.CycleId))
                {
                    if (seen.Count >= cycleIds.Count) break;
                    continue;
                }
                seen.Add(record.CycleId);
                if (record.Status == ChangeStatus.Failure) failures.Add(record);
            }
            var topReasons = failures
                .GroupBy(f => Reason(f), StringComparer.Ordinal)
                .Select(g => new FailureReason
                {
                    Reason = g.Key, Count = g.Count(),
                    Affected = g.Select(f => f.SourceIdentity ?? f.TargetIdentity ?? f.SourceId).Where(s => s != null).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
                })
                .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
                .Take(reasons).ToList();

            var mappings = new List<MappingEntry>();
            var filters = new List<ScopingFilterEntry>();
            var actions = new Dictionary<ObjectType, string>();
            foreach (var type in new[] { ObjectType.User, ObjectType.Group })
            {
                var mapping = configuration.Mappings.For(type);
                if (mapping == null) continue;
                mappings.AddRange(mapping.Attributes.Select(a => new MappingEntry(type, a)));
                filters.AddRange(mapping.ScopingFilters.Select(f => new ScopingFilterEntry(type, f)));
                actions[type] = (mapping.Enabled ? "enabled" : "disabled") + "; target object actions: " + (mapping.Actions.ToString() is var a && a.Length > 0 ? a : "none");
            }

            return new CycleReport
            {
                Generated = now, StatePath = statePath, Api = api,
                ProvisioningStatus = state.Status == ProvisioningToggle.Off ? "Paused (Off)" : state.Quarantine != null ? "Quarantine" : state.History.Count == 0 ? "Not run" : "Active",
                ManagedUsers = state.Users.Count, ManagedGroups = state.Groups.Count,
                Cycles = shown,
                Quarantine = state.Quarantine,
                HeldDeletions = state.StagedDeletions.ToList(),
                Escrows = state.Escrows.Values
                    .Select(e => new ReportEscrow { Identity = e.Identity ?? e.SourceId, Attempts = e.Attempts, NextAttempt = e.NextAttempt, Due = e.NextAttempt <= now, LastError = e.LastError })
                    .OrderByDescending(e => e.Due).ThenBy(e => e.NextAttempt).ToList(),
                FailureReasons = topReasons,
                Mappings = mappings,
                ScopingFilters = filters,
                TargetActions = actions,
            };
        }

        /// <summary>
        /// A failure's reason without what differs from object to object (its own names, quoted values), so that one
        /// cause counts once however many users it hit.
        /// </summary>
        internal static string Reason(ProvisioningLogRecord failure)
        {
            var details = failure.StatusDetails;
            if (string.IsNullOrWhiteSpace(details)) return "(no details)";
            var text = details.Trim();
            var placeholder = string.Equals(failure.ObjectType, nameof(ObjectType.Group), StringComparison.OrdinalIgnoreCase) ? "<group>" : "<user>";
            foreach (var name in new[] { failure.SourceIdentity, failure.TargetIdentity, failure.SourceId, failure.TargetId }.Where(n => !string.IsNullOrEmpty(n)).OrderByDescending(n => n.Length))
                text = System.Text.RegularExpressions.Regex.Replace(text, System.Text.RegularExpressions.Regex.Escape(name), placeholder, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            text = System.Text.RegularExpressions.Regex.Replace(text, "'[^']*'", "'…'");
            return text.Length > 300 ? text.Substring(0, 297) + "..." : text;
        }
    }
}
