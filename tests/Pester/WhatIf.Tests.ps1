# -WhatIf writes nothing at all: not to Dropbox, not to the state, not to the configuration, not to the log.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox
    $dropbox = $connection.Sandbox.Dropbox

    # Every file of the state directory with its content, and every Dropbox member with its version. cycle.lock is left
    # out: it is the lock a planning cycle holds too (its content names the holding process), not state.
    function Get-Footprint {
        $files = Get-ChildItem -LiteralPath $connection.Store.DirectoryPath -Recurse -File -ErrorAction SilentlyContinue |
            Where-Object Name -ne 'cycle.lock' |
            ForEach-Object { '{0} {1}' -f $_.FullName, (Get-FileHash -LiteralPath $_.FullName).Hash }
        $members = $dropbox.Members | ForEach-Object { '{0} {1} {2}' -f $_.TeamMemberId, $_.Status, $_.Version }
        (@($files) + @($members)) -join "`n"
    }
}

Describe '-WhatIf' {
    It 'on the first cycle plans the creations and writes nothing' {
        $before = Get-Footprint
        $planned = @(Invoke-DbxProvisioningCycle -WhatIf)
        $planned.Count | Should -BeGreaterThan 0
        Get-Footprint | Should -Be $before
        Get-DbxProvisioningLog | Should -BeNullOrEmpty
    }

    It 'leaves the next real cycle an initial one that creates what was planned' {
        $cycle = Invoke-DbxProvisioningCycle
        $cycle.Mode | Should -Be 'Initial'
        $cycle.Created | Should -BeGreaterThan 0
    }

    It 'comes from $WhatIfPreference too, as in a script run with -WhatIf' {
        $user = $connection.Sandbox.Directory.Users | Where-Object AccountEnabled | Select-Object -First 1
        $connection.Sandbox.Directory.UpdateUser($user.Id, [Action[object]] { param($u) $u.JobTitle = 'Changed' })
        $before = Get-Footprint
        & { $WhatIfPreference = $true; Invoke-DbxProvisioningCycle | Out-Null }
        Get-Footprint | Should -Be $before
    }

    It '<Command> changes nothing' -ForEach @(
        @{ Command = 'Set-DbxProvisioningSetting -DeletionThreshold 7 -WhatIf' }
        @{ Command = 'Set-DbxProvisioningStatus -Status Off -WhatIf' }
        @{ Command = 'Add-DbxScopingFilter -Name Sales -SourceAttribute department -Operator EQUALS -Value Sales -WhatIf' }
        @{ Command = 'Add-DbxAttributeMapping -TargetAttribute title -SourceAttribute jobTitle -WhatIf' }
        @{ Command = 'Set-DbxAttributeMapping -TargetAttribute displayName -Expression ''Join(" ", [givenName], [surname])'' -WhatIf' }
        @{ Command = 'Remove-DbxAttributeMapping -TargetAttribute displayName -WhatIf' }
        @{ Command = 'Reset-DbxAttributeMapping -WhatIf' }
        @{ Command = 'Restart-DbxProvisioning -Scope Full -WhatIf' }
        @{ Command = 'Export-DbxProvisioningConfiguration -Path ./whatif.json -WhatIf' }
        @{ Command = 'Start-DbxProvisioningOnDemand -UserId (Get-DbxProvisioningLog -Action Create -ObjectType User -First 1).SourceId -WhatIf' }
    ) {
        $before = Get-Footprint
        $settings = Get-DbxProvisioningSetting | Out-String
        $mappings = Get-DbxAttributeMapping | Out-String
        Push-Location -LiteralPath $TestDrive
        try { & ([scriptblock]::Create($Command)) | Out-Null } finally { Pop-Location }
        Get-Footprint | Should -Be $before
        Get-DbxProvisioningSetting | Out-String | Should -Be $settings
        Get-DbxAttributeMapping | Out-String | Should -Be $mappings
        Join-Path $TestDrive 'whatif.json' | Should -Not -Exist
    }
}
