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
    /// <para>Provisions every user and group of the tenant, not only those assigned to the app, every hour.</para>
    /// <code>
    /// Set-DbxProvisioningSetting -Scope AllUsersAndGroups -CycleInterval (New-TimeSpan -Hours 1)
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
            });
            if (saved != null && PassThru) WriteObject(saved.Settings);
        }
    }
}
