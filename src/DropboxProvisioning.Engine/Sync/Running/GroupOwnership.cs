using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Sync
{
    /// <summary>
    /// One rule for every Dropbox group the engine manages: it removes only the members it added and deletes only the
    /// groups it created, whether it created the group or matched an existing one by name; members and groups an admin
    /// made by hand are left alone unless the setting TakeOverDropboxGroups says otherwise. The planner (what -WhatIf
    /// shows) and the runner (what is sent) both ask here.
    /// </summary>
    internal static class GroupOwnership
    {
        public const string CreatedBy = "Created";

        /// <summary>The engine created this group (not matched by name, nor taken over after a 409).</summary>
        public static bool Created(ManagedObject managed) => managed != null && managed.MatchedBy == CreatedBy;

        /// <summary>
        /// The members the engine added. A record from an older version has none listed: for a group the engine
        /// created, the members it last wrote are its own (that version removed every other one); for a matched
        /// group, none are, so nothing is removed from it.
        /// </summary>
        public static HashSet<string> Added(ManagedObject managed) =>
            managed?.AddedMembers ?? (Created(managed) && managed.Members != null
                ? new HashSet<string>(managed.Members, StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal));

        /// <summary>Of the members that Entra no longer wants in the group, those the engine may remove.</summary>
        public static List<string> Removable(ManagedObject managed, IEnumerable<string> notWanted, bool takeOver)
        {
            if (takeOver) return notWanted.ToList();
            var added = Added(managed);
            return notWanted.Where(added.Contains).ToList();
        }

        /// <summary>
        /// With a drift repair: also the members added by hand that the full reconciliation found (<see cref="DriftCheck.MarkMembers"/>),
        /// where Entra does not want them in the group.
        /// </summary>
        public static List<string> Removable(ManagedObject managed, ICollection<string> notWanted, bool takeOver, ISet<string> driftRemovals)
        {
            var removable = Removable(managed, notWanted, takeOver);
            if (driftRemovals == null) return removable;
            removable.AddRange(notWanted.Where(m => driftRemovals.Contains(m) && !removable.Contains(m)));
            return removable;
        }

        /// <summary>A group that left scope is deleted when the engine created it (or takes groups over); else it is only let go.</summary>
        public static bool MayDelete(ManagedObject managed, bool takeOver) => takeOver || Created(managed);
    }
}
