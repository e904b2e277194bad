using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Reporting;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// A cycle's changes. Its text is what they come to ("Create 12 Dropbox users (10 Success, 2 Failure); Skip 2 Entra users (2 Skipped)"), so that
    /// Export-Csv of a cycle result writes that, not the list's type name nor thousands of descriptions in one cell.
    /// </summary>
    public sealed class ChangeList : List<ProvisioningChange>
    {
        public ChangeList() { }
        public ChangeList(IEnumerable<ProvisioningChange> changes) : base(changes) { }
        public override string ToString() => Count == 0 ? "none" : string.Join("; ", ChangeSummary.Of(this).Kinds.Select(Text));

        /// <summary>"Create 34 Dropbox users (10 Success, 24 Failure)": the outcomes are said unless all succeeded (or none ran).</summary>
        private static string Text(ChangeKind kind)
        {
            var outcomes = kind.Changes.GroupBy(c => c.Status).OrderBy(g => g.Key).ToList();
            if (outcomes.Count == 1 && (outcomes[0].Key == ChangeStatus.Success || outcomes[0].Key == ChangeStatus.Planned)) return kind.Title;
            return $"{kind.Title} ({string.Join(", ", outcomes.Select(g => $"{g.Count()} {g.Key}"))})";
        }
    }
}
