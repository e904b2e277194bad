using System;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Secondary e-mails (Team API target attribute secondaryEmails, e.g. from Entra's proxyAddresses): the smtp: aliases
    /// added with members/secondary_emails/add and deleted with members/secondary_emails/delete, only those the mapping
    /// manages (an address added by hand stays; the primary is never a secondary one); per-address refusals named, one
    /// refusal not failing the rest, the retryable ones escrowed; added after the member exists on create; refused over SCIM.
    /// </summary>
    public sealed class TeamApiSecondaryEmailTests
    {
        private static int Calls(Sandbox.SandboxTenant sandbox, string route) => sandbox.Journal.Entries().Count(e => e.Path == "/2/team/members/secondary_emails/" + route);

        private static string[] Held(Sandbox.SandboxTenant sandbox, string userName) =>
            sandbox.Dropbox.FindByEmail(userName).SecondaryEmails.Select(e => e.Email.ToLowerInvariant()).OrderBy(e => e, StringComparer.Ordinal).ToArray();

        [Fact]
        public void Aliases_from_proxyAddresses_are_added_and_deleted_as_the_mapping_says_and_nothing_else_is_touched()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 12, 65);
            using (ps)
            {
                var expected = Targets.ExpectedUserNames(sandbox);
                var people = sandbox.Directory.Users.Where(u => expected.Contains(u.UserPrincipalName)).OrderBy(u => u.UserPrincipalName).ToList();
                Assert.True(people.Count >= 4);
                ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                sandbox.Dropbox.AcceptInvitations(1.0);
                var (a, b, c) = (people[0], people[1], people[2]);
                string Upn(Sandbox.Directory.DirectoryUser u) => u.UserPrincipalName.ToLowerInvariant();

                // a: an alias, its own primary as an alias too (never a secondary), an X.500 address (not e-mail); b: a good alias and one c owns.
                sandbox.Directory.UpdateUser(a.Id, x => x.ProxyAddresses = new[] { "SMTP:" + a.UserPrincipalName, "smtp:" + a.UserPrincipalName, "smtp:a.alias@fabrikam.example", "x500:/o=Contoso/cn=a" });
                sandbox.Directory.UpdateUser(b.Id, x => x.ProxyAddresses = new[] { "SMTP:" + b.UserPrincipalName, "smtp:b.alias@fabrikam.example", "smtp:" + c.UserPrincipalName });
                // An address the member added by hand: not the mapping's.
                Assert.Equal("success", sandbox.Dropbox.AddSecondaryEmail(sandbox.Dropbox.FindByEmail(a.UserPrincipalName).TeamMemberId, "hand@elsewhere.example", out _));

                ps.Run("Add-DbxAttributeMapping -TargetAttribute secondaryEmails -SourceAttribute proxyAddresses");
                sandbox.Journal.Clear();
                var look = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => o.BaseObject).OfType<ProvisioningChange>().Where(ch => ch.Action == ChangeAction.Update).ToList();
                Assert.Equal(new[] { Upn(a), Upn(b) }, look.Select(ch => ch.TargetIdentity?.ToLowerInvariant()).OrderBy(n => n));
                Assert.Contains(look.Single(ch => string.Equals(ch.TargetIdentity, a.UserPrincipalName, StringComparison.OrdinalIgnoreCase)).ModifiedProperties,
                    p => p.Name == "secondaryEmails" && p.OldValue == "hand@elsewhere.example" && p.NewValue == "a.alias@fabrikam.example; hand@elsewhere.example");
                Assert.Equal(0, Calls(sandbox, "add") + Calls(sandbox, "delete"));

                var cycle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(new[] { "a.alias@fabrikam.example", "hand@elsewhere.example" }, Held(sandbox, a.UserPrincipalName));
                // b: the good alias is added; the one c owns is refused (unavailable), named, a warning, not a failure.
                Assert.Equal(new[] { "b.alias@fabrikam.example" }, Held(sandbox, b.UserPrincipalName));
                var refused = cycle.Changes.Single(ch => string.Equals(ch.TargetIdentity, b.UserPrincipalName, StringComparison.OrdinalIgnoreCase));
                Assert.Equal(ChangeStatus.Warning, refused.Status);
                Assert.Contains(Upn(c) + " (unavailable", refused.StatusDetails);
                Assert.Equal(0, cycle.Failed);
                var logged = ps.Run("Get-DbxProvisioningLog -Action Update").Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
                Assert.Contains(logged, r => r.StatusDetails.Contains("unavailable") && string.Equals(r.TargetIdentity, b.UserPrincipalName, StringComparison.OrdinalIgnoreCase));

                // A full cycle: in step, and the refused alias is not sent again while the mapping gives the same list.
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                sandbox.Journal.Clear();
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.Updated + idle.Failed);
                Assert.Equal(0, Calls(sandbox, "add") + Calls(sandbox, "delete"));

                // a's alias goes in Entra (an incremental cycle): it is deleted in Dropbox; the hand-added address stays.
                sandbox.Directory.UpdateUser(a.Id, x => x.ProxyAddresses = new[] { "SMTP:" + a.UserPrincipalName });
                sandbox.Journal.Clear();
                var gone = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, gone.Updated);
                Assert.Equal(1, Calls(sandbox, "delete"));
                Assert.Equal(new[] { "hand@elsewhere.example" }, Held(sandbox, a.UserPrincipalName));
                Assert.Contains(gone.Changes.Single(ch => ch.Action == ChangeAction.Update).ModifiedProperties, p => p.Name == "secondaryEmails" && p.OldValue.Contains("a.alias@fabrikam.example") && !(p.NewValue ?? "").Contains("a.alias"));

                // A refusal a retry can help with (rate limited) fails the change, which waits in escrow; sent again, it is added.
                sandbox.Dropbox.RateLimitedSecondaryEmails.Add("c.busy@fabrikam.example");
                sandbox.Directory.UpdateUser(c.Id, x => x.ProxyAddresses = new[] { "SMTP:" + c.UserPrincipalName, "smtp:c.busy@fabrikam.example", "smtp:c.free@fabrikam.example" });
                var limited = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(1, limited.Failed);
                Assert.Contains("c.busy@fabrikam.example (rate_limited", limited.Changes.Single(ch => ch.Status == ChangeStatus.Failure).StatusDetails);
                Assert.Equal(new[] { "c.free@fabrikam.example" }, Held(sandbox, c.UserPrincipalName));
                Assert.True(connection.Store.LoadState().Escrows.ContainsKey(c.Id));
                sandbox.Dropbox.RateLimitedSecondaryEmails.Clear();
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                var retried = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, retried.Failed);
                Assert.Equal(new[] { "c.busy@fabrikam.example", "c.free@fabrikam.example" }, Held(sandbox, c.UserPrincipalName));
                Assert.False(connection.Store.LoadState().Escrows.ContainsKey(c.Id));
            }
        }

        [Fact]
        public void On_create_aliases_are_added_once_the_member_exists_and_the_attribute_is_refused_over_SCIM()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 8, 66);
            using (ps)
            {
                ps.Run("Add-DbxAttributeMapping -TargetAttribute secondaryEmails -SourceAttribute proxyAddresses");
                var expected = Targets.ExpectedUserNames(sandbox);
                var someone = sandbox.Directory.Users.Where(u => expected.Contains(u.UserPrincipalName)).OrderBy(u => u.UserPrincipalName).First();
                sandbox.Directory.UpdateUser(someone.Id, x => x.ProxyAddresses = new[] { "SMTP:" + someone.UserPrincipalName, "smtp:new.alias@fabrikam.example" });
                // Dropbox adds secondary e-mails only to members whose e-mail is verified: an invited member is refused (unverified), retried.
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                var create = first.Changes.Single(ch => ch.Action == ChangeAction.Create && string.Equals(ch.TargetIdentity, someone.UserPrincipalName, StringComparison.OrdinalIgnoreCase));
                Assert.Equal(ChangeStatus.Failure, create.Status);
                Assert.Contains("new.alias@fabrikam.example (unverified", create.StatusDetails);
                Assert.NotNull(sandbox.Dropbox.FindByEmail(someone.UserPrincipalName));
                Assert.True(connection.Store.LoadState().Users.ContainsKey(someone.Id));
                Assert.Equal(1, Calls(sandbox, "add"));

                // Once the member has joined, the next full cycle adds it.
                sandbox.Dropbox.AcceptInvitations(1.0);
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                var second = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, second.Failed);
                Assert.Equal(new[] { "new.alias@fabrikam.example" }, Held(sandbox, someone.UserPrincipalName));
            }

            var (scimPs, _, _) = Targets.Connect(Targets.Scim, 8, 67);
            using (scimPs)
            {
                scimPs.Invoke("Add-DbxAttributeMapping -TargetAttribute secondaryEmails -SourceAttribute proxyAddresses");
                var error = Assert.Single(scimPs.Errors);
                Assert.StartsWith("AddDbxAttributeMappingTeamApiOnlyAttribute,", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
                Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
            }
        }
    }
}
