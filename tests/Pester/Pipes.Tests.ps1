# The pipelines an admin writes: a cycle into its log, log records into on-demand provisioning, settings round-trip,
# and held deletions into their approval.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox -SandboxUserCount 60 -SandboxSeed 21
    $sandbox = $connection.Sandbox
    $first = Invoke-DbxProvisioningCycle

    # Users assigned directly (in no assigned group), enabled and with a surname: provisioned, and unassigned by one call.
    function Get-DirectUser {
        $directory = $sandbox.Directory
        $inGroups = @{}
        foreach ($a in $directory.Assignments | Where-Object PrincipalType -eq 'Group') {
            foreach ($m in $directory.GetGroup($a.PrincipalId).MemberIds) { $inGroups[$m] = $true }
        }
        foreach ($a in $directory.Assignments | Where-Object { $_.PrincipalType -eq 'User' -and $_.AppRoleId -eq $sandbox.GetType().Assembly.GetType('DropboxProvisioning.Sandbox.SandboxCredentials', $true)::UserAppRoleId }) {
            $user = $directory.GetUser($a.PrincipalId)
            if ($user -and $user.AccountEnabled -and $user.Surname -and -not $inGroups[$user.Id]) { $user }
        }
    }
}

Describe 'A cycle result piped into Get-DbxProvisioningLog' {
    It 'gives the records of that cycle' {
        $records = @($first | Get-DbxProvisioningLog)
        $records.Count | Should -Be $first.Changes.Count
        $records | ForEach-Object { $_.CycleId | Should -Be $first.CycleId }
    }

    It 'takes the latest cycles of the status too' {
        $second = Invoke-DbxProvisioningCycle
        $ids = @((Get-DbxProvisioningStatus).LastExecutions | Get-DbxProvisioningLog | Select-Object -ExpandProperty CycleId -Unique)
        $ids | Should -Contain $first.CycleId
    }

    It 'warns about a cycle id that names no cycle' {
        $records = @(Get-DbxProvisioningLog -CycleId 'no-such-cycle' -WarningVariable warned -WarningAction SilentlyContinue)
        $records.Count | Should -Be 0
        "$warned" | Should -Match "No cycle 'no-such-cycle'"
    }
}

Describe 'Log records piped into Start-DbxProvisioningOnDemand' {
    It 'provisions each record''s object once, by SourceId' {
        $records = @(Get-DbxProvisioningLog -CycleId $first.CycleId -Action Create -ObjectType User | Select-Object -First 3)
        $records.Count | Should -Be 3
        $results = @($records + $records | Start-DbxProvisioningOnDemand -Confirm:$false)
        $results.Count | Should -Be 3
        ($results.SourceId | Sort-Object) | Should -Be ($records.SourceId | Sort-Object)
    }

    It 'provisions a group record as a group' {
        $group = Get-DbxProvisioningLog -CycleId $first.CycleId -ObjectType Group | Select-Object -First 1
        $group | Should -Not -BeNullOrEmpty
        $result = $group | Start-DbxProvisioningOnDemand -Confirm:$false
        $result.SourceId | Should -Be $group.SourceId
        $result.Status | Should -Not -Be 'Failure'
    }
}

Describe 'Settings piped from Get- into Set-DbxProvisioningSetting' {
    It 'round-trips unchanged, writing nothing' {
        $before = Get-DbxProvisioningSetting
        $after = Get-DbxProvisioningSetting | Set-DbxProvisioningSetting -PassThru
        foreach ($name in 'Scope', 'IncludeDefaultAccess', 'NotificationEmail', 'DeletionThreshold', 'SkipOutOfScopeDeletions', 'CycleInterval', 'MaxConcurrency', 'MaxRequestsPerSecond') {
            $after.$name | Should -Be $before.$name
        }
    }

    It 'applies what was edited on the way' {
        $settings = Get-DbxProvisioningSetting
        $settings.DeletionThreshold = 42
        $settings.NotificationEmail = 'dropbox-admins@contoso.com'
        $settings | Set-DbxProvisioningSetting -Confirm:$false
        $now = Get-DbxProvisioningSetting
        $now.DeletionThreshold | Should -Be 42
        $now.NotificationEmail | Should -Be 'dropbox-admins@contoso.com'
        $now.CycleInterval | Should -Be $settings.CycleInterval
    }
}

Describe 'Held deletions piped into Approve-DbxProvisioningDeletion' {
    BeforeAll {
        Set-DbxProvisioningSetting -DeletionThreshold 2 -Confirm:$false
        $victims = @(Get-DirectUser | Select-Object -First 4)
        foreach ($user in $victims) { $sandbox.Directory.Unassign($user.Id) }
        $held = Invoke-DbxProvisioningCycle
    }

    It 'are held by the threshold first' {
        @($held.Changes | Where-Object Action -eq 'StagedDelete').Count | Should -Be 4
        (Get-DbxProvisioningStatus).StagedDeletions.Count | Should -Be 4
    }

    It 'says so when nothing comes down the pipeline, and approves nothing' {
        @() | Approve-DbxProvisioningDeletion -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'Nothing came down the pipeline'
        (Get-DbxProvisioningStatus).StagedDeletions.Count | Should -Be 4
    }

    It 'releases every piped hold, not only the last' {
        $result = Get-DbxProvisioningLog -CycleId $held.CycleId -Action StagedDelete | Approve-DbxProvisioningDeletion -Confirm:$false
        ($result.Suspended + $result.Deleted) | Should -Be 4
        (Get-DbxProvisioningStatus).StagedDeletions.Count | Should -Be 0
    }

    It 'warns when nothing is held' {
        Approve-DbxProvisioningDeletion -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'nothing to approve'
    }
}
