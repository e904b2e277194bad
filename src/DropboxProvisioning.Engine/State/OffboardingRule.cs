using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Mapping.Scoping;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// One rule of an offboarding policy: which leavers it takes (clauses on Entra attributes, as a scoping filter's; the
    /// default rule has none) and what is done with their Dropbox member. See <see cref="OffboardingPolicy"/> for the rules.
    /// </summary>
    public sealed class OffboardingRule
    {
        /// <summary>The rule's name, unique in the policy ("Default" for the default rule).</summary>
        public string Name { get; set; }

        /// <summary>Clauses that must all hold (AND), with the scoping filters' operators; empty only for the default rule.</summary>
        public List<ScopingClause> Clauses { get; set; } = new List<ScopingClause>();

        public OffboardingAction Action { get; set; } = OffboardingAction.Suspend;

        /// <summary>Wipe the member's data from their linked devices at suspension (MembersDeactivateArg.wipe_data) and at removal.</summary>
        public bool WipeData { get; set; }

        /// <summary>SuspendThenRemove: whole days between the suspension and the removal (0: at the next cycle).</summary>
        public int? RemoveAfterDays { get; set; }

        /// <summary>At removal: where the member's files go.</summary>
        public FileTransferTarget TransferFilesTo { get; set; } = FileTransferTarget.None;

        /// <summary>The attribute (Attribute), the expression (Expression) or the member's e-mail (Member) that names the recipient.</summary>
        public string TransferTarget { get; set; }

        /// <summary>The team admin's e-mail who hears of transfer errors (MembersRemoveArg.transfer_admin_id); required with a transfer.</summary>
        public string TransferAdmin { get; set; }

        /// <summary>At removal: the person keeps a Basic account (MembersRemoveArg.keep_account; wipe_data is then sent false).</summary>
        public bool KeepAccount { get; set; }

        /// <summary>With KeepAccount: the Basic account keeps the folders shared with it directly (MembersRemoveArg.retain_team_shares).</summary>
        public bool RetainTeamShares { get; set; }

        /// <summary>The rule's clauses as a scoping filter, for evaluation and validation.</summary>
        internal ScopingFilter AsFilter() => new ScopingFilter(Name, (Clauses ?? new List<ScopingClause>()).ToArray());

        public OffboardingRule Clone()
        {
            var copy = (OffboardingRule)MemberwiseClone();
            copy.Clauses = (Clauses ?? new List<ScopingClause>()).Select(c => new ScopingClause(c.SourceAttribute, c.Operator, c.Value)).ToList();
            return copy;
        }

        /// <summary>The rule as one line: "department EQUALS "Sales" -> SuspendThenRemove after 30 day(s), files to Manager".</summary>
        [Newtonsoft.Json.JsonIgnore]
        public string Text
        {
            get
            {
                var when = Clauses == null || Clauses.Count == 0 ? "every other leaver" : string.Join(" AND ", Clauses.Select(c => c.ToString()));
                var what = Action == OffboardingAction.Suspend ? "Suspend" : $"SuspendThenRemove after {RemoveAfterDays ?? 0} day(s)";
                if (WipeData) what += ", wipe_data";
                if (Action == OffboardingAction.SuspendThenRemove)
                {
                    if (TransferFilesTo != FileTransferTarget.None) what += $", files to {TransferFilesTo}{(TransferTarget == null ? "" : " " + TransferTarget)} (admin {TransferAdmin})";
                    if (KeepAccount) what += ", keep_account" + (RetainTeamShares ? ", retain_team_shares" : "");
                }
                return $"{when} -> {what}";
            }
        }

        public override string ToString() => $"{Name}: {Text}";
    }
}
