# What admins hand on: CSV for a spreadsheet, JSON for another tool, the configuration file for git.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox
    $cycle = Invoke-DbxProvisioningCycle
}

Describe 'Provisioning log to CSV' {
    BeforeAll {
        $csv = Join-Path $TestDrive 'log.csv'
        Get-DbxProvisioningLog -CycleId $cycle.CycleId | Export-Csv -LiteralPath $csv -NoTypeInformation
        $rows = @(Import-Csv -LiteralPath $csv)
    }

    It 'has one row per record, with the columns an admin filters on' {
        $rows.Count | Should -Be @(Get-DbxProvisioningLog -CycleId $cycle.CycleId).Count
        $columns = $rows[0].PSObject.Properties.Name
        foreach ($column in 'Time', 'CycleId', 'Action', 'Status', 'ObjectType', 'SourceIdentity', 'TargetIdentity', 'StatusDetails', 'ModifiedPropertiesText') {
            $columns | Should -Contain $column
        }
    }

    It 'keeps the changed attributes readable as text' {
        $created = $rows | Where-Object { $_.Action -eq 'Create' -and $_.ObjectType -eq 'User' } | Select-Object -First 1
        $created.ModifiedPropertiesText | Should -Match "userName: '' -> '.+@contoso\.com'"
        $created.ModifiedPropertiesText | Should -Not -Match 'System\.Collections'
    }

    It 'writes actions, statuses and object types by name' {
        # The engine loads in the module's own context, where type literals do not reach.
        $engine = $connection.GetType().Assembly
        ($rows.Action | Sort-Object -Unique) | ForEach-Object { $_ | Should -BeIn ([Enum]::GetNames($engine.GetType('DropboxProvisioning.State.ChangeAction', $true))) }
        ($rows.Status | Sort-Object -Unique) | ForEach-Object { $_ | Should -BeIn ([Enum]::GetNames($engine.GetType('DropboxProvisioning.State.ChangeStatus', $true))) }
    }
}

Describe 'A cycle result to JSON' {
    It 'round-trips its counts through ConvertTo-Json and ConvertFrom-Json' {
        $json = $cycle | Select-Object CycleId, Created, Updated, Suspended, Deleted, Skipped, Failed | ConvertTo-Json
        $back = $json | ConvertFrom-Json
        $back.CycleId | Should -Be $cycle.CycleId
        $back.Created | Should -Be $cycle.Created
        $back.Skipped | Should -Be $cycle.Skipped
    }
}

Describe 'The configuration file' {
    BeforeAll {
        Add-DbxScopingFilter -Name 'Sales only' -SourceAttribute department -Operator EQUALS -Value Sales | Out-Null
        Set-DbxProvisioningSetting -DeletionThreshold 25
        $file = Export-DbxProvisioningConfiguration -Path (Join-Path $TestDrive 'dropbox.json')
    }

    It 'is indented JSON that ConvertFrom-Json reads' {
        $text = Get-Content -LiteralPath $file.FullName -Raw
        ($text -split "`n").Count | Should -BeGreaterThan 20
        { $text | ConvertFrom-Json } | Should -Not -Throw
    }

    It 'holds no secret' {
        $text = Get-Content -LiteralPath $file.FullName -Raw
        $text | Should -Not -Match '(?i)secret|token|password'
    }

    It 'is written the same way twice, so git shows no change when nothing changed' {
        $again = Export-DbxProvisioningConfiguration -Path (Join-Path $TestDrive 'again.json')
        (Get-FileHash -LiteralPath $again.FullName).Hash | Should -Be (Get-FileHash -LiteralPath $file.FullName).Hash
    }

    It 'carries the filters and settings to another job' {
        $other = Connect-DbxTenant -Sandbox
        Import-DbxProvisioningConfiguration -Connection $other -Path $file.FullName -Confirm:$false
        (Get-DbxProvisioningSetting -Connection $other).DeletionThreshold | Should -Be 25
        (Get-DbxScopingFilter -Connection $other -ObjectType User).Name | Should -Be 'Sales only'
    }
}

Describe 'Activity records to CSV' {
    It 'are flat: every column is a plain value' {
        Connect-DbxActivity -Sandbox | Out-Null
        $csv = Join-Path $TestDrive 'activity.csv'
        Get-DbxActivity -StartTime (Get-Date).AddDays(-7) | Select-Object -First 50 | Export-Csv -LiteralPath $csv -NoTypeInformation
        $rows = @(Import-Csv -LiteralPath $csv)
        $rows.Count | Should -BeGreaterThan 0
        foreach ($row in $rows) {
            foreach ($property in $row.PSObject.Properties) { $property.Value | Should -Not -Match '^System\.' }
            $row.Activity | Should -Not -BeNullOrEmpty
        }
    }
}
