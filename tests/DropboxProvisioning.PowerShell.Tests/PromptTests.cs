using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using DropboxProvisioning.State;
using DropboxProvisioning.Sandbox;
using DropboxProvisioning.Sync;
using Xunit;

namespace DropboxProvisioning.PowerShell.Tests
{
    /// <summary>
    /// What an admin at the console sees and is asked: -WhatIf as one summary, -Confirm once per kind of change with
    /// Yes to All honoured, and approval prompts that name what will really happen. The runspace has a host that
    /// records every line written to it and answers every choice it is asked.
    /// </summary>
    public sealed class PromptTests
    {
        [Fact]
        public void WhatIf_on_a_large_tenant_prints_one_summary_with_counts_and_returns_every_change()
        {
            using (var console = new RecordingConsole(answer: 0))
            {
                console.Run("Connect-DbxTenant -Sandbox -SandboxUserCount 400 -SandboxSeed 5 | Out-Null");
                var planned = console.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => (ProvisioningChange)o.BaseObject).ToList();
                var whatIf = console.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
                Assert.Single(whatIf);
                var creates = planned.Count(c => c.Action == ChangeAction.Create && c.ObjectType == Mapping.ObjectType.User);
                Assert.True(creates > 300, creates.ToString());
                var text = string.Join("\n", console.Lines);
                Assert.Contains($"Create {creates.ToString("N0", CultureInfo.InvariantCulture)} Dropbox users", text);
                Assert.Contains("The first 10 of", text);
                Assert.Contains("$changes = Invoke-DbxProvisioningCycle -WhatIf", text);
                Assert.True(console.Lines.Count < 30, console.Lines.Count + " lines");
                Assert.Empty(console.Prompts);
            }
        }

