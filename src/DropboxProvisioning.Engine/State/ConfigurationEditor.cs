using System;
using System.Linq;
using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;
using DropboxProvisioning.Mapping;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// Changes to a job's configuration, each made on a copy and validated whole before it replaces the saved
    /// configuration, so an invalid change leaves what is saved exactly as it was.
    /// </summary>
    public static class ConfigurationEditor
    {
        /// <summary>Compiles every part of a configuration file, which may be for either API; throws the first problem found.</summary>
        public static void Validate(ProvisioningConfiguration configuration) => Validate(configuration, TargetSchema.Any);

        /// <summary>Compiles every part of a configuration for the API a connection provisions through.</summary>
        public static void Validate(ProvisioningConfiguration configuration, DropboxApiKind api) => Validate(configuration, TargetSchema.For(api));

        private static void Validate(ProvisioningConfiguration configuration, TargetSchema schema)
        {
            if (configuration?.Mappings?.User == null || configuration.Mappings.Group == null)
                throw new DbxException("MissingObjectMapping", DbxErrorCategory.InvalidData, "The configuration needs both a User and a Group mapping.");
            if (configuration.Mappings.User.ObjectType != ObjectType.User || configuration.Mappings.Group.ObjectType != ObjectType.Group)
                throw new DbxException("ObjectTypeMismatch", DbxErrorCategory.InvalidData, "The User and Group mappings are swapped or mislabelled.");
            new CompiledMapping(configuration.Mappings.User, schema);
            new CompiledMapping(configuration.Mappings.Group, schema);
            var settings = configuration.Settings;
            if (settings == null) throw new DbxException("MissingSettings", DbxErrorCategory.InvalidData, "The configuration has no settings.");
            if (settings.DeletionThreshold < 1 || settings.DeletionThreshold > 1_000_000)
                throw new DbxException("InvalidDeletionThreshold", DbxErrorCategory.InvalidArgument, $"The deletion threshold {settings.DeletionThreshold} is outside 1..1,000,000.");
            if (settings.MaxConcurrency < 1 || settings.MaxConcurrency > 64)
                throw new DbxException("InvalidConcurrency", DbxErrorCategory.InvalidArgument, $"The concurrency {settings.MaxConcurrency} is outside 1..64.");
            if (settings.MaxRequestsPerSecond < 0.1 || settings.MaxRequestsPerSecond > 10000)
                throw new DbxException("InvalidRequestRate", DbxErrorCategory.InvalidArgument, $"The request rate {settings.MaxRequestsPerSecond} per second is outside 0.1..10,000.");
            if (settings.CycleInterval < TimeSpan.FromMinutes(1) || settings.CycleInterval > TimeSpan.FromDays(7))
                throw new DbxException("InvalidCycleInterval", DbxErrorCategory.InvalidArgument, $"The cycle interval {settings.CycleInterval} is outside one minute to seven days.");
            if (settings.MaxCycleDuration.HasValue && (settings.MaxCycleDuration < ProvisioningSettings.MinCycleDuration || settings.MaxCycleDuration > ProvisioningSettings.MaxCycleDurationLimit))
                throw new DbxException("InvalidMaxCycleDuration", DbxErrorCategory.InvalidArgument, $"The maximum cycle duration {settings.MaxCycleDuration} is outside one second to seven days.");
            FullReconciliationSchedule.Validate(settings);
            TeamApiSettings.Validate(settings, schema.Api);
            TeamFolderAccessTable.Validate(configuration.TeamFolderAccess, schema.Api);
            OffboardingPolicy.Validate(configuration.Offboarding, schema.Api);
            // The rule Set-DbxProvisioningSetting's -NotificationEmail applies, and an address's longest legal form (RFC 5321: 254).
            if (settings.NotificationEmail != null && (settings.NotificationEmail.Length > 254 || !EmailAddress.IsMatch(settings.NotificationEmail)))
                throw new DbxException("InvalidNotificationEmail", DbxErrorCategory.InvalidArgument,
                    $"The notification e-mail '{Shorten(settings.NotificationEmail)}' is not an e-mail address (at most 254 characters, name@domain).");
            if (settings.NotificationSender != null && (settings.NotificationSender.Length > 254 || settings.NotificationSender.Trim().Length == 0 || settings.NotificationSender.Any(char.IsControl)))
                throw new DbxException("InvalidNotificationSender", DbxErrorCategory.InvalidArgument,
                    $"The notification sender '{Shorten(settings.NotificationSender)}' is not a user id or userPrincipalName (at most 254 characters).");
        }

        /// <summary>Set-DbxProvisioningSetting's -NotificationEmail pattern.</summary>
        public static readonly System.Text.RegularExpressions.Regex EmailAddress = new System.Text.RegularExpressions.Regex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private static string Shorten(string text) => text.Length <= 64 ? text : text.Substring(0, 60) + "...";

        /// <summary>Applies <paramref name="change"/> to a copy, validates it for the connection's API, and returns the copy.</summary>
        public static ProvisioningConfiguration Edit(ProvisioningConfiguration current, DropboxApiKind api, Action<ProvisioningConfiguration> change)
        {
            var copy = current.Clone();
            change(copy);
            Validate(copy, api);
            return copy;
        }
    }
}
