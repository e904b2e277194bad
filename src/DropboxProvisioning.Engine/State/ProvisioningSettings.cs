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

        public ProvisioningSettings Clone() => (ProvisioningSettings)MemberwiseClone();
    }
}
