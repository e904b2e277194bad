using System;
using System.Collections.Generic;

namespace DropboxProvisioning.Errors
{
    /// <summary>
    /// The usual fix of each error condition, for ErrorRecord.ErrorDetails.RecommendedAction. Keyed by the condition
    /// (the second half of the error id) so that every cmdlet that meets a condition recommends the same thing; a
    /// condition with nothing an admin can do (a bug, an outage to wait out) has no entry.
    /// </summary>
    public static class RecommendedActions
    {
        private static readonly Dictionary<string, string> Fixes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Connecting
            ["NotConnected"] = "Run Connect-DbxTenant (Connect-DbxTenant -Sandbox to rehearse), or pass -Connection.",
            ["NotSandbox"] = "Connect with Connect-DbxTenant -Sandbox first, or pass that connection.",
            ["InvalidUrl"] = "Give an absolute https URL, for example https://www.dropbox.com/scim/v2.",
            ["InsecureUrl"] = "Use an https URL (http is accepted for loopback addresses only).",
            ["MissingTenantUrl"] = "Pass -TenantUrl https://www.dropbox.com/scim/v2.",
            ["InvalidTenantId"] = "Give the tenant's GUID or a verified domain such as contoso.onmicrosoft.com (Entra admin center, Overview).",
            ["InvalidClientId"] = "Give the application (client) id GUID from the app registration's Overview page.",
            ["InvalidServicePrincipalId"] = "Give the object id of the Dropbox for Business enterprise application (Enterprise applications, Properties).",
            ["InvalidAppKey"] = "Copy the app key from the Dropbox App Console (your app, Settings).",
            ["MissingAppKey"] = "Pass -AppKey with the key of a team-scoped Dropbox app.",
            ["MissingScimCredential"] = "Pass -TenantUrl and -SecretToken (Dropbox Admin console, Settings, the SCIM secret token), or use -Api TeamApi -AppKey <key>.",
            ["MissingTeamApiCredential"] = "Pass -AppKey with the key of a team-scoped Dropbox app (App Console: Scoped access, Team).",
            ["AuthorizationNeedsTeamApi"] = "Add -Api TeamApi -AppKey <key>, or leave out -AuthorizationCode and -Reauthorize for SCIM.",
            ["TeamApiAuthorizationRequired"] = "Open the link in the warning as a Dropbox team admin, click Allow, then run the same command with -AuthorizationCode <code>.",
            ["CertificateNotFound"] = "Import the certificate (with its private key) into CurrentUser\\My or LocalMachine\\My, or check the thumbprint.",
            ["MissingCertificate"] = "Pass -CertificateThumbprint of a certificate in CurrentUser\\My or LocalMachine\\My.",
            ["CertificateWithoutPrivateKey"] = "Import the certificate with its private key (a .pfx), not only the public .cer.",
            ["EmptySecretToken"] = "Pass the SCIM secret token from the Dropbox Admin console as a SecureString (Read-Host -AsSecureString).",
            ["EmptyClientSecret"] = "Pass the client secret's value (not its id) as a SecureString.",
            ["EmptyGraphAccessToken"] = "Pass a Graph access token as a SecureString.",
            ["EmptyRefreshToken"] = "Pass the refresh token as a SecureString, or leave out -RefreshToken to authorize with a link.",
            ["ManagedIdentityUnavailable"] = "Run in an Azure Automation account with a managed identity, or use -ClientId with -ClientSecret or -CertificateThumbprint.",
            ["ManagedIdentityFailed"] = "Turn on the Automation account's identity and grant it User.Read.All, Group.Read.All and Application.Read.All.",
            ["InvalidStatePath"] = "Give a directory path you can write to with -StatePath.",
            ["StateDirectoryUnwritable"] = "Pass -StatePath with a directory this account can write to.",
            ["StateSaveFailed"] = "Check that the path in the message is a folder this account can write (not a file, nor on a disk that is gone), or give the job another folder with -StatePath.",
            // Graph
            ["GraphUnauthorized"] = "Check the tenant id, the client id and that the secret or certificate has not expired; then connect again.",
            ["GraphAuthenticationFailed"] = "Check the tenant id, the client id and that the secret or certificate has not expired; then connect again.",
            ["GraphForbidden"] = "Grant the app the Graph application permissions User.Read.All, Group.Read.All and Application.Read.All, with admin consent.",
            ["GraphNotFound"] = "Check -ServicePrincipalId: the object id of the Dropbox for Business enterprise application.",
            ["GraphThrottled"] = "Run the cycle again later; Graph is throttling this tenant.",
            ["GraphUnreachable"] = "Check the network path (proxy, firewall) to graph.microsoft.com and run the cycle again.",
            ["GraphTokenUnreachable"] = "Check the network path (proxy, firewall) to login.microsoftonline.com.",
            ["GraphDeltaExpired"] = "Nothing to do: the next cycle reads everything again. To force it now: Restart-DbxProvisioning -Scope Watermark.",
            ["UserNotFound"] = "Give the user's object id or userPrincipalName as Entra ID shows it.",
            ["GroupNotFound"] = "Give the group's object id as Entra ID shows it.",
            // Dropbox
            ["DropboxUnauthorized"] = "Generate a new SCIM secret token in the Dropbox Admin console (or authorize the app again with -Reauthorize) and connect again.",
            ["DropboxAuthenticationFailed"] = "Authorize the app again: Connect-DbxTenant or Connect-DbxActivity with -Reauthorize.",
            ["DropboxTokenRevoked"] = "Authorize the app again with -Reauthorize (a team admin clicks Allow on the new link).",
            ["DropboxTokenExpired"] = "Connect again; the refresh token gives a new access token.",
            ["DropboxNoRefreshToken"] = "Authorize the app again with -Reauthorize; the link asks for offline access.",
            ["DropboxMissingScope"] = "Add the missing scope in the App Console (Permissions), then authorize again with -Reauthorize.",
            ["DropboxAccessDenied"] = "Have a Dropbox team admin authorize the app.",
            ["DropboxAuthorizationCodeRejected"] = "Codes work once and expire: run the command without -AuthorizationCode to get a new link, click Allow, and use the new code.",
            ["DropboxRateLimited"] = "Run it again later; Dropbox is limiting the rate of calls.",
            ["DropboxUnreachable"] = "Check the network path (proxy, firewall) to Dropbox and run it again.",
            ["DropboxUserSuspended"] = "Unsuspend the account in the Dropbox Admin console, or let the next cycle do it.",
            ["ActivityNotAuthorized"] = "Run Connect-DbxActivity -AppKey <key> to get the link, or pass -RefreshToken.",
            ["ActivityNoPendingAuthorization"] = "Run Connect-DbxActivity -AppKey <key> without -AuthorizationCode to get a link first (with the same -StatePath).",
            ["ActivityStateMissing"] = "Run Connect-DbxActivity again.",
            ["ActivityStateCorrupt"] = "Move the damaged activity-state.json aside and run Connect-DbxActivity again.",
            ["ActivityCredentialUnreadable"] = "Authorize again with Connect-DbxActivity -Reauthorize (the protected file belongs to another account or machine).",
            // The job
            ["ProvisioningOff"] = "Turn provisioning on: Set-DbxProvisioningStatus -Status On.",
            ["Quarantined"] = "Fix the cause in the quarantine's error (Get-DbxProvisioningStatus), then run with -Force or Restart-DbxProvisioning -Scope Quarantine.",
            ["CycleRunning"] = "Wait for the running cycle to finish (Get-DbxProvisioningLog shows its progress), then run again.",
            ["StateUnreadable"] = "Check that this account can read the state directory (Get-DbxProvisioningStatus shows StatePath).",
            ["StateCorrupt"] = "Restore state.json from a backup, or move it aside and run Restart-DbxProvisioning -Scope Full (accounts are matched again).",
            ["NotHeld"] = "List what is held: (Get-DbxProvisioningStatus).StagedDeletions.",
            ["NothingHeld"] = "Nothing to approve: (Get-DbxProvisioningStatus).StagedDeletions is empty.",
            ["UnknownCycle"] = "List the cycles: (Get-DbxProvisioningStatus).LastExecutions, or Get-DbxProvisioningLog | Select-Object -Unique CycleId.",
            ["InvalidInterval"] = "Give an interval between one second and seven days, for example (New-TimeSpan -Minutes 40).",
            ["InvalidMaxDuration"] = "Give a duration between one second and seven days, for example (New-TimeSpan -Hours 2 -Minutes 30) in a runbook that Azure Automation stops after three hours.",
            ["InvalidTimeRange"] = "Give an -EndTime after -StartTime.",
            // Configuration
            ["InvalidConfigurationFile"] = "Export a valid file with Export-DbxProvisioningConfiguration and edit that; the error says where the file is wrong.",
            ["UnsupportedConfigurationVersion"] = "Export the configuration again with this module's Export-DbxProvisioningConfiguration.",
            ["FileNotFound"] = "Check the path (Test-Path).",
            ["FileExists"] = "Choose another -Path, or leave out -NoClobber to overwrite.",
            ["WriteFailed"] = "Choose a -Path in a directory you can write to.",
            ["MappingExists"] = "Change it with Set-DbxAttributeMapping, or remove it first with Remove-DbxAttributeMapping.",
            ["MappingNotFound"] = "List the mappings: Get-DbxAttributeMapping.",
            ["ScopingFilterExists"] = "Choose another -Name, or remove the filter first with Remove-DbxScopingFilter.",
            ["ScopingFilterNotFound"] = "List the filters: Get-DbxScopingFilter.",
            ["UnknownTargetAttribute"] = "Use one of the connected API's target attributes (Get-DbxAttributeMapping -Default lists the usual ones).",
            ["UnknownSourceAttribute"] = "Use an Entra user or group property (userPrincipalName, mail, givenName, surname, department...) or an extension attribute.",
            ["TeamApiOnlyAttribute"] = "Connect with -Api TeamApi to use this attribute, or remove the mapping.",
            ["TeamApiOnlySetting"] = "Connect with -Api TeamApi to use this setting, or turn it off (Set-DbxProvisioningSetting -CheckLicenses $false, or -InviteReminderAfterDays/-InviteReminderEveryDays/-WithdrawInviteAfterDays $null).",
            ["TeamApiOnlyTeamFolderAccess"] = "Connect with -Api TeamApi to give groups access to team folders, or remove the rows (Get-DbxTeamFolderAccess | Remove-DbxTeamFolderAccess).",
            ["InvalidTeamFolderAccess"] = "Name one Entra group (object id or display name) and one top-level team folder per row, each at most 255 characters; -AccessLevel is editor or viewer.",
            ["TeamFolderAccessNotFound"] = "List the rows: Get-DbxTeamFolderAccess.",
            ["TeamApiOnlyOffboardingPolicy"] = "Connect with -Api TeamApi to use an offboarding policy, or remove it (Remove-DbxOffboardingPolicy -All).",
            ["InvalidOffboardingRule"] = "Fix the rule as the message says; Get-Help Set-DbxOffboardingPolicy -Examples shows rules Dropbox accepts.",
            ["OffboardingRuleExists"] = "Give each rule its own -Name ('Default' is the default rule's: use -Default).",
            ["OffboardingRuleNotFound"] = "List the rules: Get-DbxOffboardingPolicy.",
            ["InvalidInviteDays"] = "Give a number of days from 1 to 3650, or $null to turn the setting off.",
            ["InvalidInviteReminder"] = "Set -InviteReminderAfterDays as well, or leave out -InviteReminderEveryDays.",
            ["InvalidInviteWithdrawal"] = "Make -WithdrawInviteAfterDays larger than -InviteReminderAfterDays.",
            ["TeamFolderListFailed"] = "Grant the Team API app the scopes team_data.content.read, team_data.content.write and sharing.write (App Console > Permissions) and run Connect-DbxTenant -Api TeamApi -Reauthorize, or empty the team folder table (Get-DbxTeamFolderAccess | Remove-DbxTeamFolderAccess).",
            ["LicenseCheckFailed"] = "Grant the Team API app the scope team_info.read (App Console > Permissions) and run Connect-DbxTenant -Api TeamApi -Reauthorize, or turn the check off with Set-DbxProvisioningSetting -CheckLicenses $false.",
            ["ScimOnlyAttribute"] = "Remove the mapping (Remove-DbxAttributeMapping): the Team API cannot set this attribute.",
            ["NoMatchingAttribute"] = "Give one mapping a -MatchingPrecedence of 1 (userName by default).",
            ["UnsentMatchingAttribute"] = "Set the matching attribute's mapping to -Apply Always.",
            ["DuplicateTargetAttribute"] = "Keep one mapping per target attribute: remove the other with Remove-DbxAttributeMapping.",
            ["InvalidExpression"] = "Try the expression with Test-DbxAttributeMapping -Expression '...' -SourceAttributes @{...}.",
            ["AmbiguousSource"] = "Give only one of -SourceAttribute, -Expression and -ConstantValue.",
            ["InvalidClause"] = "Give each clause as @{ Attribute = 'department'; Operator = 'EQUALS'; Value = 'Sales' }.",
            ["UnknownOperator"] = "Use one of: EQUALS, NOT EQUALS, IS TRUE, IS FALSE, IS NULL, IS NOT NULL, REGEX MATCH, NOT REGEX MATCH, GREATER_THAN, GREATER_THAN_OR_EQUALS, INCLUDES, ENDS_WITH, &, !&.",
            ["InvalidDeletionThreshold"] = "Give a threshold of 1 or more (Entra's default is 500).",
            ["InvalidCycleInterval"] = "Give an interval of at least one minute (Entra's default is 40 minutes).",
            ["InvalidFullReconciliationInterval"] = "Give an interval between one minute and 365 days (for example 1.00:00:00 for daily), or 0 to turn drift repair off.",
            ["InvalidMaxCycleDuration"] = "Give a duration between one second and seven days, or 0 for no deadline.",
            ["InvalidConcurrency"] = "Give a concurrency between 1 and 64.",
            ["InvalidRequestRate"] = "Give a rate between 0.1 and 10000 requests per second.",
            ["ReportWriteFailed"] = "Choose a -Path in a directory you can write to.",
        };

        /// <summary>The usual fix of the condition, or null when there is nothing the admin can do.</summary>
        public static string For(string condition) =>
            condition != null && Fixes.TryGetValue(condition, out var fix) ? fix : null;
    }
}
