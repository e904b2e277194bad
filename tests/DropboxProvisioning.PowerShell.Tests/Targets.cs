using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.Sandbox.Http;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// What the cycle tests share to run against either provisioning target ("Scim" or "TeamApi", the values of
    /// Connect-DbxTenant -Api): connecting to a sandbox, and counting what Dropbox was asked over the target's API.
    /// </summary>
    internal static class Targets
    {
        public const string Scim = "Scim";
        public const string TeamApi = "TeamApi";

        public static (PowerShellSession ps, DbxConnection connection, SandboxTenant sandbox) Connect(string api, int users = 40, int seed = 7)
        {
            var ps = new PowerShellSession();
            var connection = ps.Single<DbxConnection>($"Connect-DbxTenant -Sandbox -SandboxUserCount {users} -SandboxSeed {seed} -Api {api}");
            return (ps, connection, (SandboxTenant)connection.Sandbox);
        }

        private static readonly string[] ReadRoutes = { "/list", "/get_info", "job_status", "/get_authenticated_admin" };

        /// <summary>A request to Dropbox over the target's API (SCIM /Users and /Groups, or /2/team/members|groups/*).</summary>
        public static bool IsDropboxRequest(JournalEntry e, string api) => api == Scim
            ? e.Service == "scim"
            : e.Service == "dropbox-api" && e.Path.StartsWith("/2/team/", StringComparison.Ordinal);

        /// <summary>A request that changes Dropbox, over the target's API.</summary>
        public static bool IsDropboxWrite(JournalEntry e, string api) => api == Scim
            ? e.Service == "scim" && e.IsWrite
            : IsDropboxRequest(e, api) && !ReadRoutes.Any(r => e.Path.Contains(r));

        /// <summary>Writes Dropbox received over the target's API.</summary>
        public static int Writes(SandboxTenant sandbox, string api) => sandbox.Journal.Entries().Count(e => IsDropboxWrite(e, api));

        /// <summary>The writes since the journal was last cleared, in order.</summary>
        public static List<JournalEntry> WriteEntries(SandboxTenant sandbox, string api) => sandbox.Journal.Entries().Where(e => IsDropboxWrite(e, api)).ToList();

        /// <summary>Requests of either kind Dropbox received over the target's API.</summary>
        public static int Requests(SandboxTenant sandbox, string api) => sandbox.Journal.Entries().Count(e => IsDropboxRequest(e, api));

        /// <summary>Requests Dropbox refused with 429 over the target's API.</summary>
        public static int Refused(SandboxTenant sandbox, string api) => sandbox.Journal.Entries().Count(e => IsDropboxRequest(e, api) && e.Status == 429);

        /// <summary>A user create: a SCIM POST /Users, or a members/add_v2 call (up to 20 users).</summary>
        public static bool IsUserCreate(JournalEntry e, string api) => api == Scim
            ? e.Service == "scim" && e.Method == "POST" && e.Path.EndsWith("/Users", StringComparison.Ordinal)
            : e.Service == "dropbox-api" && e.Path == "/2/team/members/add_v2";

        /// <summary>A full listing of Dropbox's members: SCIM GET /Users, or members/list_v2.</summary>
        public static bool IsMemberListing(JournalEntry e, string api) => api == Scim
            ? e.Service == "scim" && e.Method == "GET" && e.Path.EndsWith("/Users", StringComparison.Ordinal)
            : e.Service == "dropbox-api" && e.Path.StartsWith("/2/team/members/list", StringComparison.Ordinal);

        /// <summary>Every entitled, enabled user with a surname: who the default mappings put in Dropbox.</summary>
        public static HashSet<string> ExpectedUserNames(SandboxTenant sandbox)
        {
            var directory = sandbox.Directory;
            var entitled = new HashSet<string>();
            foreach (var a in directory.Assignments.Where(a => a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId))
            {
                if (a.PrincipalType == "User") entitled.Add(a.PrincipalId);
                else foreach (var m in directory.GetGroup(a.PrincipalId).MemberIds) entitled.Add(m);
            }
            return new HashSet<string>(directory.Users.Where(u => entitled.Contains(u.Id) && u.AccountEnabled && !string.IsNullOrEmpty(u.Surname)).Select(u => u.UserPrincipalName),
                StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>Users assigned directly (in no assigned group), enabled and with a surname: provisioned, and unassigned by one call.</summary>
        public static List<Sandbox.Directory.DirectoryUser> DirectUsers(SandboxTenant sandbox) =>
            sandbox.Directory.Assignments.Where(a => a.PrincipalType == "User" && a.AppRoleId == SandboxCredentials.UserAppRoleId)
                .Select(a => sandbox.Directory.GetUser(a.PrincipalId))
                .Where(u => u != null && u.AccountEnabled && !string.IsNullOrEmpty(u.Surname)
                    && !sandbox.Directory.Assignments.Any(g => g.PrincipalType == "Group" && sandbox.Directory.GetGroup(g.PrincipalId).MemberIds.Contains(u.Id)))
                .ToList();

        /// <summary>Every invited member joins (only a member who joined can be suspended over the Team API).</summary>
        public static void AcceptAll(SandboxTenant sandbox)
        {
            foreach (var member in sandbox.Dropbox.Members.Where(m => m.Status == DropboxMemberStatus.Invited)) sandbox.Dropbox.AcceptInvitation(member.TeamMemberId);
        }
    }
}
