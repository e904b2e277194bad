# A runbook that Azure Automation stops after three hours: the cycle gets a deadline, stops writing there and says
# Partial; the next job's plain Invoke-DbxProvisioningCycle continues it, and nothing is made twice.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox -SandboxUserCount 300 -SandboxSeed 12
    $sandbox = $connection.Sandbox

    function Get-HostText([scriptblock] $Script) {
        $file = Join-Path ([IO.Path]::GetTempPath()) ("dbx-deadline-" + [guid]::NewGuid().ToString('N') + '.txt')
        Start-Transcript -LiteralPath $file -Force | Out-Null
        try { $output = @(& $Script) } finally { Stop-Transcript | Out-Null }
        $text = Get-Content -LiteralPath $file -Raw
        Remove-Item -LiteralPath $file
        [pscustomobject]@{ Output = $output; Text = $text }
    }
    function Get-DropboxWrites { @($sandbox.Journal.Entries() | Where-Object { $_.Service -eq 'scim' -and $_.IsWrite }).Count }
}

Describe 'The MaxCycleDuration setting' {
    It 'is none by default and shown by Get-DbxProvisioningSetting' {
        (Get-DbxProvisioningSetting).MaxCycleDuration | Should -BeNullOrEmpty
        (Get-DbxProvisioningSetting | Out-String) | Should -Match 'MaxCycleDuration\s*:\s*\(none\)'
    }

    It 'names its old and new value under -WhatIf and changes nothing' {
        $shown = Get-HostText { Set-DbxProvisioningSetting -MaxCycleDuration (New-TimeSpan -Hours 2 -Minutes 30) -WhatIf }
        $shown.Text | Should -Match 'MaxCycleDuration from \(none\) to 02:30:00'
        (Get-DbxProvisioningSetting).MaxCycleDuration | Should -BeNullOrEmpty
    }

    It 'is set, shown, and removed again with 0' {
        (Set-DbxProvisioningSetting -MaxCycleDuration '02:30:00' -PassThru).MaxCycleDuration | Should -Be ([timespan]'02:30:00')
        (Get-DbxProvisioningSetting | Out-String) | Should -Match 'MaxCycleDuration\s*:\s*02:30:00'
        $shown = Get-HostText { Set-DbxProvisioningSetting -MaxCycleDuration 0 -WhatIf }
        $shown.Text | Should -Match 'MaxCycleDuration from 02:30:00 to \(none\)'
        Set-DbxProvisioningSetting -MaxCycleDuration 0
        (Get-DbxProvisioningSetting).MaxCycleDuration | Should -BeNullOrEmpty
    }

    It 'refuses a deadline outside one second to seven days' {
        { Set-DbxProvisioningSetting -MaxCycleDuration '8.00:00:00' -ErrorAction Stop } | Should -Throw -ErrorId 'SetDbxProvisioningSettingInvalidMaxCycleDuration,*'
        { Invoke-DbxProvisioningCycle -MaxDuration '00:00:00.2' -ErrorAction Stop } | Should -Throw -ErrorId 'InvokeDbxProvisioningCycleInvalidMaxDuration,*'
    }
}

Describe 'Invoke-DbxProvisioningCycle -MaxDuration' {
    BeforeAll {
        $sandbox.Options.Latency = [timespan]::FromMilliseconds(40)   # a slow Dropbox: the cycle cannot finish in a second
        $writesBefore = Get-DropboxWrites
        $look = Invoke-DbxProvisioningCycle -MaxDuration '00:00:01' -WhatIf
        $writesAfterLook = Get-DropboxWrites
        $first = Invoke-DbxProvisioningCycle -MaxDuration '00:00:01' -WarningVariable stopped -WarningAction SilentlyContinue
        $status = Get-DbxProvisioningStatus
        $sandbox.Options.Latency = [timespan]::Zero
        $second = Invoke-DbxProvisioningCycle
        $writes = Get-DropboxWrites
        $third = Invoke-DbxProvisioningCycle
    }

    It 'writes nothing under -WhatIf' {
        @($look).Count | Should -BeGreaterThan 100
        $writesAfterLook | Should -Be $writesBefore
    }

    It 'stops at the deadline: Status Partial, with what remains, a warning and a log record' {
        $first.Status | Should -Be 'Partial'
        $first.Mode | Should -Be 'Initial'
        $first.RemainingChanges.Total | Should -BeGreaterThan 0
        $first.RemainingChanges.Create | Should -BeGreaterThan 0
        ($first | Out-String) | Should -Match 'RemainingChanges\s*:\s*\d+: Create'
        "$stopped" | Should -Match 'reached its deadline'
        $record = Get-DbxProvisioningLog -CycleId $first.CycleId | Where-Object ObjectType -eq 'Cycle'
        $record.StatusDetails | Should -Match "$($first.RemainingChanges.Total) change\(s\) remain"
        $first.Quarantine | Should -BeNullOrEmpty
    }

    It 'shows the partial cycle in the status' {
        $status.PartialCycle.CycleId | Should -Be $first.CycleId
        $status.Code | Should -Be 'Active'
        ($status | Out-String) | Should -Match 'stopped at its deadline'
    }

    It 'is continued by a plain next cycle, still an initial one, that finishes it' {
        $second.Status | Should -Be 'Succeeded'
        $second.Mode | Should -Be 'Initial'
        $second.Part | Should -Be 2
        $second.ResumedFrom | Should -Be $first.CycleId
        $second.Created | Should -Be $first.RemainingChanges.Create
        (Get-DbxProvisioningStatus).PartialCycle | Should -BeNullOrEmpty
    }

    It 'made every account once, and a third cycle writes nothing' {
        $emails = @($sandbox.Dropbox.Members | ForEach-Object { $_.Email.ToLowerInvariant() })
        ($emails | Select-Object -Unique).Count | Should -Be $emails.Count
        @(Get-DbxProvisioningLog -Action Create -ObjectType User).Count | Should -Be ($first.Created + $second.Created)
        $third.Mode | Should -Be 'Incremental'
        Get-DropboxWrites | Should -Be $writes
    }
}
