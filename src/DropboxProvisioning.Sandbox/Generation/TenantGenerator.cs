using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;

namespace DropboxProvisioning.Sandbox.Generation
{
    /// <summary>
    /// Builds a realistic sandbox tenant, deterministically: one System.Random(seed) draws every choice and every
    /// object id, so the same (size, seed) always gives the same tenant, down to the GUIDs.
    /// <para>Shape for N users (counts for the default N = 50 in brackets; fractions are of N, at least 1 when N ≥ 20):</para>
    /// <list type="bullet">
    /// <item>User 0 is the CEO; every department's first member is its head (manager: the CEO); the others report to their head.
    /// The first 12 users carry showcase names: José Núñez, Zoë Brontë, Łukasz Wiśniewski, 王芳, Дмитрий Иванов, محمد الأحمد,
    /// Ngọc Nguyễn, Siobhán O'Connor, François Müller, Søren Kierkegård, Ana-María García-López, Jürgen Groß; the rest mix scripts too.</item>
    /// <item>Guests 4% [2]: userType Guest, UPN first_fabrikam.com#EXT#@contoso.onmicrosoft.com, mail at their own domain.</item>
    /// <item>Without surname: UsersWithoutSurname [2] (Dropbox refuses them). Disabled (accountEnabled false): 3% [2].</item>
    /// <item>Assignments to the Dropbox service principal: unassigned 5% [3]; Default Access role only 3% [2] (out of scope);
    /// in scope through the group "Dropbox Users" (assigned the User role) 10% [5], one of whom is also assigned directly;
    /// every other user assigned directly with the User role [40].</item>
    /// <item>Groups: one per department that has members, ProjectGroups project groups ("Project Phoenix"...), "Dropbox Users",
    /// and "Design Studio" nested in "Dropbox Users" with 1% [1] of the unassigned users: Entra does not extend an
    /// assignment through nested groups, so those users stay out of scope.</item>
    /// <item>Dropbox: PreexistingDropboxMembers [3] members the engine never created: the first has the UPN of a directly
    /// assigned, enabled member (to adopt), the others are unrelated (contractor1@partner.example...).</item>
    /// </list>
    /// </summary>
    public static class TenantGenerator
    {
        public const string DropboxUsersGroupName = "Dropbox Users";
        public const string NestedGroupName = "Design Studio";
        private static readonly DateTimeOffset Epoch = new DateTimeOffset(2024, 1, 1, 9, 0, 0, TimeSpan.Zero);

        public static SandboxTenant Generate(TenantProfile profile, SandboxOptions options = null)
        {
            profile = profile ?? new TenantProfile();
            if (profile.Users < 0) throw new ArgumentOutOfRangeException(nameof(profile), "Users cannot be negative.");
            var rng = new Random(profile.Seed);
            var directory = new DirectoryModel();
            long tick = 0;
            directory.IdGenerator = () => NewGuid(rng);
            directory.Clock = () => Epoch.AddSeconds(++tick);
            directory.AddDomain(profile.Domain);
            directory.AddDomain(profile.InitialDomain);

            var n = profile.Users;
            var users = CreateUsers(profile, rng, directory);

            // Attributes and assignment kinds are drawn independently; user 0 (the CEO) stays an ordinary, directly assigned member.
            var byAttribute = Shuffle(Enumerable.Range(1, Math.Max(0, n - 1)).ToList(), rng);
            var byAssignment = Shuffle(Enumerable.Range(1, Math.Max(0, n - 1)).ToList(), rng);
            var cursor = 0;
            var guests = Take(byAttribute, ref cursor, Count(n, profile.GuestFraction));
            var noSurname = Take(byAttribute, ref cursor, n >= 10 ? profile.UsersWithoutSurname : 0);
            var disabled = Take(byAttribute, ref cursor, Count(n, profile.DisabledFraction));
            cursor = 0;
            var unassigned = Take(byAssignment, ref cursor, Count(n, profile.UnassignedFraction));
            var defaultOnly = Take(byAssignment, ref cursor, Count(n, profile.DefaultAccessOnlyFraction));
            var viaGroup = Take(byAssignment, ref cursor, Count(n, profile.GroupAssignedFraction));
            var direct = new List<int> { 0 }.Where(i => i < n).Concat(byAssignment.Skip(cursor)).ToList();

            foreach (var i in guests) MakeGuest(users[i], profile, rng);
            foreach (var i in noSurname) { users[i].Surname = null; users[i].DisplayName = users[i].GivenName; }
            foreach (var i in disabled) users[i].AccountEnabled = false;
            AssignManagers(users, guests);

            foreach (var user in users) directory.AddUserOwned(user); // handed over: no copies of 100,000 users

            CreateGroups(profile, rng, directory, users, guests);
            var dropboxUsers = directory.AddGroup(new DirectoryGroup
            {
                Id = NewGuid(rng).ToString(),
                DisplayName = DropboxUsersGroupName,
                Description = "Everyone who gets a Dropbox account through group assignment",
                MailNickname = "dropboxusers",
            });
            foreach (var i in viaGroup) directory.AddMember(dropboxUsers.Id, users[i].Id);
            var nestedMembers = unassigned.Take(Count(n, 0.01)).ToList();
            var nested = directory.AddGroup(new DirectoryGroup
            {
                Id = NewGuid(rng).ToString(),
                DisplayName = NestedGroupName,
                Description = "Nested in Dropbox Users: Entra does not extend the assignment to its members",
                MailNickname = "designstudio",
            });
            foreach (var i in nestedMembers) directory.AddMember(nested.Id, users[i].Id);
            directory.AddMember(dropboxUsers.Id, nested.Id);

            foreach (var i in direct) directory.AssignOwned(users[i].Id, SandboxCredentials.UserAppRoleId);
            foreach (var i in defaultOnly) directory.AssignOwned(users[i].Id, SandboxCredentials.DefaultAccessAppRoleId);
            directory.Assign(dropboxUsers.Id, SandboxCredentials.UserAppRoleId);
            // One user in scope twice (directly and through the group): the engine must provision it once.
            var twice = direct.FirstOrDefault(i => i != 0);
            if (viaGroup.Count > 0 && twice != 0) directory.AddMember(dropboxUsers.Id, users[twice].Id);

            var dropbox = new DropboxTeam();
            AddPreexistingDropboxMembers(profile, rng, dropbox, users, direct);

            directory.Clock = null; // from here on, real time
            return new SandboxTenant(directory, dropbox, options);
        }