        [Fact]
        public void Confirm_asks_once_per_kind_of_change()
        {
            using (var console = new RecordingConsole(answer: 0))
            {
                console.Run("Connect-DbxTenant -Sandbox -SandboxUserCount 60 -SandboxSeed 5 | Out-Null");
                var kinds = console.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => (ProvisioningChange)o.BaseObject)
                    .Where(c => c.Action != ChangeAction.Skip).Select(c => (c.Action, c.ObjectType)).Distinct().Count();
                var result = (CycleResult)console.Run("Invoke-DbxProvisioningCycle -Confirm").Single().BaseObject;
                Assert.Equal(kinds, console.Prompts.Count);
                Assert.True(result.Created > 40, result.Created.ToString());
                Assert.Contains(console.Prompts, p => p.Contains($"Create {result.Created} Dropbox users"));
            }
        }

        [Fact]
        public void Yes_to_All_answers_every_later_kind_of_change()
        {
            using (var console = new RecordingConsole(answer: 1))
            {
                console.Run("Connect-DbxTenant -Sandbox -SandboxUserCount 60 -SandboxSeed 5 | Out-Null");
                var planned = console.Run("Invoke-DbxProvisioningCycle -WhatIf").Select(o => (ProvisioningChange)o.BaseObject).ToList();
                Assert.True(planned.Where(c => c.Action != ChangeAction.Skip).Select(c => (c.Action, c.ObjectType)).Distinct().Count() > 1);
                var result = (CycleResult)console.Run("Invoke-DbxProvisioningCycle -Confirm").Single().BaseObject;
                Assert.Single(console.Prompts);
                Assert.Equal(planned.Count(c => c.Action == ChangeAction.Create && c.ObjectType == Mapping.ObjectType.User), result.Created);
                Assert.True(result.GroupsCreated > 0);
            }
        }

        [Fact]
        public void Every_piped_hold_is_approved_and_an_invited_account_is_announced_as_deleted()
        {
            using (var console = new RecordingConsole(answer: 1))
            {
                var connection = (Connection.DbxConnection)console.Run("Connect-DbxTenant -Sandbox -Api TeamApi -SandboxUserCount 40 -SandboxSeed 21").Single().BaseObject;
                var sandbox = (SandboxTenant)connection.Sandbox;
                console.Run("Set-DbxProvisioningSetting -DeletionThreshold 2 -Confirm:$false; Invoke-DbxProvisioningCycle -Confirm:$false | Out-Null");
                // The members were added and never joined: they are still invited, which Dropbox cannot suspend.
                var victims = Targets.DirectUsers(sandbox).Take(4).ToList();
                foreach (var user in victims) sandbox.Directory.Unassign(user.Id);
                var held = (CycleResult)console.Run("Invoke-DbxProvisioningCycle -Confirm:$false").Single().BaseObject;
                Assert.Equal(4, held.Changes.Count(c => c.Action == ChangeAction.StagedDelete));

                // Some of them matched accounts that had joined already: those are suspended.
                var invited = victims.Where(v => sandbox.Dropbox.FindByEmail(v.UserPrincipalName).Status == Sandbox.Dropbox.DropboxMemberStatus.Invited).ToList();
                Assert.NotEmpty(invited);

                console.Lines.Clear();
                console.Run("(Get-DbxProvisioningStatus).StagedDeletions | Approve-DbxProvisioningDeletion -WhatIf");
                var whatIf = console.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
                Assert.Equal(4, whatIf.Count);
                foreach (var victim in victims)
                {
                    var line = Assert.Single(whatIf, l => l.Contains("'" + victim.UserPrincipalName + "'", StringComparison.OrdinalIgnoreCase));
                    Assert.Contains(invited.Contains(victim) ? "Delete Dropbox user" : "Suspend Dropbox user", line);
                    Assert.Equal(invited.Contains(victim), line.Contains("still invited"));
                }

                var approved = (CycleResult)console.Run("(Get-DbxProvisioningStatus).StagedDeletions | Approve-DbxProvisioningDeletion").Single().BaseObject;
                Assert.Equal(invited.Count, approved.Deleted);
                Assert.Equal(4 - invited.Count, approved.Suspended);
                Assert.All(invited, v => Assert.Null(sandbox.Dropbox.FindByEmail(v.UserPrincipalName)));

                console.Run("Approve-DbxProvisioningDeletion");
                Assert.Contains(console.Warnings, w => w.Contains("nothing to approve"));
            }
        }

        /// <summary>A runspace with the module imported and a host that records what it shows and answers prompts with one choice.</summary>
        private sealed class RecordingConsole : IDisposable
        {
            private readonly Runspace _runspace;
            private readonly RecordingHost _host;

            public RecordingConsole(int answer)
            {
                _host = new RecordingHost(answer);
                var state = InitialSessionState.CreateDefault2();
                if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
                _runspace = RunspaceFactory.CreateRunspace(_host, state);
                _runspace.Open();
                Run($"Import-Module '{PowerShellSession.ManifestPath}'");
            }

            public List<string> Lines => _host.UI.Lines;
            public List<string> Prompts => _host.UI.Prompts;
            public List<string> Warnings { get; } = new List<string>();

            public Collection<PSObject> Run(string script)
            {
                using (var ps = System.Management.Automation.PowerShell.Create())
                {
                    ps.Runspace = _runspace;
                    ps.AddScript(script);
                    var output = ps.Invoke();
                    Warnings.AddRange(ps.Streams.Warning.Select(w => w.Message));
                    if (ps.Streams.Error.Count > 0) throw new InvalidOperationException(string.Join("\n", ps.Streams.Error.Select(e => e.FullyQualifiedErrorId + ": " + e)));
                    return output;
                }
            }

            public void Dispose() => _runspace.Dispose();
        }

        private sealed class RecordingHost : PSHost
        {
            public RecordingHost(int answer) { UI = new RecordingUI(answer); }
            public override string Name => "RecordingHost";
            public override Version Version => new Version(1, 0);
            public override Guid InstanceId { get; } = Guid.NewGuid();
            public override RecordingUI UI { get; }
            public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
            public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
            public override void SetShouldExit(int exitCode) { }
            public override void EnterNestedPrompt() => throw new NotSupportedException();
            public override void ExitNestedPrompt() => throw new NotSupportedException();
            public override void NotifyBeginApplication() { }
            public override void NotifyEndApplication() { }
        }

        private sealed class RecordingUI : PSHostUserInterface
        {
            private readonly int _answer;
            private string _partial = "";
            public RecordingUI(int answer) { _answer = answer; }
            public List<string> Lines { get; } = new List<string>();
            public List<string> Prompts { get; } = new List<string>();
            public override PSHostRawUserInterface RawUI => null;
            public override string ReadLine() => "";
            public override SecureString ReadLineAsSecureString() => new SecureString();
            public override void Write(string value) => _partial += value;
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
            public override void WriteLine(string value)
            {
                Lines.AddRange((_partial + value).Split('\n').Select(l => l.TrimEnd('\r')));
                _partial = "";
            }
            public override void WriteErrorLine(string value) => WriteLine(value);
            public override void WriteDebugLine(string message) { }
            public override void WriteProgress(long sourceId, ProgressRecord record) { }
            public override void WriteVerboseLine(string message) { }
            public override void WriteWarningLine(string message) { }
            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                Prompts.Add(message);
                return _answer;
            }
        }
    }
}
