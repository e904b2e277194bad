using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.State;
using Newtonsoft.Json.Linq;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// A planned change as the state keeps it when a cycle stops at its deadline (<see cref="RemainingChange"/>), and back:
    /// what the runner needs to make it later, without reading Dropbox or planning it again.
    /// </summary>
    internal static class RemainingWork
    {
        /// <summary>
        /// A change that sends a request to Dropbox, the kind a deadline stops: a user's create, update, suspension or
        /// deletion; any group change but a skip (adopting or letting go of a group changes its members). Adoptions, skips
        /// and forgotten accounts only touch the state and the log, and run even past the deadline.
        /// </summary>
        public static bool IsWrite(ProvisioningChange change) => change.ObjectType == ObjectType.Group
            ? change.Planned != ChangeAction.Skip
            : change.Planned == ChangeAction.Create || change.Planned == ChangeAction.Update || change.Planned == ChangeAction.Disable || change.Planned == ChangeAction.Delete;

        public static string Key(ProvisioningChange change) => PartialCycle.Key(change.ObjectType, change.SourceId);

        public static RemainingChange ToRemaining(ProvisioningChange change)
        {
            var modified = change.ModifiedFromValues ? null : change.PlannedModifiedProperties;
            return new RemainingChange
            {
                ObjectType = change.ObjectType, Action = change.Planned, SourceId = change.SourceId, SourceIdentity = change.SourceIdentity,
                TargetId = change.PlannedTargetId, TargetIdentity = change.TargetIdentity, Reason = change.Reason, Details = change.PlannedDetails,
                MatchedBy = change.MatchedBy, IsAdoption = change.IsAdoption,
                Values = ToJson(change.Values),
                Desired = change.Desired == null || ReferenceEquals(change.Desired, change.Values) ? null : ToJson(change.Desired),
                Modified = modified == null || modified.Count == 0 ? null : new List<ModifiedProperty>(modified),
                SourceMembers = change.SourceMembers == null ? null : new HashSet<string>(change.SourceMembers, StringComparer.OrdinalIgnoreCase),
                CurrentMembers = change.CurrentMembers == null ? null : new HashSet<string>(change.CurrentMembers, StringComparer.Ordinal),
                // Only an update reads what Dropbox held (the old values it logs, what it records when Dropbox answers with no body).
                Existing = change.Planned == ChangeAction.Update || change.Planned == ChangeAction.Adopt ? change.Existing : null,
                Offboarding = change.Offboarding?.ToRecord(),
            };
        }

        /// <summary>
        /// The change again, its values bound to the mapping's attributes. Throws <see cref="StaleRemainingChange"/> when the
        /// mapping no longer has one of them (the configuration changed under a state that says it did not).
        /// </summary>
        public static ProvisioningChange ToChange(RemainingChange remaining, CompiledMapping mapping)
        {
            var values = FromJson(remaining.Values, mapping);
            var change = new ProvisioningChange
            {
                ObjectType = remaining.ObjectType, Planned = remaining.Action, SourceId = remaining.SourceId, SourceIdentity = remaining.SourceIdentity,
                TargetId = remaining.TargetId, TargetIdentity = remaining.TargetIdentity, Reason = remaining.Reason, PlannedDetails = remaining.Details,
                MatchedBy = remaining.MatchedBy, IsAdoption = remaining.IsAdoption, Values = values,
                Desired = remaining.Desired != null ? FromJson(remaining.Desired, mapping) : remaining.Action == ChangeAction.Create ? values : null,
                SourceMembers = remaining.SourceMembers == null ? null : new HashSet<string>(remaining.SourceMembers, StringComparer.OrdinalIgnoreCase),
                CurrentMembers = remaining.CurrentMembers == null ? null : new HashSet<string>(remaining.CurrentMembers, StringComparer.Ordinal),
                Existing = remaining.Existing,
                ModifiedFromValues = remaining.Modified == null && remaining.Action == ChangeAction.Create && remaining.ObjectType == ObjectType.User,
                Offboarding = OffboardingDecision.From(remaining.Offboarding), // a rule's suspension or removal, as it was decided
            };
            if (remaining.Modified != null) change.PlannedModifiedProperties.AddRange(remaining.Modified);
            return change;
        }

        private static JObject ToJson(List<TargetValue> values)
        {
            var json = new JObject();
            foreach (var value in values ?? new List<TargetValue>()) json[value.Path.Text] = value.Value.DeepClone();
            return json;
        }

        private static List<TargetValue> FromJson(JObject json, CompiledMapping mapping)
        {
            var values = new List<TargetValue>(json.Count);
            foreach (var property in json.Properties())
            {
                var attribute = mapping.Attributes.FirstOrDefault(a => string.Equals(a.Path.Text, property.Name, StringComparison.Ordinal))
                    ?? throw new StaleRemainingChange(property.Name);
                values.Add(new TargetValue(attribute, property.Value));
            }
            return values;
        }
    }

    /// <summary>A remaining change names an attribute the mapping does not have.</summary>
    internal sealed class StaleRemainingChange : Exception
    {
        public StaleRemainingChange(string attribute) : base($"the remaining work sets '{attribute}', which the mapping no longer has") { }
    }
}
