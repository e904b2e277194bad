using System;
using System.Management.Automation;
using DropboxProvisioning.Commands.Infrastructure;
using DropboxProvisioning.Reporting;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Commands.Status
{
    /// <summary>
    /// <para type="synopsis">Changes the job's settings. A change of scope makes the next cycle an initial one.</para>
    /// <para type="description">Only the settings given change; the others keep their values. The change is validated on a copy and saved whole. A change of -Scope or -IncludeDefaultAccess makes the next cycle an initial one, since who is in scope changes.</para>
    /// <para type="link">Get-DbxProvisioningSetting</para>
    /// <para type="link">Approve-DbxProvisioningDeletion</para>
    /// </summary>
    /// <example>
    /// <para>Holds back any cycle that would suspend or delete more than 50 accounts, notifies it-alerts@contoso.com, and shows the settings.</para>
    /// <code>
    /// Set-DbxProvisioningSetting -DeletionThreshold 50 -NotificationEmail it-alerts@contoso.com -PassThru
    /// </code>
    /// </example>
    /// <example>
    /// <para>Gives every cycle two and a half hours to write (an Azure Automation job is stopped after three); a cycle that does not finish in time is continued by the next one.</para>
    /// <code>
    /// Set-DbxProvisioningSetting -MaxCycleDuration (New-TimeSpan -Hours 2 -Minutes 30)
    /// </code>
    /// </example>
    /// <example>
    /// <para>Provisions every user and group of the tenant, not only those assigned to the app, every hour.</para>
    /// <code>
    /// Set-DbxProvisioningSetting -Scope AllUsersAndGroups -CycleInterval (New-TimeSpan -Hours 1)
    /// </code>
    /// </example>
    /// <example>
    /// <para>Over the Team API (here the sandbox's Team API connection): holds new accounts to the team's free licenses instead of meeting team_license_limit refusals, and shows what changes first.</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxProvisioningSetting -CheckLicenses $true -WhatIf
    /// Set-DbxProvisioningSetting -CheckLicenses $true
    /// </code>
    /// </example>
    /// <example>
    /// <para>Over the Team API: reminds invited members after 7 days, then every 7 days, and withdraws invitations not accepted after 30 days (members/remove of the invited member).</para>
    /// <code>
    /// Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
    /// Set-DbxProvisioningSetting -InviteReminderAfterDays 7 -InviteReminderEveryDays 7 -WithdrawInviteAfterDays 30 -PassThru
    /// </code>
    /// </example>
    /// <example>
    /// <para>Drift repair, over SCIM or the Team API: once a day a cycle reads Dropbox in full and puts back what was changed there by hand on what the engine manages (group members, mapped profile fields, suspensions); the drift it repaired is in the log.</para>
    /// <code>
    /// Set-DbxProvisioningSetting -FullReconciliationInterval (New-TimeSpan -Days 1)
    /// Invoke-DbxProvisioningCycle -WhatIf | Where-Object Drift
    /// Invoke-DbxProvisioningCycle | Out-Null
    /// Get-DbxProvisioningLog -Drift
    /// (Get-DbxProvisioningStatus).NextFullReconciliation
    /// </code>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "DbxProvisioningSetting", SupportsShouldProcess = true)]
    [OutputType(typeof(ProvisioningSettings))]
    public sealed class SetDbxProvisioningSettingCommand : DbxConfigurationCmdlet
    {
        /// <summary>AssignedUsersAndGroups ("Sync only assigned users and groups") or AllUsersAndGroups.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ProvisioningScope Scope { get; set; }

        /// <summary>Include users whose only assignment is the Default Access role (the Dropbox tutorial excludes them).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool IncludeDefaultAccess { get; set; }

        /// <summary>Where failure and quarantine notifications go; an empty string turns them off.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        [ValidateMailAddress]
        public string NotificationEmail { get; set; }

        /// <summary>The mailbox (user id or userPrincipalName) that sends notifications through Graph (Mail.Send).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string NotificationSender { get; set; }

        /// <summary>The most suspensions and deletions one cycle may make before they are held (Entra's default 500).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 1000000)]
        public int DeletionThreshold { get; set; }

        /// <summary>Leave accounts of users that leave scope as they are.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool SkipOutOfScopeDeletions { get; set; }

        /// <summary>
        /// $true lets the engine remove members it did not add from the Dropbox groups it manages, and delete the groups it
        /// matched by name (did not create) when they leave scope. $false (the default) leaves both as an admin made them.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool TakeOverDropboxGroups { get; set; }

        /// <summary>The time between cycles of Invoke-DbxProvisioningCycle -Continuous (Entra: 40 minutes).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [TimeSpanFromJson]
        public TimeSpan CycleInterval { get; set; }

        /// <summary>The most Dropbox writes in flight at once.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 64)]
        public int MaxConcurrency { get; set; }

        /// <summary>The most requests per second sent to Dropbox (default 25).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0.1, 10000.0)]
        public double MaxRequestsPerSecond { get; set; }

        /// <summary>
        /// How long a cycle may write before it stops and leaves the rest to the next cycle (Status Partial), one second to
        /// seven days; 0 or $null removes the deadline. Invoke-DbxProvisioningCycle -MaxDuration overrides it for one run.
        /// Changing it does not make the next cycle an initial one.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public TimeSpan? MaxCycleDuration { get; set; }

        /// <summary>
        /// Team API only. $true: each cycle reads the team's licenses (team/get_info) before writing and creates only as many
        /// accounts as there are licenses free; the others wait in escrow (LicenseLimit) for a later cycle. $false (the default):
        /// creates meet Dropbox's team_license_limit refusals one by one. Refused over SCIM (TeamApiOnlySetting).
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool CheckLicenses { get; set; }

        /// <summary>Team API only. Days after which a member who has still not accepted the invitation is sent the welcome e-mail again (members/send_welcome_email); $null (the default) never.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public int? InviteReminderAfterDays { get; set; }

        /// <summary>Team API only. The fewest days between two reminders to the same member (default: InviteReminderAfterDays); needs InviteReminderAfterDays.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public int? InviteReminderEveryDays { get; set; }

        /// <summary>Team API only. Days after which an invitation not accepted is withdrawn: members/remove of the invited member (the user is not invited again until Restart-DbxProvisioning -Scope Full or a new assignment); $null (the default) never.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public int? WithdrawInviteAfterDays { get; set; }

        /// <summary>
        /// Drift repair, over SCIM and the Team API: at most this long after the last full reconciliation (one minute to 365
        /// days; for example 1.00:00:00, daily), the next cycle reads Entra ID and Dropbox in full (members and group
        /// memberships) and puts back what was changed in Dropbox by hand on what the engine manages: members added to or
        /// removed from a managed group, mapped profile fields, suspensions. Each repair is logged as drift
        /// (Get-DbxProvisioningLog -Drift); accounts the engine did not create or adopt are left alone. 0 or $null (the
        /// default) turns it off. Changing it does not make the next cycle an initial one.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public TimeSpan? FullReconciliationInterval { get; set; }

        /// <summary>Write the settings as they are after the change to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void OnProcessRecord()
        {
            var bound = MyInvocation.BoundParameters;
            var saved = EditConfiguration("provisioning settings", (before, after) => SettingChanges.Describe(SettingChanges.Between(before.Settings, after.Settings)), configuration =>
            {
                var settings = configuration.Settings;
                if (bound.ContainsKey(nameof(Scope))) settings.Scope = Scope;
                if (bound.ContainsKey(nameof(IncludeDefaultAccess))) settings.IncludeDefaultAccess = IncludeDefaultAccess;
                if (bound.ContainsKey(nameof(NotificationEmail))) settings.NotificationEmail = string.IsNullOrEmpty(NotificationEmail) ? null : NotificationEmail;
                if (bound.ContainsKey(nameof(NotificationSender))) settings.NotificationSender = string.IsNullOrEmpty(NotificationSender) ? null : NotificationSender;
                if (bound.ContainsKey(nameof(DeletionThreshold))) settings.DeletionThreshold = DeletionThreshold;
                if (bound.ContainsKey(nameof(SkipOutOfScopeDeletions))) settings.SkipOutOfScopeDeletions = SkipOutOfScopeDeletions;
                if (bound.ContainsKey(nameof(TakeOverDropboxGroups))) settings.TakeOverDropboxGroups = TakeOverDropboxGroups;
                if (bound.ContainsKey(nameof(CycleInterval))) settings.CycleInterval = CycleInterval;
                if (bound.ContainsKey(nameof(MaxConcurrency))) settings.MaxConcurrency = MaxConcurrency;
                if (bound.ContainsKey(nameof(MaxRequestsPerSecond))) settings.MaxRequestsPerSecond = MaxRequestsPerSecond;
                if (bound.ContainsKey(nameof(MaxCycleDuration))) settings.MaxCycleDuration = MaxCycleDuration == TimeSpan.Zero ? null : MaxCycleDuration;
                if (bound.ContainsKey(nameof(FullReconciliationInterval))) settings.FullReconciliationInterval = FullReconciliationInterval == TimeSpan.Zero ? null : FullReconciliationInterval;
                if (bound.ContainsKey(nameof(CheckLicenses))) settings.CheckLicenses = CheckLicenses;
                if (bound.ContainsKey(nameof(InviteReminderAfterDays))) settings.InviteReminderAfterDays = InviteReminderAfterDays;
                if (bound.ContainsKey(nameof(InviteReminderEveryDays))) settings.InviteReminderEveryDays = InviteReminderEveryDays;
                if (bound.ContainsKey(nameof(WithdrawInviteAfterDays))) settings.WithdrawInviteAfterDays = WithdrawInviteAfterDays;
            });
            if (saved != null && PassThru) WriteObject(saved.Settings);
        }
    }
}
