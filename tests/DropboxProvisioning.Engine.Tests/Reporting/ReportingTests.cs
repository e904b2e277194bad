using System;
using System.Collections.Generic;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;
using DropboxProvisioning.Reporting;
using DropboxProvisioning.State;
using DropboxProvisioning.Sync;
using Newtonsoft.Json;
using Xunit;

namespace DropboxProvisioning.Engine.Tests.Reporting
{
    public sealed class ReportingTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

        private static ProvisioningChange Change(ChangeAction action, string identity, ObjectType type = ObjectType.User) =>
            new ProvisioningChange { Planned = action, ObjectType = type, SourceId = "id-" + identity, SourceIdentity = identity, TargetIdentity = identity, Reason = "because" };

        [Fact]
        public void A_plan_is_summarised_by_action_and_object_type_in_the_order_the_cycle_writes()
        {
            var changes = Enumerable.Range(0, 1200).Select(i => Change(ChangeAction.Create, $"u{i}@contoso.com"))
                .Concat(new[] { Change(ChangeAction.Skip, "nosurname@contoso.com"), Change(ChangeAction.Disable, "left@contoso.com"), Change(ChangeAction.Create, "Sales", ObjectType.Group) })
                .ToList();
            var summary = ChangeSummary.Of(changes);
            Assert.Equal(new[] { (ChangeAction.Create, ObjectType.User), (ChangeAction.Create, ObjectType.Group), (ChangeAction.Disable, ObjectType.User), (ChangeAction.Skip, ObjectType.User) },
                summary.Kinds.Select(k => (k.Action, k.ObjectType)));
            Assert.Equal(1200, summary.Count(ChangeAction.Create, ObjectType.User));
            Assert.Equal(3, summary.Confirmable.Count());
            Assert.Equal("Create 1,200 Dropbox users: u0@contoso.com, u1@contoso.com and 1,198 more", summary.Kinds[0].Prompt(2));
            Assert.Equal("Suspend 1 Dropbox user", summary.Kinds[2].Title);

            var text = summary.Text("Cycle x would make 1,203 changes.", "Every change is in the objects returned.");
            var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            Assert.Equal("Cycle x would make 1,203 changes.", lines[0]);
            Assert.Contains(lines, l => l.Contains("1,200  Create") && l.EndsWith("Create 1,200 Dropbox users"));
            Assert.Contains("The first 10 of 1,203:", lines);
            Assert.Equal(10, lines.Count(l => l.StartsWith("  Create Dropbox user 'u")));
            Assert.Equal("Every change is in the objects returned.", lines.Last());
            Assert.True(lines.Count < 20);
        }

        [Fact]
        public void An_empty_plan_says_there_is_nothing_to_change()
        {
            var text = ChangeSummary.Of(new ProvisioningChange[0]).Text("Cycle y", "how");
            Assert.EndsWith("Nothing to change.", text);
        }

        [Fact]
        public void Setting_changes_name_each_value_with_its_old_and_new_value()
        {
            var before = new ProvisioningSettings();
            var after = before.Clone();
            after.DeletionThreshold = 300;
            after.CycleInterval = TimeSpan.FromHours(1);
            after.NotificationEmail = "admins@contoso.com";
            var changes = SettingChanges.Between(before, after);
            Assert.StartsWith("Set ", SettingChanges.Describe(changes));
            Assert.Equal("DeletionThreshold from 500 to 300, NotificationEmail from (none) to 'admins@contoso.com', CycleInterval from 00:40:00 to 01:00:00"
                .Split(new[] { ", " }, StringSplitOptions.None).OrderBy(s => s), SettingChanges.Describe(changes).Substring(4).Split(new[] { ", " }, StringSplitOptions.None).OrderBy(s => s));
            Assert.Null(SettingChanges.Describe(SettingChanges.Between(before, before.Clone())));
        }

        [Fact]
        public void Object_mapping_changes_reach_into_the_target_actions()
        {
            var before = DefaultMappings.Users(DropboxApiKind.Scim);
            var after = before.Clone();
            after.Actions.Delete = false;
            after.Enabled = false;
            var text = SettingChanges.Describe(SettingChanges.Between(before, after));
            Assert.Contains("Enabled from True to False", text);
            Assert.Contains("Actions.Delete from True to False", text);
        }