        private static List<DirectoryUser> CreateUsers(TenantProfile profile, Random rng, DirectoryModel directory)
        {
            var users = new List<DirectoryUser>(profile.Users);
            var nicknames = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < profile.Users; i++)
            {
                string given, surname;
                if (i < NamePool.Showcase.Length) { given = NamePool.Showcase[i][0]; surname = NamePool.Showcase[i][1]; }
                else { given = Pick(NamePool.GivenNames, rng); surname = Pick(NamePool.Surnames, rng); }

                var department = i == 0 ? null : Pick(NamePool.Departments, rng);
                var office = Pick(NamePool.Offices, rng);
                var nick = Unique(NamePool.Ascii(given) + "." + NamePool.Ascii(surname), nicknames);
                var upn = nick + "@" + profile.Domain;
                users.Add(new DirectoryUser
                {
                    Id = NewGuid(rng).ToString(),
                    GivenName = NamePool.Native(given),
                    Surname = NamePool.Native(surname),
                    DisplayName = DisplayName(NamePool.Native(given), NamePool.Native(surname)),
                    UserPrincipalName = upn,
                    Mail = upn,
                    MailNickname = nick,
                    Department = i == 0 ? "Executive" : department[0],
                    JobTitle = i == 0 ? "Chief Executive Officer" : department[1 + rng.Next(department.Length - 1)],
                    EmployeeId = (100001 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    CompanyName = profile.CompanyName,
                    OfficeLocation = office[0],
                    City = office[1],
                    Country = office[2],
                    UsageLocation = office[3],
                    PreferredLanguage = office[4],
                    MobilePhone = rng.Next(10) < 7 ? "+1 425 555 " + rng.Next(10000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture) : null,
                    AccountEnabled = true,
                    UserType = "Member",
                    CreatedDateTime = Epoch.AddDays(-rng.Next(1, 2000)).AddSeconds(rng.Next(86400)),
                });
            }
            return users;
        }

        private static void MakeGuest(DirectoryUser user, TenantProfile profile, Random rng)
        {
            var home = Pick(NamePool.GuestDomains, rng);
            var local = user.MailNickname;
            user.UserType = "Guest";
            user.Mail = local + "@" + home;
            user.UserPrincipalName = local + "_" + home + "#EXT#@" + profile.InitialDomain;
            user.MailNickname = local + "_" + home + "#EXT#";
            user.CompanyName = null;
            user.Department = null;
            user.JobTitle = null;
            user.EmployeeId = null;
        }

        // The first member of each department heads it and reports to the CEO; the others report to their head.
        private static void AssignManagers(List<DirectoryUser> users, List<int> guests)
        {
            if (users.Count == 0) return;
            var guestSet = new HashSet<int>(guests);
            var heads = new Dictionary<string, DirectoryUser>();
            for (var i = 1; i < users.Count; i++)
            {
                var user = users[i];
                if (guestSet.Contains(i) || user.Department == null) continue;
                if (heads.TryGetValue(user.Department, out var head)) { user.ManagerId = head.Id; continue; }
                heads[user.Department] = user;
                user.JobTitle = "Head of " + user.Department;
                user.ManagerId = users[0].Id;
            }
        }

