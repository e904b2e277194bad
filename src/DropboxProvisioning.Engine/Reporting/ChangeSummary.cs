using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Sync;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Reporting
{
    /// <summary>The planned changes of one kind (an action on an object type): what -Confirm asks about once.</summary>
    public sealed class ChangeKind
    {
        internal ChangeKind(ChangeAction action, ObjectType objectType, IReadOnlyList<ProvisioningChange> changes)
        {
            Action = action; ObjectType = objectType; Changes = changes;
        }

        public ChangeAction Action { get; }
        public ObjectType ObjectType { get; }
        public IReadOnlyList<ProvisioningChange> Changes { get; }
        public int Count => Changes.Count;

        /// <summary>"Suspend 60 Dropbox users", as the admin reads the action.</summary>
        public string Title => $"{(Action == ChangeAction.Other && ObjectType == ObjectType.Group ? "Let go of (left in Dropbox, without the members the engine added)" : Verb(Action))} {ChangeSummary.Number(Count)} {Noun(ObjectType, Count, Action)}";

        /// <summary>The -Confirm text: the kind, its first identities and how many more.</summary>
        public string Prompt(int names = 5)
        {
            var shown = Changes.Take(names).Select(c => c.TargetIdentity ?? c.SourceIdentity).ToList();
            var more = Count - shown.Count;
            return $"{Title}: {string.Join(", ", shown)}{(more > 0 ? $" and {ChangeSummary.Number(more)} more" : "")}";
        }

        internal static string Verb(ChangeAction action)
        {
            switch (action)
            {
                case ChangeAction.Disable: return "Suspend";
                case ChangeAction.StagedDelete: return "Hold (accidental-deletions threshold) the suspension or deletion of";
                case ChangeAction.Adopt: return "Take under management";
                case ChangeAction.Other: return "Record (state only)";
                case ChangeAction.Remind: return "Send the invitation again to";
                default: return action.ToString();
            }
        }

        private static string Noun(ObjectType type, int count, ChangeAction action)
        {
            var noun = type == ObjectType.User ? "user" : "group";
            if (count != 1) noun += "s";
            return action == ChangeAction.Skip ? "Entra " + noun : "Dropbox " + noun;
        }
    }

    /// <summary>
    /// A plan told in a few lines instead of one line per change: counts per action and object type, the first
    /// changes, and where every change is. Works on any list of changes (a cycle's plan, an approval).
    /// </summary>
    public sealed class ChangeSummary
    {
        /// <summary>The order kinds are told in: writes first, in the order the cycle makes them, then bookkeeping.</summary>
        private static readonly ChangeAction[] Order =
        {
            ChangeAction.Create, ChangeAction.Update, ChangeAction.Disable, ChangeAction.Delete, ChangeAction.Remind,
            ChangeAction.StagedDelete, ChangeAction.Adopt, ChangeAction.Other, ChangeAction.Skip,
        };

        private ChangeSummary(IReadOnlyList<ChangeKind> kinds, int total)
        {
            Kinds = kinds; Total = total;
        }

        public static ChangeSummary Of(IEnumerable<ProvisioningChange> changes)
        {
            var list = (changes ?? Enumerable.Empty<ProvisioningChange>()).ToList();
            var kinds = list
                .GroupBy(c => (c.Action, c.ObjectType))
                .OrderBy(g => Array.IndexOf(Order, g.Key.Action)).ThenBy(g => g.Key.ObjectType)
                .Select(g => new ChangeKind(g.Key.Action, g.Key.ObjectType, g.ToList()))
                .ToList();
            return new ChangeSummary(kinds, list.Count);
        }

        public IReadOnlyList<ChangeKind> Kinds { get; }
        public int Total { get; }

        /// <summary>The kinds that write to Dropbox or the state, for -Confirm (skips ask nothing).</summary>
        public IEnumerable<ChangeKind> Confirmable => Kinds.Where(k => k.Action != ChangeAction.Skip);

        public int Count(ChangeAction action, ObjectType objectType) =>
            Kinds.FirstOrDefault(k => k.Action == action && k.ObjectType == objectType)?.Count ?? 0;

        /// <summary>
        /// The -WhatIf text: a heading, one line per kind, the first <paramref name="firstChanges"/> changes (each cut to
        /// <paramref name="width"/> characters) and <paramref name="howToGetAll"/>.
        /// </summary>
        public string Text(string heading, string howToGetAll, int firstChanges = 10, int width = 160)
        {
            var text = new StringBuilder();
            text.AppendLine(heading);
            if (Total == 0)
            {
                text.Append("Nothing to change.");
                return text.ToString();
            }
            var countWidth = Kinds.Max(k => Number(k.Count).Length);
            var actionWidth = Kinds.Max(k => k.Action.ToString().Length);
            foreach (var kind in Kinds)
                text.AppendLine($"  {Number(kind.Count).PadLeft(countWidth)}  {kind.Action.ToString().PadRight(actionWidth)}  {kind.ObjectType,-5}  {kind.Title}");
            var first = Kinds.Where(k => k.Action != ChangeAction.Skip).SelectMany(k => k.Changes).Take(firstChanges).ToList();
            if (first.Count > 0)
            {
                text.AppendLine(first.Count == Total ? "The changes:" : $"The first {first.Count} of {Number(Total)}:");
                foreach (var change in first) text.AppendLine("  " + Cut(change.Description, width));
            }
            text.Append(howToGetAll);
            return text.ToString();
        }

        internal static string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

        private static string Cut(string text, int width) =>
            text == null || text.Length <= width ? text : text.Substring(0, width - 3) + "...";
    }
}
