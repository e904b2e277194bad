using System.Linq;
using System.Threading.Tasks;
using DropboxProvisioning.Dropbox.Scim;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sandbox.Directory;
using DropboxProvisioning.Sandbox.Faults;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Faults
{
    /// <summary>
    /// A userName holding '"', '\' or ' or ' cannot change what the engine's SCIM filter means, proven against the
    /// sandbox's own filter parser, with decoy members that a widened query would return.
    /// </summary>
    public sealed class ScimFilterEscapingTests
    {
        private static readonly string[] Decoys = { "a@contoso.com", "b\\c@contoso.com", "a\"b@contoso.com", "a\\\"b\\c@contoso.com", "c@contoso.com", "x@contoso.com", "y@contoso.com" };

        [Theory]
        [InlineData("a\"b\\c@contoso.com")]
        [InlineData("a\\\"b\\c@contoso.com")]
        [InlineData("b\\c@contoso.com")]
        [InlineData("a\"b@contoso.com")]
        public async Task A_quoted_userName_finds_exactly_its_own_account(string userName)
        {
            using var harness = await FaultHarness.CreateAsync(4, 2, prepare: t =>
            {
                foreach (var email in Decoys.Concat(new[] { "a\"b\\c@contoso.com" }).Distinct()) t.Dropbox.AddMember(email, "D", "Ecoy");
            });
            var page = await harness.Connection.Scim.ListUsersAsync(1, 10, ScimFilter.Equal("userName", userName), default);
            var found = Assert.Single(page.Resources);
            Assert.Equal(userName, (string)found["userName"]);
            Assert.Equal(1, page.TotalResults);
        }

        [Theory]
        [InlineData("x\" or userName pr or userName eq \"y")]
        [InlineData("x@contoso.com\" or userName sw \"")]
        [InlineData("nobody\" or userName co \"@")]
        [InlineData("nobody\" or (userName pr) or userName eq \"z")]
        [InlineData("nobody\" or not (userName eq \"x@contoso.com\") and userName ew \".com")]
        public async Task A_userName_with_or_cannot_widen_the_query(string userName)
        {
            using var harness = await FaultHarness.CreateAsync(4, 2, prepare: t =>
            {
                foreach (var email in Decoys) t.Dropbox.AddMember(email, "D", "Ecoy");
            });
            // Built naively ("userName eq \"" + value + "\"") each of these values would match several or all members.
            var page = await harness.Connection.Scim.ListUsersAsync(1, 100, ScimFilter.Equal("userName", userName), default);
            Assert.Empty(page.Resources);
            Assert.Equal(0, page.TotalResults);
            // The sandbox does widen the naive form, so the check above means something.
            var naive = await harness.Connection.Scim.ListUsersAsync(1, 100, "userName eq \"" + userName + "\"", default);
            Assert.True(naive.TotalResults > 1, $"the naive filter matched {naive.TotalResults}");
        }

        /// <summary>
        /// The engine's own use: a create whose answer is lost behind a 504 is sent again by the retry handler, meets
        /// 409, and the engine looks the account up with ScimFilter.Equal("userName", ...): it must adopt exactly the
        /// account with that quoted userName, and never a decoy.
        /// </summary>
        [Fact]
        public async Task After_a_409_the_engine_adopts_exactly_the_account_with_the_quoted_userName()
        {
            const string UserName = "a\"b\\c@contoso.com";
            DirectoryUser added = null;
            using var harness = await FaultHarness.CreateAsync(6, 2, prepare: t =>
            {
                foreach (var email in Decoys) t.Dropbox.AddMember(email, "D", "Ecoy");
            });
            var first = await harness.CycleAsync();
            Assert.NotNull(first);
            var tenant = harness.Tenant;
            added = tenant.Directory.AddUser(new DirectoryUser
            {
                UserPrincipalName = UserName, Mail = UserName, GivenName = "Quote", Surname = "Backslash", DisplayName = "Quote Backslash", MailNickname = "ab",
            });
            tenant.Directory.Assign(added.Id, SandboxCredentials.UserAppRoleId);
            var plan = new FaultPlan(1);
            var rule = plan.Add("scim", FaultKind.LostResponseBadGateway, methods: FaultMethods.Writes, maxStarts: 1);
            rule.LostResponseStatus = 504;
            tenant.Faults = plan;
            var journalBefore = tenant.Journal.Entries().Count;

            var result = await harness.CycleAsync();
            Assert.Empty(harness.Escaped);
            Assert.NotNull(result);
            var change = Assert.Single(result.Changes, c => c.SourceId == added.Id);
            Assert.Equal(ChangeAction.Create, change.Action);
            Assert.Equal(ChangeStatus.Warning, change.Status);
            Assert.Equal(1, plan.Counters.AppliedButLost);
            // The create was sent twice (the second met 409), then the engine asked Dropbox by filter.
            var calls = tenant.Journal.Entries().Skip(journalBefore).Where(e => e.Service == "scim").ToList();
            Assert.Equal(2, calls.Count(e => e.Method == "POST"));
            Assert.Contains(calls, e => e.Method == "POST" && e.Status == 409);

            var member = tenant.Dropbox.FindByEmail(UserName);
            Assert.Equal(UserName, member.Email);
            var state = harness.Connection.Store.LoadState();
            Assert.Equal(member.TeamMemberId, state.Users[added.Id].TargetId);
            foreach (var decoy in Decoys)
                Assert.DoesNotContain(state.Users.Values, m => m.TargetId == tenant.Dropbox.FindByEmail(decoy).TeamMemberId);
            Assert.Equal(0, FaultHarness.Duplicates(tenant));
        }
    }
}
