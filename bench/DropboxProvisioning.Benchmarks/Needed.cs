using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Sandbox;

namespace DropboxProvisioning.Benchmarks
{
    /// <summary>The requests to the target that a cycle strictly needs: the numerator of the lower bound.</summary>
    public sealed class NeededRequests
    {
        public long Reads { get; set; }
        public long Writes { get; set; }
        public long Total => Reads + Writes;
        public string Basis { get; set; }
    }

    /// <summary>
    /// Derives the needed requests from the generated tenant itself, not from the engine's plan, so that an engine
    /// that plans too much cannot raise its own bound.
    /// <list type="bullet">
    /// <item>Initial cycle. Writes: one per eligible user (assigned directly or as a direct member of an assigned group, with a
    /// role other than Default Access; enabled; with a userPrincipalName and a surname, which Dropbox requires): a POST, or one
    /// PATCH to adopt a pre-existing account (whose values differ, as the generator makes them). Reads: the team listed once
    /// in the largest pages the target allows, ceil(max(1, existing accounts) / page size), to learn what already exists so no
    /// create is refused with 409 and no account duplicated. A design that POSTs blindly and reads only on 409 would need about
    /// the same (one read per conflict), so this is the minimum either way.</item>
    /// <item>Incremental cycle: one write (PATCH) per changed user, no read: with Graph's delta query and the state of the
    /// previous cycle (Dropbox ids, values last written) nothing needs to be read from Dropbox.</item>
    /// <item>Cycle with nothing changed: nothing (the issue allows a constant number of reads).</item>
    /// </list>
    /// The bound is Needed.Total / rate limit. Graph requests are not counted against it: Graph's own limits are far above 25/s.
    /// </summary>
    public static class Needed
    {
        public static NeededRequests Initial(SandboxTenant tenant, IBenchTarget target, out List<string> eligibleUserIds)
        {
            eligibleUserIds = EligibleUsers(tenant);
            var existing = tenant.Dropbox.MemberCount;
            return new NeededRequests
            {
                Writes = eligibleUserIds.Count,
                Reads = (long)Math.Ceiling(Math.Max(1, existing) / (double)target.MaxPageSize),
                Basis = $"{eligibleUserIds.Count} eligible users, 1 write each; {existing} pre-existing accounts listed in pages of {target.MaxPageSize}",
            };
        }

        public static NeededRequests Incremental(int changedUsers) => new NeededRequests
        {
            Writes = changedUsers, Reads = 0, Basis = $"{changedUsers} changed users, 1 PATCH each; nothing to read (delta + state)",
        };

        public static NeededRequests NoChange() => new NeededRequests { Basis = "nothing changed" };

        /// <summary>The users a correct initial cycle must create (or adopt), in directory order.</summary>
        public static List<string> EligibleUsers(SandboxTenant tenant)
        {
            var directory = tenant.Directory;
            var entitled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var assignment in directory.Assignments)
            {
                if (string.IsNullOrEmpty(assignment.AppRoleId) || Guid.TryParse(assignment.AppRoleId, out var role) && role == Guid.Empty) continue;
                if (string.Equals(assignment.PrincipalType, "Group", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var member in directory.MemberRefs(assignment.PrincipalId) ?? Array.Empty<KeyValuePair<string, bool>>())
                        if (!member.Value) entitled.Add(member.Key); // direct user members only, as Entra does
                }
                else entitled.Add(assignment.PrincipalId);
            }
            return directory.Users
                .Where(u => entitled.Contains(u.Id) && u.AccountEnabled && !string.IsNullOrEmpty(u.UserPrincipalName) && !string.IsNullOrWhiteSpace(u.Surname))
                .Select(u => u.Id)
                .ToList();
        }
    }
}
