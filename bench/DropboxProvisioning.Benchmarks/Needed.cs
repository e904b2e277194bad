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
        /// <summary>The changes that write a user which the engine should plan (creates, adoptions, updates): on the Team API many creates share a call.</summary>
        public long Changes { get; set; }
        /// <summary>Of <see cref="Reads"/>, the polls of asynchronous jobs (one per job).</summary>
        public long JobPolls { get; set; }
        public string Basis { get; set; }
    }

    /// <summary>
    /// Derives the needed requests from the generated tenant itself, not from the engine's plan, so that an engine
    /// that plans too much cannot raise its own bound. What each account costs is the target's
    /// (<see cref="IBenchTarget.InitialNeeded"/>, <see cref="IBenchTarget.IncrementalNeeded"/>):
    /// <list type="bullet">
    /// <item>Initial cycle. The eligible users (assigned directly or as a direct member of an assigned group, with a role
    /// other than Default Access; enabled; with a userPrincipalName and a surname, which Dropbox requires) split into creates and
    /// adoptions (a pre-existing account with the user's userName, whose values differ, as the generator makes them: one write
    /// to bring it in line). SCIM: one POST per create, one PATCH per adoption. Team API: members/add_v2 takes 20 members a call
    /// (see <see cref="TeamApiTarget.InitialNeeded"/> for its job polls), one set_profile_v2 per adoption. Reads: the team listed
    /// once in the largest pages the target allows, ceil(max(1, existing accounts) / page size), to learn what already exists
    /// so no create is refused and no account duplicated. A design that creates blindly and reads only on a conflict would
    /// need about the same (one read per conflict), so this is the minimum either way.</item>
    /// <item>Incremental cycle: one write per changed user, no read: with Graph's delta query and the state of the
    /// previous cycle (Dropbox ids, values last written) nothing needs to be read from Dropbox.</item>
    /// <item>Cycle with nothing changed: nothing (the issue allows a constant number of reads).</item>
    /// </list>
    /// The bound is Needed.Total / rate limit. Graph requests and token requests are not counted against it: Graph's own
    /// limits are far above 25/s, and a cycle asks Dropbox's OAuth endpoint for one access token.
    /// </summary>
    public static class Needed
    {
        public static NeededRequests Initial(SandboxTenant tenant, IBenchTarget target, out List<string> eligibleUserIds)
        {
            eligibleUserIds = EligibleUsers(tenant);
            var adoptions = 0;
            foreach (var id in eligibleUserIds)
            {
                var member = tenant.Dropbox.FindByEmail(tenant.Directory.GetUser(id).UserPrincipalName);
                if (member != null && member.Status != DropboxProvisioning.Sandbox.Dropbox.DropboxMemberStatus.Removed) adoptions++;
            }
            return target.InitialNeeded(eligibleUserIds.Count - adoptions, adoptions, tenant.Dropbox.MemberCount);
        }

        /// <summary>The listing every initial cycle needs: ceil(max(1, existing) / page size) reads.</summary>
        public static long ListPages(int existing, int pageSize) => (long)Math.Ceiling(Math.Max(1, existing) / (double)pageSize);

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
