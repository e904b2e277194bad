using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DropboxProvisioning.Sandbox.Dropbox;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// Invitations never accepted (Team API; InviteReminderAfterDays, InviteReminderEveryDays, WithdrawInviteAfterDays):
    /// reminders with members/send_welcome_email at most every M days, withdrawal by members/remove of the invited member,
    /// the pending invitations and their age in the status and the log; off by default; refused over SCIM.
    /// The invitations are made old by the sandbox team's own clock (Dropbox's invited_on); the engine's clock is the machine's.
    /// </summary>
    public sealed class TeamApiInviteTests
    {
        private static int WelcomeEmails(Sandbox.SandboxTenant sandbox) =>
            sandbox.Journal.Entries().Count(e => e.Path == "/2/team/members/send_welcome_email" && e.Status == 200);

        [Fact]
        public void Invites_not_accepted_are_reminded_at_most_every_M_days_and_withdrawn_after_K_days_until_escrows_are_restarted()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 30, 41);
            using (ps)
            {
                // Dropbox invites everyone the first cycle creates "ten days ago".
                sandbox.Dropbox.Clock = () => DateTimeOffset.UtcNow.AddDays(-10);
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                sandbox.Dropbox.Clock = () => DateTimeOffset.UtcNow;
                Assert.True(first.Created > 6);
                var created = first.Changes.Where(c => c.Action == ChangeAction.Create && c.ObjectType == Mapping.ObjectType.User).ToList();
                // Two of them join; the rest stay invited.
                foreach (var joined in created.Take(2)) sandbox.Dropbox.AcceptInvitation(joined.TargetId);
                var stillInvited = created.Skip(2).Select(c => c.TargetId).ToHashSet();
                Assert.All(stillInvited, id => Assert.Equal(DropboxMemberStatus.Invited, sandbox.Dropbox.GetMember(id).Status));

                // Off by default: nothing is sent, nothing recorded.
                sandbox.Journal.Clear();
                var idle = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, idle.InvitesResent + WelcomeEmails(sandbox));
                Assert.Empty(ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus").PendingInvites);

                ps.Run("Set-DbxProvisioningSetting -InviteReminderAfterDays 7 -InviteReminderEveryDays 3");
                var settings = ps.Single<ProvisioningSettings>("Get-DbxProvisioningSetting");
                Assert.Equal(7, settings.InviteReminderAfterDays);
                Assert.Equal(3, settings.InviteReminderEveryDays);
                Assert.Null(settings.WithdrawInviteAfterDays);

                // -WhatIf shows the reminders and sends nothing.
                sandbox.Journal.Clear();
                var look = ps.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => o.BaseObject).OfType<ProvisioningChange>().Where(c => c.Action == ChangeAction.Remind).ToList();
                Assert.Equal(stillInvited.OrderBy(i => i), look.Select(c => c.TargetId).OrderBy(i => i));
                Assert.All(look, c => Assert.StartsWith("Send the Dropbox invitation again to user", c.Description));
                Assert.All(look, c => Assert.Contains("10 day(s) ago", c.Reason));
                Assert.Equal(0, WelcomeEmails(sandbox));

                var reminded = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(stillInvited.Count, reminded.InvitesResent);
                Assert.Equal(stillInvited.Count, WelcomeEmails(sandbox));
                Assert.Equal(0, reminded.Failed);
                var log = ps.Run("Get-DbxProvisioningLog -Action Remind").Select(o => (ProvisioningLogRecord)o.BaseObject).ToList();
                Assert.Equal(stillInvited.Count, log.Count);
                Assert.All(log, r => Assert.Contains("members/send_welcome_email", r.StatusDetails));
                var status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Equal(stillInvited.OrderBy(i => i), status.PendingInvites.Select(p => p.TargetId).OrderBy(i => i));
                Assert.All(status.PendingInvites, p =>
                {
                    Assert.Equal(10, p.AgeDays(DateTimeOffset.UtcNow));
                    Assert.Equal(1, p.Reminders);
                    Assert.NotNull(p.LastReminder);
                });

                // At most every three days: the next cycle sends none.
                sandbox.Journal.Clear();
                Assert.Equal(0, ps.Single<CycleResult>("Invoke-DbxProvisioningCycle").InvitesResent);
                Assert.Equal(0, WelcomeEmails(sandbox));

                // Withdraw after nine days: members/remove of each invited member; they are not invited again...
                ps.Run("Set-DbxProvisioningSetting -WithdrawInviteAfterDays 9");
                sandbox.Journal.Clear();
                var withdrawn = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(stillInvited.Count, withdrawn.InvitesWithdrawn);
                Assert.Equal(stillInvited.Count, withdrawn.Deleted);
                Assert.Equal(stillInvited.Count, sandbox.Journal.Entries().Count(e => e.Path == "/2/team/members/remove"));
                Assert.All(stillInvited, id => Assert.Equal(DropboxMemberStatus.Removed, sandbox.Dropbox.GetMember(id).Status));
                Assert.All(created.Take(2), c => Assert.Equal(DropboxMemberStatus.Active, sandbox.Dropbox.GetMember(c.TargetId).Status));
                var after = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Equal(stillInvited.Count, after.WithdrawnInvites);
                Assert.Empty(after.PendingInvites);
                Assert.Equal(stillInvited.Count, ps.Run("Get-DbxProvisioningLog -Action Delete").Select(o => (ProvisioningLogRecord)o.BaseObject).Count(r => r.StatusDetails.Contains("invitation was withdrawn")));

                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false"); // an initial cycle: every user is looked at again
                var full = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, full.Created);
                Assert.Equal(stillInvited.Count, full.Changes.Count(c => c.Action == ChangeAction.Skip && c.Reason.StartsWith("InviteWithdrawn:")));

                // ...until the escrows are restarted: then they are invited anew.
                ps.Run("Restart-DbxProvisioning -Scope Escrows -Confirm:$false");
                var again = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(stillInvited.Count, again.Created);
                Assert.Equal(0, again.InvitesWithdrawn + again.InvitesResent);
            }
        }

        [Fact]
        public void An_invite_withdrawal_held_by_the_deletion_threshold_and_approved_is_marked_withdrawn_and_not_invited_again()
        {
            var (ps, connection, sandbox) = Targets.Connect(Targets.TeamApi, 12, 44);
            using (ps)
            {
                sandbox.Dropbox.Clock = () => DateTimeOffset.UtcNow.AddDays(-10);
                var first = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                sandbox.Dropbox.Clock = () => DateTimeOffset.UtcNow;
                var invited = first.Changes.Where(c => c.Action == ChangeAction.Create && c.ObjectType == Mapping.ObjectType.User).Select(c => c.TargetId).ToHashSet();
                Assert.True(invited.Count > 2);

                // More withdrawals than the threshold allows: all are held, none carried out.
                ps.Run($"Set-DbxProvisioningSetting -WithdrawInviteAfterDays 9 -DeletionThreshold {invited.Count - 1}");
                var held = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(invited.Count, held.Changes.Count(c => c.Action == ChangeAction.StagedDelete));
                Assert.Equal(0, held.InvitesWithdrawn);
                Assert.All(invited, id => Assert.Equal(DropboxMemberStatus.Invited, sandbox.Dropbox.GetMember(id).Status));

                // Approved: the invitations are withdrawn, and they count as withdrawn invitations, not as plain deletions.
                var approved = ps.Single<CycleResult>("Approve-DbxProvisioningDeletion -Confirm:$false");
                Assert.Equal(invited.Count, approved.Deleted);
                Assert.Equal(invited.Count, approved.InvitesWithdrawn);
                Assert.All(invited, id => Assert.Equal(DropboxMemberStatus.Removed, sandbox.Dropbox.GetMember(id).Status));
                var status = ps.Single<ProvisioningStatusReport>("Get-DbxProvisioningStatus");
                Assert.Equal(invited.Count, status.WithdrawnInvites);
                Assert.Empty(status.PendingInvites);

                // The users are still assigned in Entra: a full cycle does not invite them again.
                ps.Run("Restart-DbxProvisioning -Scope Watermark -Confirm:$false");
                var full = ps.Single<CycleResult>("Invoke-DbxProvisioningCycle");
                Assert.Equal(0, full.Created);
                Assert.Equal(invited.Count, full.Changes.Count(c => c.Action == ChangeAction.Skip && c.Reason.StartsWith("InviteWithdrawn:")));
            }
        }

        [Fact]
        public void Invitation_settings_are_validated_and_refused_over_SCIM_with_a_clear_error()
        {
            var (ps, connection, _) = Targets.Connect(Targets.TeamApi, 8, 42);
            using (ps)
            {
                string Config() => File.Exists(connection.Store.ConfigurationFile) ? File.ReadAllText(connection.Store.ConfigurationFile) : "";
                var before = Config();
                foreach (var (command, id) in new[]
                {
                    ("Set-DbxProvisioningSetting -InviteReminderAfterDays 0", "SetDbxProvisioningSettingInvalidInviteDays"),
                    ("Set-DbxProvisioningSetting -InviteReminderEveryDays 3", "SetDbxProvisioningSettingInvalidInviteReminder"),
                    ("Set-DbxProvisioningSetting -InviteReminderAfterDays 7 -WithdrawInviteAfterDays 7", "SetDbxProvisioningSettingInvalidInviteWithdrawal"),
                })
                {
                    ps.Invoke(command);
                    var error = Assert.Single(ps.Errors);
                    Assert.StartsWith(id + ",", error.FullyQualifiedErrorId);
                    Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
                    Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
                    Assert.Equal(before, Config());
                }
                // $null turns a setting off again.
                ps.Run("Set-DbxProvisioningSetting -InviteReminderAfterDays 5; Set-DbxProvisioningSetting -InviteReminderAfterDays $null");
                Assert.Null(ps.Single<ProvisioningSettings>("Get-DbxProvisioningSetting").InviteReminderAfterDays);
            }

            var (scimPs, scim, _) = Targets.Connect(Targets.Scim, 8, 43);
            using (scimPs)
            {
                scimPs.Invoke("Set-DbxProvisioningSetting -WithdrawInviteAfterDays 30");
                var error = Assert.Single(scimPs.Errors);
                Assert.StartsWith("SetDbxProvisioningSettingTeamApiOnlySetting,", error.FullyQualifiedErrorId);
                Assert.Contains("WithdrawInviteAfterDays", error.Exception.Message);
                Assert.Contains("-Api TeamApi", error.ErrorDetails.RecommendedAction);
            }
        }
    }
}