        [Fact]
        public void A_held_suspension_of_an_invited_account_is_announced_as_the_deletion_it_will_be()
        {
            var held = new StagedDeletion { SourceId = "s", TargetId = "t", TargetIdentity = "new@contoso.com", Action = "Disable", Reason = "no longer assigned" };
            Assert.StartsWith("Delete Dropbox user 'new@contoso.com' (it is still invited", HeldDeletionPreview.Describe(held, DropboxApiKind.TeamApi, "invited"));
            Assert.Equal("Suspend Dropbox user 'new@contoso.com': no longer assigned", HeldDeletionPreview.Describe(held, DropboxApiKind.TeamApi, "active"));
            Assert.Contains("or delete it, if it is still invited", HeldDeletionPreview.Describe(held, DropboxApiKind.Scim, null));
            held.Action = "Delete";
            Assert.Equal("Delete Dropbox user 'new@contoso.com': no longer assigned", HeldDeletionPreview.Describe(held, DropboxApiKind.Scim, null));
        }

        [Fact]
        public void The_report_groups_failure_reasons_whoever_they_hit_and_marks_the_escrows_due()
        {
            var state = new ProvisioningState();
            state.History.Add(new CycleSummary { CycleId = "c2", StartTime = Now.AddMinutes(-40), EndTime = Now.AddMinutes(-39), Status = CycleStatus.CompletedWithFailures, Created = 3, Failed = 2 });
            state.History.Add(new CycleSummary { CycleId = "c1", StartTime = Now.AddMinutes(-80), EndTime = Now.AddMinutes(-78), Status = CycleStatus.Succeeded, Created = 10, GroupsCreated = 1 });
            state.History.Add(new CycleSummary { CycleId = "c0", StartTime = Now.AddMinutes(-120), Status = CycleStatus.Succeeded });
            state.Escrows["a"] = new EscrowEntry { SourceId = "a", Identity = "ann@contoso.com", Attempts = 1, NextAttempt = Now.AddMinutes(-1), LastError = "full" };
            state.Escrows["b"] = new EscrowEntry { SourceId = "b", Identity = "bob@contoso.com", Attempts = 2, NextAttempt = Now.AddHours(1), LastError = "full" };
            state.StagedDeletions.Add(new StagedDeletion { SourceId = "x", TargetIdentity = "x@contoso.com", Action = "Disable", Reason = "left" });
            ProvisioningLogRecord Failure(string cycle, string user, string details) =>
                new ProvisioningLogRecord { CycleId = cycle, Status = ChangeStatus.Failure, Action = ChangeAction.Create, ObjectType = "User", SourceId = "id-" + user, SourceIdentity = user, StatusDetails = details };
            var logs = new[]
            {
                Failure("c2", "ann@contoso.com", "Team is full, so ann@contoso.com cannot be added."),
                Failure("c2", "bob@contoso.com", "Team is full, so bob@contoso.com cannot be added."),
                Failure("c1", "ann@contoso.com", "Team is full, so ann@contoso.com cannot be added."),
                Failure("c1", "eve@contoso.com", "Dropbox refused the value 'x' of userName."),
                Failure("older", "old@contoso.com", "Team is full, so old@contoso.com cannot be added."),
            };

            var report = CycleReport.Build(state, new ProvisioningConfiguration(), logs, "/state", "Dropbox SCIM", Now, cycles: 2);
            Assert.Equal(new[] { "c1", "c2" }, report.Cycles.Select(c => c.CycleId));
            Assert.Equal(11, report.Cycles[0].Created);
            Assert.Equal(TimeSpan.FromMinutes(2), report.Cycles[0].Duration);
            var top = report.FailureReasons[0];
            Assert.Equal("Team is full, so <user> cannot be added.", top.Reason);
            Assert.Equal(3, top.Count);
            Assert.Equal(new[] { "ann@contoso.com", "bob@contoso.com" }, top.Affected);
            Assert.Equal(2, report.FailureReasons.Count);
            Assert.Equal(1, report.EscrowsDue);
            Assert.Equal("ann@contoso.com", report.Escrows[0].Identity);
            Assert.Single(report.HeldDeletions);
            Assert.Contains(report.Mappings, m => m.ObjectType == ObjectType.User && m.TargetAttribute == "userName");

            var html = HtmlReportRenderer.Render(report);
            Assert.Contains("<svg id=\"cycle-chart\"", html);
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "class=\"bar failed\"").Count);
            Assert.Contains("Team is full, so &lt;user&gt; cannot be added.", html);
            Assert.DoesNotContain("<script", html);
        }

        [Fact]
        public void Values_from_the_tenant_are_encoded_in_the_report()
        {
            var state = new ProvisioningState();
            state.StagedDeletions.Add(new StagedDeletion { SourceId = "x", TargetIdentity = "<script>alert(1)</script>@contoso.com", Action = "Delete", Reason = "\"quoted\" & <b>bold</b>" });
            var html = HtmlReportRenderer.Render(CycleReport.Build(state, new ProvisioningConfiguration(), new ProvisioningLogRecord[0], "/s", "Dropbox SCIM", Now));
            Assert.DoesNotContain("<script>", html);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;@contoso.com", html);
            Assert.Contains("&lt;b&gt;bold&lt;/b&gt;", html);
            Assert.Contains("No cycle has run yet.", html);
        }

        [Fact]
        public void A_cycle_stopped_at_its_deadline_is_shown_Partial_with_what_it_left_and_not_as_a_failure()
        {
            var state = new ProvisioningState();
            state.Record(new CycleSummary { CycleId = "part2", StartTime = Now.AddHours(-1), EndTime = Now, Status = CycleStatus.Succeeded, Mode = CycleMode.Initial, Created = 5 });
            state.Record(new CycleSummary { CycleId = "part1", StartTime = Now.AddHours(-4), EndTime = Now.AddHours(-1.5), Status = CycleStatus.Partial, Mode = CycleMode.Initial, Created = 40, Remaining = 5 });
            var report = CycleReport.Build(state, new ProvisioningConfiguration(), new ProvisioningLogRecord[0], "/s", "Dropbox SCIM", Now);
            Assert.Equal("Partial (5 remaining)", report.Cycles.Single(c => c.CycleId == "part1").Status);
            Assert.Equal("Active", report.ProvisioningStatus);
            Assert.Empty(report.FailureReasons);
            Assert.Contains("Partial (5 remaining)", HtmlReportRenderer.Render(report));
            Assert.Contains("5 remaining", state.History[0].ToString());
        }

        [Fact]
        public void Every_condition_an_admin_can_fix_has_a_recommended_action()
        {
            foreach (var condition in new[] { "ProvisioningOff", "Quarantined", "CycleRunning", "MappingExists", "GraphForbidden", "DropboxUnauthorized", "InvalidConfigurationFile", "NotConnected" })
                Assert.False(string.IsNullOrWhiteSpace(RecommendedActions.For(condition)), condition);
            Assert.Null(RecommendedActions.For("SomethingNobodyCanFix"));
            var e = new DbxException("ProvisioningOff", DbxErrorCategory.InvalidOperation, "Off");
            Assert.Contains("Set-DbxProvisioningStatus -Status On", e.RecommendedAction);
            e.RecommendedAction = "Do this instead.";
            Assert.Equal("Do this instead.", e.RecommendedAction);
        }

        [Fact]
        public void A_broken_configuration_file_is_described_without_the_parsers_words()
        {
            var unknown = Assert.Throws<DbxException>(() => ConfigurationFile.FromJson("{ \"version\": 1, \"nosuch\": 2 }", "c.json"));
            Assert.Equal("InvalidConfigurationFile", unknown.Condition);
            Assert.Matches(@"'nosuch' is not a property this file can have \(line 1, position \d+, at 'nosuch'\)", unknown.Message);
            Assert.DoesNotContain("ProvisioningConfiguration'", unknown.Message);
            var broken = Assert.Throws<DbxException>(() => ConfigurationFile.FromJson("{ \"version\": 1,", "c.json"));
            Assert.Contains("(line 1, position ", broken.Message);
            Assert.DoesNotContain("Newtonsoft", broken.Message);
            var bad = Assert.Throws<DbxException>(() => ConfigurationFile.FromJson("{ \"version\": 1, garbage", "c.json"));
            Assert.Contains("it is not valid JSON (line 1", bad.Message);
        }
    }
}
