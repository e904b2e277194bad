# What an admin reads when something is wrong: a specific error id, a category, and what to do about it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox -SandboxUserCount 20
    $work = Join-Path ([IO.Path]::GetTempPath()) ('dbx-errors-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null

    function Get-Failure([scriptblock] $Script) {
        $ErrorActionPreference = 'Stop'
        try { & $Script | Out-Null } catch { return $_ }
        throw 'The command did not fail.'
    }
}

AfterAll { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'Errors with a fix carry it as RecommendedAction' {
    It 'a file that is not there: <Name>' -ForEach @(
        @{ Name = 'Import-DbxProvisioningConfiguration'; Id = 'ImportDbxProvisioningConfigurationFileNotFound'; Script = { Import-DbxProvisioningConfiguration -Path (Join-Path $work 'missing.json') -Confirm:$false } }
    ) {
        $failure = Get-Failure $Script
        $failure.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'a cycle while provisioning is Off says how to turn it on' {
        Set-DbxProvisioningStatus -Status Off -Confirm:$false
        try {
            $failure = Get-Failure { Invoke-DbxProvisioningCycle }
            $failure.FullyQualifiedErrorId | Should -BeLike 'InvokeDbxProvisioningCycleProvisioningOff,*'
            $failure.ErrorDetails.RecommendedAction | Should -Match 'Set-DbxProvisioningStatus -Status On'
        }
        finally { Set-DbxProvisioningStatus -Status On -Confirm:$false }
    }

    It 'an engine error from a mapping edit names the mapping to use' {
        $failure = Get-Failure { Add-DbxAttributeMapping -TargetAttribute userName -SourceAttribute mail }
        $failure.FullyQualifiedErrorId | Should -BeLike 'AddDbxAttributeMappingMappingExists,*'
        $failure.ErrorDetails.RecommendedAction | Should -Match 'Set-DbxAttributeMapping'
    }

    It 'no connection says how to connect' {
        Disconnect-DbxTenant
        try {
            $failure = Get-Failure { Get-DbxProvisioningStatus }
            $failure.FullyQualifiedErrorId | Should -BeLike 'GetDbxProvisioningStatusNotConnected,*'
            $failure.ErrorDetails.RecommendedAction | Should -Match 'Connect-DbxTenant'
        }
        finally { $script:connection = Connect-DbxTenant -Sandbox -SandboxConnection $connection }
    }

    It 'an invalid configuration file is told in plain words with where it is wrong' {
        $file = Join-Path $work 'broken.json'
        Set-Content -LiteralPath $file -Value '{ "version": 1, "settings": { "deletionThreshold": 10, } , "nosuch": 1 }'
        $failure = Get-Failure { Import-DbxProvisioningConfiguration -Path $file -Confirm:$false }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ImportDbxProvisioningConfigurationInvalidConfigurationFile,*'
        $failure.Exception.Message | Should -Match "'nosuch' is not a property this file can have \(line 1, position \d+"
        $failure.Exception.Message | Should -Not -Match 'ProvisioningConfiguration''|Newtonsoft'
        $failure.ErrorDetails.RecommendedAction | Should -Match 'Export-DbxProvisioningConfiguration'
    }
}

Describe 'Ids that name nothing are said' {
    It 'an unknown -CycleId is a warning' {
        Get-DbxProvisioningLog -CycleId '00000000-0000-0000-0000-000000000000' -WarningVariable warned -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        "$warned" | Should -Match 'No cycle'
    }

    It 'approving when nothing is held is a warning' {
        Approve-DbxProvisioningDeletion -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        "$warned" | Should -Match 'nothing to approve'
    }

    It 'approving an identity that is not held is a non-terminating error with its own id' {
        Approve-DbxProvisioningDeletion -TargetIdentity 'nobody@contoso.com' -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ApproveDbxProvisioningDeletionNotHeld,*'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'StagedDeletions'
    }
}

Describe 'The activity connector asks before it writes' {
    It 'Connect-DbxActivity -WhatIf writes no credential, verifier or cursor' {
        $state = Join-Path $work 'activity-whatif'
        Connect-DbxActivity -Sandbox -StatePath $state -WhatIf | Should -BeNullOrEmpty
        Test-Path -LiteralPath $state | Should -BeFalse
    }

    It 'Get-DbxActivity -WhatIf reads without moving the cursor' {
        $state = Join-Path $work 'activity'
        $activity = Connect-DbxActivity -Sandbox -StatePath $state
        $cursorFile = Get-ChildItem -LiteralPath $state -Filter 'activity-state.json' | Select-Object -ExpandProperty FullName
        $before = Get-Content -LiteralPath $cursorFile -Raw
        $key = { '{0:o}|{1}|{2}|{3}' -f $_.Time, $_.EventType, $_.User, $_.ObjectName }
        $preview = @(Get-DbxActivity -First 5 -PageSize 20 -WhatIf)
        $preview.Count | Should -Be 5
        Get-Content -LiteralPath $cursorFile -Raw | Should -Be $before
        $again = @(Get-DbxActivity -First 5 -PageSize 20)
        ($again | ForEach-Object $key) | Should -Be ($preview | ForEach-Object $key)
        Get-Content -LiteralPath $cursorFile -Raw | Should -Not -Be $before
        $next = @(Get-DbxActivity -First 5 -PageSize 20)
        ($next | ForEach-Object $key) | Should -Not -Be ($preview | ForEach-Object $key)
    }
}
