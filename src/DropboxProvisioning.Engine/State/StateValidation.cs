using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Sync;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// What a state or configuration file must hold beyond its JSON types (which the strict reader checks): the version
    /// this module writes, the keys it always writes, known enum values, no empty entries, delta links that are URLs,
    /// settings in range. Each problem is given with the JSON path of what is wrong.
    /// </summary>
    internal static class StateValidation
    {
        public static (string Path, string Problem)? Problem(ProvisioningState state, ISet<string> keys)
        {
            if (!keys.Contains(nameof(ProvisioningState.Version))) return ("$.Version", "the key Version is missing (this is not a state file the engine wrote).");
            if (state.Version < ProvisioningState.FirstVersion || state.Version > ProvisioningState.CurrentVersion)
                return ("$.Version", $"the state has version {state.Version}; this module reads versions {ProvisioningState.FirstVersion} to {ProvisioningState.CurrentVersion}.");
            if (state.PartialCycle != null && state.Version < 2)
                return ("$.PartialCycle", $"a version {state.Version} state has no partial cycle (version 2 brought it).");
            if (!keys.Contains(nameof(ProvisioningState.Users))) return ("$.Users", "the key Users is missing: a state without it would manage nobody.");
            if (!Enum.IsDefined(typeof(ProvisioningToggle), state.Status)) return ("$.Status", $"{state.Status} is not a status (On or Off).");
            foreach (var pair in state.Users)
            {
                var problem = Managed(pair.Value, $"$.Users['{pair.Key}']");
                if (problem != null) return problem;
            }
            foreach (var pair in state.Groups)
            {
                var problem = Managed(pair.Value, $"$.Groups['{pair.Key}']");
                if (problem != null) return problem;
            }
            if (state.EntitledUsers.Any(string.IsNullOrWhiteSpace)) return ("$.EntitledUsers", "an entry is empty.");
            if (state.Reconsider.Any(string.IsNullOrWhiteSpace)) return ("$.Reconsider", "an entry is empty.");
            foreach (var pair in state.AssignedGroups)
                if (pair.Value.Any(string.IsNullOrWhiteSpace)) return ($"$.AssignedGroups['{pair.Key}']", "a member is empty.");
            foreach (var pair in state.Escrows)
            {
                if (pair.Value == null) return ($"$.Escrows['{pair.Key}']", "the entry is empty.");
                if (pair.Value.Attempts < 0) return ($"$.Escrows['{pair.Key}'].Attempts", $"{pair.Value.Attempts} is not a number of attempts.");
                if (pair.Value.Reason != null && !EscrowEntry.IsKnownReason(pair.Value.Reason)) return ($"$.Escrows['{pair.Key}'].Reason", $"'{pair.Value.Reason}' is not a reason this module knows ({EscrowEntry.LicenseLimit} or {EscrowEntry.InviteWithdrawn}).");
            }
            foreach (var pair in state.PendingInvites)
                if (pair.Value == null || string.IsNullOrWhiteSpace(pair.Value.TargetId)) return ($"$.PendingInvites['{pair.Key}']", "the entry has no TargetId.");
            foreach (var pair in state.RemovedMembers)
                if (pair.Value == null || string.IsNullOrWhiteSpace(pair.Value.TargetId)) return ($"$.RemovedMembers['{pair.Key}']", "the entry has no TargetId.");
            foreach (var pair in state.PendingRemovals)
                if (pair.Value == null || string.IsNullOrWhiteSpace(pair.Value.TargetId) || pair.Value.Rule == null) return ($"$.PendingRemovals['{pair.Key}']", "the entry has no TargetId or rule.");
            for (var i = 0; i < state.StagedDeletions.Count; i++)
            {
                var staged = state.StagedDeletions[i];
                if (staged == null || string.IsNullOrWhiteSpace(staged.SourceId)) return ($"$.StagedDeletions[{i}]", "the entry has no SourceId.");
                if (staged.Action != "Disable" && staged.Action != "Delete") return ($"$.StagedDeletions[{i}].Action", $"'{staged.Action}' is not Disable or Delete.");
            }
            for (var i = 0; i < state.History.Count; i++)
            {
                var cycle = state.History[i];
                if (cycle == null) return ($"$.History[{i}]", "the entry is empty.");
                if (!Enum.IsDefined(typeof(CycleStatus), cycle.Status)) return ($"$.History[{i}].Status", $"{cycle.Status} is not a cycle status.");
                if (!Enum.IsDefined(typeof(CycleMode), cycle.Mode)) return ($"$.History[{i}].Mode", $"{cycle.Mode} is not a cycle mode.");
                if (cycle.Remaining < 0) return ($"$.History[{i}].Remaining", $"{cycle.Remaining} is not a number of changes.");
            }
            if (state.PartialCycle != null)
            {
                var problem = Partial(state.PartialCycle);
                if (problem != null) return problem;
            }
            foreach (var (name, link) in new[] { (nameof(state.UsersDeltaLink), state.UsersDeltaLink), (nameof(state.GroupsDeltaLink), state.GroupsDeltaLink) })
                if (link != null && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
                    return ("$." + name, "it is not an http(s) URL.");
            return null;
        }

        private static readonly ChangeAction[] UserActions = { ChangeAction.Create, ChangeAction.Update, ChangeAction.Disable, ChangeAction.Delete };
        private static readonly ChangeAction[] GroupActions = { ChangeAction.Create, ChangeAction.Update, ChangeAction.Adopt, ChangeAction.Delete, ChangeAction.Other };

        /// <summary>A partial cycle: its counts, and each remaining change whole enough to be made as planned.</summary>
        private static (string, string)? Partial(PartialCycle partial)
        {
            const string at = "$.PartialCycle";
            if (string.IsNullOrWhiteSpace(partial.CycleId)) return (at + ".CycleId", "the cycle id is missing or empty.");
            if (string.IsNullOrWhiteSpace(partial.LastPartId)) return (at + ".LastPartId", "the id of the latest part is missing or empty.");
            if (!Enum.IsDefined(typeof(CycleMode), partial.Mode)) return (at + ".Mode", $"{partial.Mode} is not a cycle mode.");
            if (partial.Parts < 1) return (at + ".Parts", $"{partial.Parts} is not a number of parts (at least 1).");
            foreach (var (name, count) in new[] { (nameof(partial.Operations), partial.Operations), (nameof(partial.Failed), partial.Failed), (nameof(partial.Deprovisioned), partial.Deprovisioned) })
                if (count < 0) return ($"{at}.{name}", $"{count} is not a count.");
            if (partial.Done.Any(string.IsNullOrWhiteSpace)) return (at + ".Done", "an entry is empty.");
            if (partial.Ambiguous.Any(string.IsNullOrWhiteSpace)) return (at + ".Ambiguous", "an entry is empty.");
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < partial.Remaining.Count; i++)
            {
                var change = partial.Remaining[i];
                var path = $"{at}.Remaining[{i}]";
                if (change == null) return (path, "the entry is empty.");
                if (!Enum.IsDefined(typeof(ObjectType), change.ObjectType)) return (path + ".ObjectType", $"{change.ObjectType} is not User or Group.");
                var actions = change.ObjectType == ObjectType.User ? UserActions : GroupActions;
                if (!actions.Contains(change.Action)) return (path + ".Action", $"{change.Action} is not a {change.ObjectType.ToString().ToLowerInvariant()} change that is left for later ({string.Join(", ", actions)}).");
                if (string.IsNullOrWhiteSpace(change.SourceId)) return (path + ".SourceId", "the Entra id is missing or empty.");
                if (!seen.Add(PartialCycle.Key(change.ObjectType, change.SourceId))) return (path + ".SourceId", $"'{change.SourceId}' has another remaining change: a cycle plans one change per object.");
                if (change.Action != ChangeAction.Create && string.IsNullOrWhiteSpace(change.TargetId)) return (path + ".TargetId", "the Dropbox id is missing or empty (only a create has none).");
                if (change.Action == ChangeAction.Create && string.IsNullOrWhiteSpace(change.TargetIdentity)) return (path + ".TargetIdentity", "a create needs the name it creates.");
                foreach (var (name, values) in new[] { (nameof(change.Values), change.Values), (nameof(change.Desired), change.Desired) })
                {
                    if (values == null) continue;
                    var bad = values.Properties().FirstOrDefault(p => string.IsNullOrEmpty(p.Name) || p.Value.Type == Newtonsoft.Json.Linq.JTokenType.Null);
                    if (bad != null) return ($"{path}.{name}", string.IsNullOrEmpty(bad.Name) ? "an attribute name is empty." : $"the value of '{bad.Name}' is null (a value that is not sent is left out).");
                }
                if (change.Action == ChangeAction.Create && change.Values.Count == 0 && change.ObjectType == ObjectType.User) return (path + ".Values", "a create sends no value.");
                if (change.Modified != null && change.Modified.Any(m => m == null || string.IsNullOrEmpty(m.Name))) return (path + ".Modified", "an entry has no name.");
                foreach (var (name, members) in new[] { (nameof(change.SourceMembers), change.SourceMembers), (nameof(change.CurrentMembers), change.CurrentMembers) })
                    if (members != null && members.Any(string.IsNullOrWhiteSpace)) return ($"{path}.{name}", "a member is empty.");
            }
            return null;
        }

        private static (string, string)? Managed(ManagedObject managed, string path)
        {
            if (string.IsNullOrWhiteSpace(managed.TargetId)) return (path + ".TargetId", "the Dropbox id is missing or empty.");
            if (managed.Exported.Any(p => string.IsNullOrEmpty(p.Key))) return (path + ".Exported", "an attribute name is empty.");
            if (managed.AddedMembers != null && managed.AddedMembers.Any(string.IsNullOrWhiteSpace)) return (path + ".AddedMembers", "a member is empty.");
            return null;
        }

        /// <summary>The configuration file of a state directory (PascalCase keys, as the engine writes it).</summary>
        public static (string Path, string Problem)? Problem(ProvisioningConfiguration configuration, ISet<string> keys)
        {
            if (!keys.Contains(nameof(ProvisioningConfiguration.Version))) return ("$.Version", "the key Version is missing (this is not a configuration file the engine wrote).");
            foreach (var name in new[] { nameof(ProvisioningConfiguration.Mappings), nameof(ProvisioningConfiguration.Settings) })
                if (!keys.Contains(name)) return ("$." + name, $"the key {name} is missing: the engine would run on defaults.");
            if (configuration.Version != 1) return ("$.Version", $"the configuration has version {configuration.Version}; this module reads version 1.");
            try
            {
                ConfigurationEditor.Validate(configuration);
            }
            catch (Errors.DbxException e)
            {
                return (SettingPath(e.Condition, "$.Settings.", s => s) ?? "$.Mappings", e.Message);
            }
            return null;
        }

        /// <summary>The JSON path of the setting a validation error is about, or null when it is about the mappings.</summary>
        public static string SettingPath(string condition, string prefix, Func<string, string> name)
        {
            switch (condition)
            {
                case "InvalidDeletionThreshold": return prefix + name(nameof(ProvisioningSettings.DeletionThreshold));
                case "InvalidConcurrency": return prefix + name(nameof(ProvisioningSettings.MaxConcurrency));
                case "InvalidRequestRate": return prefix + name(nameof(ProvisioningSettings.MaxRequestsPerSecond));
                case "InvalidCycleInterval": return prefix + name(nameof(ProvisioningSettings.CycleInterval));
                case "InvalidMaxCycleDuration": return prefix + name(nameof(ProvisioningSettings.MaxCycleDuration));
                case "InvalidFullReconciliationInterval": return prefix + name(nameof(ProvisioningSettings.FullReconciliationInterval));
                case "InvalidNotificationEmail": return prefix + name(nameof(ProvisioningSettings.NotificationEmail));
                case "InvalidNotificationSender": return prefix + name(nameof(ProvisioningSettings.NotificationSender));
                case "InvalidInviteReminder": return prefix + name(nameof(ProvisioningSettings.InviteReminderEveryDays));
                case "InvalidInviteWithdrawal": return prefix + name(nameof(ProvisioningSettings.WithdrawInviteAfterDays));
                case "InvalidInviteDays": return "$.Settings";
                case "MissingSettings": return "$.Settings";
                default: return null;
            }
        }
    }
}
