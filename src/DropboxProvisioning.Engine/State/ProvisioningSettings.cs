using System;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DropboxProvisioning.State
{
    // The enums the cmdlets write are 64-bit so that ConvertTo-Json writes them by name (README, "Exports").
    /// <summary>Entra's "Scope" setting.</summary>
    public enum ProvisioningScope : long { AssignedUsersAndGroups, AllUsersAndGroups }

    /// <summary>The job's settings (Entra's Settings section and the accidental deletions prevention).</summary>
    public sealed class ProvisioningSettings
    {
        [JsonConverter(typeof(StringEnumConverter))]
        public ProvisioningScope Scope { get; set; } = ProvisioningScope.AssignedUsersAndGroups;

        /// <summary>The Dropbox tutorial excludes users whose only assignment is Default Access; newer Entra apps include them.</summary>
        public bool IncludeDefaultAccess { get; set; }

        /// <summary>Where failure and quarantine notifications go ("Send an email notification when a failure occurs").</summary>
        public string NotificationEmail { get; set; }

        /// <summary>The mailbox (user id or userPrincipalName) that sends notifications through Graph's sendMail.</summary>
        public string NotificationSender { get; set; }

        public int DeletionThreshold { get; set; } = 500;

        public bool SkipOutOfScopeDeletions { get; set; }

        /// <summary>
        /// False (the default): the engine removes from a Dropbox group only the members it added, and deletes only the
        /// groups it created; a group it matched by name is left in Dropbox when it leaves scope. True: every group it
        /// manages, created or matched, holds exactly the provisioned members and is deleted when it leaves scope.
        /// </summary>
        public bool TakeOverDropboxGroups { get; set; }

        public TimeSpan CycleInterval { get; set; } = TimeSpan.FromMinutes(40);

        /// <summary>
        /// The most requests per second sent to Dropbox (25 is the least Microsoft requires a gallery SCIM app to
        /// take); the engine cuts below it on 429 and comes back up while answers are clean.
        /// </summary>
        public double MaxRequestsPerSecond { get; set; } = 25;

        /// <summary>Most Dropbox writes in flight at once.</summary>
        public int MaxConcurrency { get; set; } = 8;

        /// <summary>
        /// How long a cycle may write before it stops (none: no limit). At the deadline it starts no further write, lets those
        /// in flight finish and saves what remains; the next cycle continues it (Status Partial). Invoke-DbxProvisioningCycle
        /// -MaxDuration overrides it for one run. Not part of what a cycle provisions: changing it does not make the next
        /// cycle an initial one.
        /// </summary>
        public TimeSpan? MaxCycleDuration { get; set; }

        /// <summary>The shortest and longest deadline a cycle takes.</summary>
        public static readonly TimeSpan MinCycleDuration = TimeSpan.FromSeconds(1), MaxCycleDurationLimit = TimeSpan.FromDays(7);

        /// <summary>
        /// Team API only. True: before writing, each cycle reads the team's licenses (team/get_info) and creates only as
        /// many accounts as there are licenses free; the rest wait in escrow as LicenseLimit (see Sync/Planning/SeatLimit).
        /// False (the default): creates meet Dropbox's team_license_limit refusals one by one, as Entra's connector does.
        /// Left out of the file while false, so jobs saved before it existed keep their fingerprint.
        /// </summary>
        [JsonProperty(DefaultValueHandling = DefaultValueHandling.Ignore)]
        public bool CheckLicenses { get; set; }

        /// <summary>Team API only. A member still invited this many days after it was added gets members/send_welcome_email again; null (the default): never.</summary>
        public int? InviteReminderAfterDays { get; set; }

        /// <summary>Team API only. The fewest days between two reminders to the same invited member (default: InviteReminderAfterDays).</summary>
        public int? InviteReminderEveryDays { get; set; }

        /// <summary>Team API only. An invitation older than this many days is withdrawn (members/remove of the invited member); null (the default): never.</summary>
        public int? WithdrawInviteAfterDays { get; set; }

        /// <summary>
        /// Drift repair, on both APIs: at most this long after the last full reconciliation, the next cycle reads the Dropbox
        /// side in full (members and group memberships) and puts back what was changed there by hand on what the engine
        /// manages (see State/FullReconciliationSchedule). Null (the default): never, as before. Like MaxCycleDuration, not
        /// part of what a cycle provisions: changing it does not make the next cycle an initial one.
        /// </summary>
        public TimeSpan? FullReconciliationInterval { get; set; }

        /// <summary>The shortest and longest FullReconciliationInterval.</summary>
        public static readonly TimeSpan MinFullReconciliationInterval = TimeSpan.FromMinutes(1), MaxFullReconciliationInterval = TimeSpan.FromDays(365);

        public ProvisioningSettings Clone() => (ProvisioningSettings)MemberwiseClone();
    }
}
