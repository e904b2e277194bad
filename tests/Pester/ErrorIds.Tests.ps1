# Scripts branch on error ids, not on message text: every mistake an admin makes gets a specific, stable id and category.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox

    # The first error a script writes (terminating or not), as a script's try/catch sees it with -ErrorAction Stop.
    function Get-FirstError([scriptblock] $script) {
        $ErrorActionPreference = 'Stop'
        try { & $script | Out-Null } catch { return $_ }
    }
}

Describe 'Error ids' {
    It '<Command> fails with <Id> (<Category>)' -ForEach @(
        @{ Command = "Add-DbxAttributeMapping noSuchTarget -SourceAttribute mail"; Id = 'AddDbxAttributeMappingUnknownTargetAttribute'; Category = 'InvalidArgument' }
        @{ Command = "Add-DbxAttributeMapping title -SourceAttribute noSuchAttribute"; Id = 'AddDbxAttributeMappingUnknownSourceAttribute'; Category = 'InvalidArgument' }
        @{ Command = "Add-DbxAttributeMapping role -ConstantValue support_admin"; Id = 'AddDbxAttributeMappingTeamApiOnlyAttribute'; Category = 'InvalidArgument' }
        @{ Command = "Add-DbxAttributeMapping spaceLimitGb -ConstantValue 50"; Id = 'AddDbxAttributeMappingTeamApiOnlyAttribute'; Category = 'InvalidArgument' }
        @{ Command = "Add-DbxAttributeMapping secondaryEmails proxyAddresses"; Id = 'AddDbxAttributeMappingTeamApiOnlyAttribute'; Category = 'InvalidArgument' }
        @{ Command = "Set-DbxProvisioningSetting -CheckLicenses `$true"; Id = 'SetDbxProvisioningSettingTeamApiOnlySetting'; Category = 'InvalidArgument' }
        @{ Command = "Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales"; Id = 'SetDbxTeamFolderAccessTeamApiOnlyTeamFolderAccess'; Category = 'InvalidArgument' }
        @{ Command = "Set-DbxTeamFolderAccess -Group Sales -TeamFolder Sales/2026"; Id = 'SetDbxTeamFolderAccessInvalidTeamFolderAccess'; Category = 'InvalidArgument' }
        @{ Command = "Remove-DbxTeamFolderAccess -Group Sales -TeamFolder Sales"; Id = 'RemoveDbxTeamFolderAccessTeamFolderAccessNotFound'; Category = 'ObjectNotFound' }
        @{ Command = "Set-DbxProvisioningSetting -InviteReminderAfterDays 0"; Id = 'SetDbxProvisioningSettingInvalidInviteDays'; Category = 'InvalidArgument' }
        @{ Command = "Set-DbxProvisioningSetting -FullReconciliationInterval 00:00:30"; Id = 'SetDbxProvisioningSettingInvalidFullReconciliationInterval'; Category = 'InvalidArgument' }
        @{ Command = "Set-DbxOffboardingPolicy -Default -WipeData"; Id = 'SetDbxOffboardingPolicyTeamApiOnlyOffboardingPolicy'; Category = 'InvalidArgument' }
        @{ Command = "Remove-DbxOffboardingPolicy -Name nobody -Confirm:`$false"; Id = 'RemoveDbxOffboardingPolicyOffboardingRuleNotFound'; Category = 'ObjectNotFound' }
        @{ Command = "Set-DbxAttributeMapping userName -Expression 'NoSuchFunction([mail])'"; Id = 'SetDbxAttributeMappingInvalidExpression'; Category = 'InvalidArgument' }
        @{ Command = "Set-DbxAttributeMapping noSuchTarget -SourceAttribute mail"; Id = 'SetDbxAttributeMappingMappingNotFound'; Category = 'ObjectNotFound' }
        @{ Command = "Add-DbxScopingFilter f -SourceAttribute noSuchAttribute -Operator EQUALS -Value x"; Id = 'AddDbxScopingFilterUnknownSourceAttribute'; Category = 'InvalidArgument' }
        @{ Command = "Set-DbxProvisioningSetting -CycleInterval 0"; Id = 'SetDbxProvisioningSettingInvalidCycleInterval'; Category = 'InvalidArgument' }
        @{ Command = "Set-DbxProvisioningSetting -DeletionThreshold 0"; Id = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
        @{ Command = "Start-DbxProvisioningOnDemand -UserId nobody@nowhere.example"; Id = 'StartDbxProvisioningOnDemandUserNotFound'; Category = 'ObjectNotFound' }
        @{ Command = "Test-DbxAttributeMapping -UserId no-such-user@nowhere.example"; Id = 'TestDbxAttributeMappingGraphNotFound'; Category = 'ObjectNotFound' }
        @{ Command = "Approve-DbxProvisioningDeletion -TargetIdentity nobody@nowhere.example -Confirm:`$false"; Id = 'ApproveDbxProvisioningDeletionNotHeld'; Category = 'ObjectNotFound' }
        @{ Command = "Invoke-DbxProvisioningCycle -Continuous -Interval 0"; Id = 'InvokeDbxProvisioningCycleInvalidInterval'; Category = 'InvalidArgument' }
        @{ Command = "Connect-DbxTenant -TenantUrl http://www.dropbox.com/scim/v2 -SecretToken (ConvertTo-SecureString x -AsPlainText -Force) -TenantId contoso.onmicrosoft.com -ClientId 00000000-0000-0000-0000-000000000001 -ClientSecret (ConvertTo-SecureString y -AsPlainText -Force) -ServicePrincipalId 00000000-0000-0000-0000-000000000002"; Id = 'ConnectDbxTenantInsecureUrl'; Category = 'SecurityError' }
        @{ Command = "Connect-DbxTenant -SandboxUri http://sandbox.example:8400"; Id = 'ConnectDbxTenantInsecureUrl'; Category = 'SecurityError' }
        @{ Command = "Connect-DbxTenant -SandboxUri 127.0.0.1:8400"; Id = 'ConnectDbxTenantSandboxUriInvalid'; Category = 'InvalidArgument' }
        @{ Command = "Connect-DbxTenant -SandboxUri http://127.0.0.1:1"; Id = 'ConnectDbxTenantSandboxUnreachable'; Category = 'ConnectionError' }
        @{ Command = "Connect-DbxTenant -Sandbox -StateStorageUri https://contoso.blob.core.windows.net/Bad_Name -StateStorageAccountKey (ConvertTo-SecureString k -AsPlainText -Force)"; Id = 'ConnectDbxTenantInvalidStateStorageUri'; Category = 'InvalidArgument' }
        @{ Command = "Connect-DbxTenant -Sandbox -StateStorageUri http://contoso.blob.core.windows.net/state -StateStorageAccountKey (ConvertTo-SecureString k -AsPlainText -Force)"; Id = 'ConnectDbxTenantInsecureUrl'; Category = 'SecurityError' }
        @{ Command = "Connect-DbxTenant -Sandbox -StateStorageAccountKey (ConvertTo-SecureString k -AsPlainText -Force)"; Id = 'ConnectDbxTenantStateStorageUriMissing'; Category = 'InvalidArgument' }
        @{ Command = "Connect-DbxTenant -Sandbox -StateStorageUri https://contoso.blob.core.windows.net/state -StatePath ./state"; Id = 'ConnectDbxTenantStateLocationAmbiguous'; Category = 'InvalidArgument' }
        @{ Command = "Connect-DbxTenant -Sandbox -StateStorageUri https://contoso.blob.core.windows.net/state"; Id = 'ConnectDbxTenantMissingStateStorageCredential'; Category = 'InvalidArgument' }
    ) {
        $record = Get-FirstError ([scriptblock]::Create($Command))
        $record | Should -Not -BeNullOrEmpty -Because "$Command must fail"
        $record.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        "$($record.CategoryInfo.Category)" | Should -Be $Category
        $record.Exception.Message | Should -Not -BeNullOrEmpty
    }

    It 'says NotConnected, and how to connect, when there is no connection' {
        Disconnect-DbxTenant
        try {
            $record = Get-FirstError { Get-DbxProvisioningStatus }
            $record.FullyQualifiedErrorId | Should -BeLike 'GetDbxProvisioningStatusNotConnected,*'
            "$($record.CategoryInfo.Category)" | Should -Be 'ConnectionError'
            $record.Exception.Message | Should -Match 'Connect-DbxTenant'
        }
        finally {
            $script:connection = Connect-DbxTenant -Sandbox
        }
    }

    It 'lets a script catch a failed change and leave everything as it was' {
        $before = Get-DbxAttributeMapping | Out-String
        try {
            Set-DbxAttributeMapping userName -Expression 'Append([mail], "x"' -ErrorAction Stop
            throw 'not reached'
        }
        catch {
            $_.FullyQualifiedErrorId | Should -BeLike 'SetDbxAttributeMappingInvalidExpression,*'
        }
        Get-DbxAttributeMapping | Out-String | Should -Be $before
    }
}
