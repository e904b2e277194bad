using System;
using System.Collections.Generic;
using System.Linq;
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
            if (state.Version != ProvisioningState.CurrentVersion)
                return ("$.Version", $"the state has version {state.Version}; this module reads version {ProvisioningState.CurrentVersion}.");
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
            }
            foreach (var (name, link) in new[] { (nameof(state.UsersDeltaLink), state.UsersDeltaLink), (nameof(state.GroupsDeltaLink), state.GroupsDeltaLink) })
                if (link != null && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
                    return ("$." + name, "it is not an http(s) URL.");
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
