using DropboxProvisioning.Dropbox;
using DropboxProvisioning.Errors;

namespace DropboxProvisioning.State
{
    /// <summary>
    /// The settings only the Team API can carry out (CheckLicenses, and the invitation settings InviteReminderAfterDays,
    /// InviteReminderEveryDays, WithdrawInviteAfterDays) and their rules: days from 1 to 3,650; a reminder interval
    /// needs a first reminder; an invitation is withdrawn only after its first reminder is due. Over SCIM they are
    /// refused (TeamApiOnlySetting), as Team-API-only attributes are: SCIM has no license count, no welcome e-mail to
    /// send again, and no invitation to withdraw.
    /// </summary>
    public static class TeamApiSettings
    {
        public const int MaxDays = 3650;

        /// <summary>Throws the first problem of the Team API settings; <paramref name="api"/> null for a file not tied to a connection.</summary>
        public static void Validate(ProvisioningSettings settings, DropboxApiKind? api)
        {
            Days(settings.InviteReminderAfterDays, nameof(ProvisioningSettings.InviteReminderAfterDays));
            Days(settings.InviteReminderEveryDays, nameof(ProvisioningSettings.InviteReminderEveryDays));
            Days(settings.WithdrawInviteAfterDays, nameof(ProvisioningSettings.WithdrawInviteAfterDays));
            if (settings.InviteReminderEveryDays.HasValue && !settings.InviteReminderAfterDays.HasValue)
                throw new DbxException("InvalidInviteReminder", DbxErrorCategory.InvalidArgument,
                    $"InviteReminderEveryDays ({settings.InviteReminderEveryDays}) needs InviteReminderAfterDays: without a first reminder there is none to repeat.");
            if (settings.WithdrawInviteAfterDays.HasValue && settings.InviteReminderAfterDays.HasValue && settings.WithdrawInviteAfterDays <= settings.InviteReminderAfterDays)
                throw new DbxException("InvalidInviteWithdrawal", DbxErrorCategory.InvalidArgument,
                    $"WithdrawInviteAfterDays ({settings.WithdrawInviteAfterDays}) must be later than InviteReminderAfterDays ({settings.InviteReminderAfterDays}): an invitation would be withdrawn before it was ever recalled.");
            if (api == DropboxApiKind.Scim)
            {
                var used = Used(settings);
                if (used != null)
                    throw new DbxException("TeamApiOnlySetting", DbxErrorCategory.InvalidArgument,
                        $"The setting {used} works only over the Team API (team/get_info, members/send_welcome_email, members/remove of an invited member); this connection provisions over SCIM, which has none of them. Connect with Connect-DbxTenant -Api TeamApi, or turn it off.", target: used);
            }
        }

        /// <summary>The first Team-API-only setting that is on, or null.</summary>
        public static string Used(ProvisioningSettings settings) =>
            settings.CheckLicenses ? nameof(ProvisioningSettings.CheckLicenses)
            : settings.InviteReminderAfterDays.HasValue ? nameof(ProvisioningSettings.InviteReminderAfterDays)
            : settings.InviteReminderEveryDays.HasValue ? nameof(ProvisioningSettings.InviteReminderEveryDays)
            : settings.WithdrawInviteAfterDays.HasValue ? nameof(ProvisioningSettings.WithdrawInviteAfterDays)
            : null;

        private static void Days(int? days, string name)
        {
            if (days.HasValue && (days < 1 || days > MaxDays))
                throw new DbxException("InvalidInviteDays", DbxErrorCategory.InvalidArgument, $"{name} is {days}; it takes a number of days from 1 to {MaxDays}.", target: name);
        }
    }
}
