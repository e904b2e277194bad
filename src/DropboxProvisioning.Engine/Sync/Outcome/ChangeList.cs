using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// A cycle's changes. Its text is what they come to ("Create User: 12 (10 Success, 2 Failure); Skip User: 2"), so
    /// that Export-Csv of a cycle result writes that, not the list's type name nor thousands of descriptions in one cell.
    /// </summary>
    public sealed class ChangeList : List<ProvisioningChange>
    {
        public ChangeList() { }
        public ChangeList(IEnumerable<ProvisioningChange> changes) : base(changes) { }

        public override string ToString() => Count == 0 ? "none" : string.Join("; ", this
            .GroupBy(c => (c.Action, c.ObjectType)).OrderBy(g => g.Key.Action).ThenBy(g => g.Key.ObjectType)
            .Select(g => $"{g.Key.Action} {g.Key.ObjectType}: {g.Count()}{Outcomes(g)}"));

        /// <summary>" (10 Success, 2 Failure)", unless every change had the one outcome expected of it.</summary>
        private static string Outcomes(IGrouping<(ChangeAction Action, Mapping.ObjectType ObjectType), ProvisioningChange> kind)
        {
            var outcomes = kind.GroupBy(c => c.Status).OrderBy(g => g.Key).ToList();
            var expected = kind.Key.Action == ChangeAction.Skip ? ChangeStatus.Skipped : ChangeStatus.Success;
            if (outcomes.Count == 1 && (outcomes[0].Key == expected || outcomes[0].Key == ChangeStatus.Planned)) return "";
            return " (" + string.Join(", ", outcomes.Select(g => $"{g.Count()} {g.Key}")) + ")";
        }
    }
}