        private static void CreateGroups(TenantProfile profile, Random rng, DirectoryModel directory, List<DirectoryUser> users, List<int> guests)
        {
            var guestSet = new HashSet<int>(guests);
            foreach (var department in NamePool.Departments.Select(d => d[0]))
            {
                var members = users.Where((u, i) => !guestSet.Contains(i) && u.Department == department).Select(u => u.Id).ToList();
                if (members.Count == 0) continue;
                directory.AddGroup(new DirectoryGroup
                {
                    Id = NewGuid(rng).ToString(),
                    DisplayName = department,
                    Description = "Everyone in " + department,
                    MailNickname = new string(department.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray()),
                    MemberIds = new HashSet<string>(members, StringComparer.OrdinalIgnoreCase),
                });
            }
            for (var p = 0; p < Math.Min(profile.ProjectGroups, NamePool.Projects.Length); p++)
            {
                var name = NamePool.Projects[p];
                var members = users.Where(u => rng.Next(100) < 8).Select(u => u.Id).ToList();
                if (members.Count == 0 && users.Count > 0) members.Add(users[rng.Next(users.Count)].Id);
                directory.AddGroup(new DirectoryGroup
                {
                    Id = NewGuid(rng).ToString(),
                    DisplayName = "Project " + name,
                    Description = "Project " + name + " team",
                    MailNickname = "project" + name.ToLowerInvariant(),
                    Mail = "project" + name.ToLowerInvariant() + "@" + profile.Domain,
                    MailEnabled = true,
                    MemberIds = new HashSet<string>(members, StringComparer.OrdinalIgnoreCase),
                });
            }
        }

        private static void AddPreexistingDropboxMembers(TenantProfile profile, Random rng, DropboxTeam dropbox, List<DirectoryUser> users, List<int> direct)
        {
            if (profile.PreexistingDropboxMembers <= 0) return;
            var adoptable = direct.Select(i => users[i])
                .FirstOrDefault(u => u.AccountEnabled && u.UserType == "Member" && u.Surname != null && u != users[0]);
            var contractors = profile.PreexistingDropboxMembers;
            if (adoptable != null)
            {
                dropbox.AddMember(adoptable.UserPrincipalName, adoptable.GivenName, adoptable.Surname, DropboxMemberStatus.Active);
                contractors--;
            }
            for (var k = 1; k <= contractors; k++)
            {
                var given = NamePool.Native(Pick(NamePool.GivenNames, rng));
                var surname = NamePool.Native(Pick(NamePool.Surnames, rng));
                dropbox.AddMember("contractor" + k + "@partner.example", given, surname,
                    k % 3 == 2 ? DropboxMemberStatus.Invited : DropboxMemberStatus.Active);
            }
        }

        /// <summary>A version-4 GUID drawn from the seeded source, so ids repeat with the seed.</summary>
        public static Guid NewGuid(Random rng)
        {
            var bytes = new byte[16];
            rng.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }

        private static int Count(int n, double fraction)
        {
            var count = (int)Math.Round(n * fraction, MidpointRounding.AwayFromZero);
            return n >= 20 ? Math.Max(1, count) : count;
        }

        private static List<int> Take(List<int> source, ref int cursor, int count)
        {
            count = Math.Max(0, Math.Min(count, source.Count - cursor));
            var taken = source.GetRange(cursor, count);
            cursor += count;
            return taken;
        }

        private static List<int> Shuffle(List<int> items, Random rng)
        {
            for (var i = items.Count - 1; i > 0; i--)
            {
                var j = rng.Next(i + 1);
                var t = items[i]; items[i] = items[j]; items[j] = t;
            }
            return items;
        }

        private static T Pick<T>(T[] pool, Random rng) => pool[rng.Next(pool.Length)];

        private static string Unique(string nick, Dictionary<string, int> used)
        {
            if (!used.TryGetValue(nick, out var count)) { used[nick] = 1; return nick; }
            string candidate;
            do { candidate = nick + (++count).ToString(System.Globalization.CultureInfo.InvariantCulture); } while (used.ContainsKey(candidate));
            used[nick] = count;
            used[candidate] = 1;
            return candidate;
        }

        // East Asian names read family name first, without a space (王芳).
        private static string DisplayName(string given, string surname) =>
            IsCjk(surname) ? surname + given : given + " " + surname;

        private static bool IsCjk(string text) => text.Any(c => c >= '\u4E00' && c <= '\u9FFF');
    }
}
