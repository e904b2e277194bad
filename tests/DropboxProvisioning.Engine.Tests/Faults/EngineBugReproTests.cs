using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Faults
{
    /// <summary>
    /// Deterministic, fault-free reproductions of the engine bugs the fault runs found (Sync/ is not ours to fix).
    /// Both start from the Dropbox state a lost answer leaves behind, for a guest whose userPrincipalName
    /// (alice_fabrikam.com#EXT#@contoso.onmicrosoft.com) differs from their mail (alice@fabrikam.com): Dropbox keeps
    /// one e-mail per member, which SCIM shows as both userName and emails[type eq "work"].value.
    /// </summary>
    public sealed class EngineBugReproTests
    {
        private const int Users = 30;
        private const int Seed = 21;

        private static DirectoryUser ExpectedGuest(SandboxTenant tenant)
        {
            var directory = tenant.Directory;
            var entitled = new HashSet<string>();
            foreach (var a in directory.Assignments.Where(a => a.AppRoleId != SandboxCredentials.DefaultAccessAppRoleId))
            {
                if (a.PrincipalType == "User") entitled.Add(a.PrincipalId);
                else foreach (var m in directory.GetGroup(a.PrincipalId).MemberIds) entitled.Add(m);
            }
            return directory.Users.First(u => entitled.Contains(u.Id) && u.AccountEnabled && !string.IsNullOrEmpty(u.Surname)
                && u.UserPrincipalName.Contains("#EXT#") && u.Mail != null && !string.Equals(u.Mail, u.UserPrincipalName, StringComparison.OrdinalIgnoreCase));
        }

        private static async Task<List<CycleResult>> Cycles(FaultHarness harness, int count)
        {
            var results = new List<CycleResult>();
            for (var i = 0; i < count; i++) results.Add(await harness.CycleAsync());
            Assert.Empty(harness.Escaped);
            Assert.Empty(harness.CycleErrors);
            return results;
        }

        private static string Writes(CycleResult result) =>
            string.Join("; ", result.Changes.Where(c => c.Action != ChangeAction.Skip).Select(c => $"{c.Description} -> {c.Status} {c.StatusDetails}"));

        /// <summary>
        /// ENGINE BUG (Sync/ChangeExecutor.Remember + Sync/CyclePlanner): after a guest's account is adopted (here: the
        /// account their own create made before its answer was lost), every cycle PATCHes it again, alternately
        /// emails[type eq "work"].value = mail (which Dropbox applies to the one e-mail, so userName changes too) and
        /// userName = UPN (which changes the e-mail back). Each PATCH is "kept as sent", so nothing is ever noted as
        /// declined, and the account flip-flops forever. A created account does not, only because the create's answer
        /// showed emails as declined. Expected: after at most two cycles, a cycle with nothing to write.
        /// </summary>
        [Fact]
        public async Task An_adopted_guest_whose_mail_differs_from_the_UPN_settles_instead_of_flip_flopping()
        {
            DirectoryUser guest = null;
            using var harness = await FaultHarness.CreateAsync(Users, Seed, prepare: t =>
            {
                guest = ExpectedGuest(t);
                t.Dropbox.AddMember(guest.UserPrincipalName, guest.GivenName, guest.Surname);
            });
            var results = await Cycles(harness, 4);
            Assert.True(FaultHarness.IsQuiet(results[2]) && FaultHarness.IsQuiet(results[3]),
                $"cycle 3 wrote: {Writes(results[2])}\ncycle 4 wrote: {Writes(results[3])}");
            Assert.Equal(0, FaultHarness.Duplicates(harness.Tenant));
        }

        /// <summary>
        /// ENGINE BUG (Sync/ChangeExecutor.CreateAsync, the 409 branch): when a create meets 409 because another field
        /// than userName is taken (here externalId, which the engine itself gave the account before an answer was lost
        /// and the account's e-mail then changed), the engine looks the account up only by userName eq UPN, finds
        /// nothing, and fails the user again every cycle, for ever. Expected: the engine finds the account by the
        /// attribute that conflicted (externalId eq ..., or each unique attribute it sent) and adopts it, or at least
        /// names the account that holds the value; here: the user converges within three cycles.
        /// </summary>
        [Fact]
        public async Task A_409_on_externalId_finds_the_account_that_holds_it()
        {
            DirectoryUser guest = null;
            using var harness = await FaultHarness.CreateAsync(Users, Seed, prepare: t =>
            {
                guest = ExpectedGuest(t);
            });
            // What a lost create then a lost adoption PATCH leave: the engine's account, under the guest's mail, not under the UPN.
            var first = await harness.CycleAsync();
            var created = harness.Tenant.Dropbox.FindByEmail(guest.UserPrincipalName);
            Assert.NotNull(created);
            var externalId = created.ExternalId;
            Assert.False(string.IsNullOrEmpty(externalId));
            using (var fresh = await FaultHarness.CreateAsync(Users, Seed, prepare: t =>
                t.Dropbox.AddMember(guest.Mail, guest.GivenName, guest.Surname, externalId: externalId)))
            {
                var results = await Cycles(fresh, 3);
                var last = results.Last();
                Assert.True(FaultHarness.IsQuiet(last), "last cycle wrote: " + Writes(last));
                Assert.Equal(0, FaultHarness.Duplicates(fresh.Tenant));
            }
        }
    }
}
