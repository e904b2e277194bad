using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Connection;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Issue #8, bad input: hostile or odd directory data flows through a cycle safely. Each odd user either
    /// provisions with exactly its text or is skipped/failed with a reason while the others provision; the
    /// cycle itself never fails, and a second cycle changes nothing.
    /// </summary>
    public sealed class HostileInputTests
    {
        private static (PowerShellSession ps, DbxConnection connection, SandboxTenant sandbox) Connect(string api, int users = 6, int seed = 5) => Targets.Connect(api, users, seed);

        private static string Domain(SandboxTenant sandbox) => sandbox.Directory.Users.First().UserPrincipalName.Split('@')[1];

        private static DirectoryUser AddAssigned(SandboxTenant sandbox, DirectoryUser user)
        {
            var added = sandbox.Directory.AddUser(user);
            sandbox.Directory.Assign(added.Id, SandboxCredentials.UserAppRoleId);
            return added;
        }

        private static List<ProvisioningLogRecord> Log(PowerShellSession ps, string identity) =>
            ps.Run("Get-DbxProvisioningLog -Identity $id", new Dictionary<string, object> { ["id"] = identity })
                .Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();

        private static CycleResult Cycle(PowerShellSession ps)
        {
            var result = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
            Assert.Equal(PSInvocationState.Completed, ps.LastState);
            Assert.NotEqual(CycleStatus.Failed, result.Status);
            return result;
        }

        private static void AssertIdle(CycleResult result) =>
            Assert.True(result.Created + result.Updated + result.Suspended + result.Deleted == 0,
                $"A second cycle changed something: created {result.Created}, updated {result.Updated}, suspended {result.Suspended}, deleted {result.Deleted}, failed {result.Failed}");

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Odd_names_provision_exactly_or_are_reported_and_the_cycle_goes_on(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                var domain = Domain(sandbox);
                var odd = new[]
                {
                    new DirectoryUser { UserPrincipalName = "long@" + domain, DisplayName = new string('L', 1000), GivenName = new string('g', 1000), Surname = "Long", Mail = "long@" + domain },
                    new DirectoryUser { UserPrincipalName = "control@" + domain, DisplayName = "Ctl\u0000Bell\u0007 Tab\tNew\nLine", GivenName = "Ctl\u0000Bell\u0007", Surname = "Tab\tNew\nLine", Mail = "control@" + domain },
                    new DirectoryUser { UserPrincipalName = "emoji@" + domain, DisplayName = "Zoë 😀 👩‍💻", GivenName = "Zoë 😀", Surname = "👩‍💻 Dev", Mail = "emoji@" + domain },
                    new DirectoryUser { UserPrincipalName = "arabic@" + domain, DisplayName = "محمد العربي", GivenName = "محمد", Surname = "العربي", Mail = "arabic@" + domain },
                    new DirectoryUser { UserPrincipalName = "hebrew@" + domain, DisplayName = "\u202Bדוד כהן\u202C", GivenName = "\u200Fדוד", Surname = "כהן\u200F", Mail = "hebrew@" + domain },
                    new DirectoryUser { UserPrincipalName = "nomail@" + domain, DisplayName = "No Mail", GivenName = null, Surname = "Nomail", Mail = null },
                    new DirectoryUser { UserPrincipalName = "nosurname@" + domain, DisplayName = "No Surname", GivenName = "Only", Surname = null, Mail = "nosurname@" + domain },
                }.Select(u => AddAssigned(sandbox, u)).ToList();

                var first = Cycle(ps);
                var problems = new List<string>();
                foreach (var user in odd)
                {
                    var member = sandbox.Dropbox.FindByEmail(user.UserPrincipalName);
                    var records = Log(ps, user.UserPrincipalName);
                    var reported = records.FirstOrDefault(r => (r.Status == ChangeStatus.Skipped || r.Status == ChangeStatus.Failure) && !string.IsNullOrWhiteSpace(r.StatusDetails));
                    if (member != null)
                    {
                        if (member.Surname != user.Surname) problems.Add($"{user.UserPrincipalName}: surname {Show(member.Surname)}, want {Show(user.Surname)}");
                        if (user.GivenName != null && member.GivenName != user.GivenName) problems.Add($"{user.UserPrincipalName}: given name {Show(member.GivenName)}, want {Show(user.GivenName)}");
                        // SCIM sets the mapping's display name; over the Team API it is Dropbox's own, of the given name and surname.
                        var display = api == Targets.Scim ? user.DisplayName : ((member.GivenName ?? "") + " " + (member.Surname ?? "")).Trim();
                        if (member.DisplayName != display) problems.Add($"{user.UserPrincipalName}: display name {Show(member.DisplayName)}, want {Show(display)}");
                    }
                    else if (reported == null)
                        problems.Add($"{user.UserPrincipalName}: neither provisioned nor reported ({string.Join("; ", records.Select(r => r.Action + " " + r.Status + " " + r.StatusDetails))})");
                }
                Assert.True(problems.Count == 0, string.Join("\n", problems));

                // These Dropbox holds with exactly their text.
                foreach (var name in new[] { "control", "emoji", "arabic", "hebrew" })
                    Assert.NotNull(sandbox.Dropbox.FindByEmail(name + "@" + domain));

                // The user without a surname is skipped with the reason; Dropbox refuses name parts over 100
                // characters and a missing first name, and those refusals are failures of that user alone.
                AssertReported(ps, "nosurname@" + domain, "familyName", ChangeStatus.Skipped);
                AssertReported(ps, "long@" + domain, "100 characters", ChangeStatus.Failure, ChangeStatus.Skipped);
                AssertReported(ps, "nomail@" + domain, "givenName", ChangeStatus.Failure, ChangeStatus.Skipped);
                var failures = ps.Run("Get-DbxProvisioningLog -Status Failure").Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
                Assert.True(failures.All(r => r.SourceIdentity == "long@" + domain || r.SourceIdentity == "nomail@" + domain),
                    string.Join("\n", failures.Select(r => r.SourceIdentity + " " + r.Action + ": " + Show(r.StatusDetails))));
                Assert.True(first.Created >= 4, $"created {first.Created}");
                Assert.Equal(PSInvocationState.Completed, ps.LastState);

                AssertIdle(Cycle(ps));
            }
        }

        private static void AssertReported(PowerShellSession ps, string identity, string reason, params ChangeStatus[] statuses)
        {
            var records = Log(ps, identity);
            Assert.True(records.Any(r => statuses.Contains(r.Status) && r.StatusDetails != null && r.StatusDetails.IndexOf(reason, StringComparison.OrdinalIgnoreCase) >= 0),
                $"{identity} is not reported as {string.Join(" or ", statuses)} with '{reason}': " + string.Join("; ", records.Select(r => r.Action + " " + r.Status + " " + Show(r.StatusDetails))));
        }

        private static string Show(string text) => text == null ? "null" : "\"" + string.Concat(text.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:X4}" : c.ToString())) + "\"";

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Two_users_with_the_same_mail_each_get_their_own_account(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                var domain = Domain(sandbox);
                var a = AddAssigned(sandbox, new DirectoryUser { UserPrincipalName = "twin.a@" + domain, DisplayName = "Twin A", GivenName = "Twin", Surname = "A", Mail = "twins@" + domain });
                var b = AddAssigned(sandbox, new DirectoryUser { UserPrincipalName = "twin.b@" + domain, DisplayName = "Twin B", GivenName = "Twin", Surname = "B", Mail = "twins@" + domain });
                Cycle(ps);
                var memberA = sandbox.Dropbox.FindByEmail(a.UserPrincipalName);
                var memberB = sandbox.Dropbox.FindByEmail(b.UserPrincipalName);
                Assert.NotNull(memberA);
                Assert.NotNull(memberB);
                Assert.NotEqual(memberA.TeamMemberId, memberB.TeamMemberId);
                Assert.Equal("A", memberA.Surname);
                Assert.Equal("B", memberB.Surname);
                AssertIdle(Cycle(ps));
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Two_users_mapped_to_the_same_userName_create_one_account_and_the_other_is_reported(string api)
        {
            var (ps, connection, sandbox) = Connect(api, users: 3);
            using (ps)
            {
                ps.Run("Set-DbxAttributeMapping userName -Expression 'Append(Word([userPrincipalName], 1, \"@\"), \"@shared.example\")'");
                var first = AddAssigned(sandbox, new DirectoryUser { UserPrincipalName = "sam@contoso-one.example", DisplayName = "Sam One", GivenName = "Sam", Surname = "One", Mail = "sam@contoso-one.example" });
                var second = AddAssigned(sandbox, new DirectoryUser { UserPrincipalName = "sam@contoso-two.example", DisplayName = "Sam Two", GivenName = "Sam", Surname = "Two", Mail = "sam@contoso-two.example" });
                var before = sandbox.Dropbox.Members.Count;

                Cycle(ps);
                var accounts = sandbox.Dropbox.Members.Where(m => string.Equals(m.Email, "sam@shared.example", StringComparison.OrdinalIgnoreCase)).ToList();
                Assert.Single(accounts);
                var owner = accounts[0].Surname == "One" ? first : second;
                var other = owner == first ? second : first;
                var ownerSurname = accounts[0].Surname;
                var otherLog = Log(ps, other.UserPrincipalName);
                Assert.True(otherLog.Any(r => (r.Status == ChangeStatus.Skipped || r.Status == ChangeStatus.Failure) && r.StatusDetails != null && r.StatusDetails.Contains("sam@shared.example")),
                    "The other user's log does not name the taken userName: " + string.Join("; ", otherLog.Select(r => r.Action + " " + r.Status + " " + r.StatusDetails)));

                var second1 = Cycle(ps);
                accounts = sandbox.Dropbox.Members.Where(m => string.Equals(m.Email, "sam@shared.example", StringComparison.OrdinalIgnoreCase)).ToList();
                Assert.Single(accounts);
                Assert.Equal(ownerSurname, accounts[0].Surname); // not overwritten by the other user
                Assert.Equal(owner.DisplayName, accounts[0].DisplayName);
                AssertIdle(second1);

                // Nor when the failed create is retried at once and every user is read again from the start.
                ps.Run("Restart-DbxProvisioning -Scope Escrows -Confirm:$false; Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                AssertIdle(Cycle(ps));
                accounts = sandbox.Dropbox.Members.Where(m => string.Equals(m.Email, "sam@shared.example", StringComparison.OrdinalIgnoreCase)).ToList();
                Assert.Single(accounts);
                Assert.Equal(ownerSurname, accounts[0].Surname);
                Assert.Equal(owner.DisplayName, accounts[0].DisplayName);
                // Restart-DbxProvisioning -Scope Full is a known engine bug here: see HostileInputKnownEngineBugTests.
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void The_directory_refuses_userPrincipalNames_that_differ_only_in_case(string api)
        {
            // As in Entra ID, so two users cannot collide on userName through case alone; the mapping collision
            // above covers two users that map to the same userName.
            var (ps, connection, sandbox) = Connect(api, users: 3);
            using (ps)
            {
                var domain = Domain(sandbox);
                AddAssigned(sandbox, new DirectoryUser { UserPrincipalName = "Casey@" + domain, DisplayName = "Casey Upper", GivenName = "Casey", Surname = "Upper" });
                Assert.Throws<ArgumentException>(() => sandbox.Directory.AddUser(new DirectoryUser { UserPrincipalName = "casey@" + domain, DisplayName = "Casey Lower", GivenName = "Casey", Surname = "Lower" }));
                var other = AddAssigned(sandbox, new DirectoryUser { UserPrincipalName = "casey2@" + domain, DisplayName = "Casey Two", GivenName = "Casey", Surname = "Two" });
                Assert.Throws<ArgumentException>(() => sandbox.Directory.UpdateUser(other.Id, u => u.UserPrincipalName = "CASEY@" + domain));
                Cycle(ps);
                Assert.Equal("Upper", sandbox.Dropbox.FindByEmail("casey@" + domain).Surname);
                Assert.Equal("Two", sandbox.Dropbox.FindByEmail("casey2@" + domain).Surname);
            }
        }

        [Theory]
        [InlineData(Targets.Scim)]
        [InlineData(Targets.TeamApi)]
        public void Runaway_regex_in_a_scoping_filter_ends_quickly_and_never_deprovisions(string api)
        {
            var (ps, connection, sandbox) = Connect(api);
            using (ps)
            {
                var domain = Domain(sandbox);
                var victim = AddAssigned(sandbox, new DirectoryUser { UserPrincipalName = "regex@" + domain, DisplayName = "Regex Victim", GivenName = "Regex", Surname = "Victim", Mail = "regex@" + domain, Department = "aaaa" });
                Cycle(ps);
                var member = sandbox.Dropbox.FindByEmail(victim.UserPrincipalName);
                Assert.NotNull(member);
                sandbox.Dropbox.AcceptInvitation(member.TeamMemberId);

                ps.Run("Add-DbxScopingFilter Runaway -SourceAttribute department -Operator REGEX_MATCH -Value '^(a+)+$'");
                sandbox.Directory.UpdateUser(victim.Id, u => u.Department = new string('a', 40000) + "!");
                var clock = Stopwatch.StartNew();
                var result = Cycle(ps);
                clock.Stop();
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"The cycle took {clock.Elapsed}");
                Assert.Equal(DropboxMemberStatus.Active, sandbox.Dropbox.FindByEmail(victim.UserPrincipalName).Status);
                Assert.DoesNotContain(Log(ps, victim.UserPrincipalName), r => r.Action == ChangeAction.Disable || r.Action == ChangeAction.Delete);
                Assert.Contains(Log(ps, victim.UserPrincipalName), r => r.Status == ChangeStatus.Skipped && r.StatusDetails != null && r.StatusDetails.Contains("took longer than"));
            }
        }
    }
}
