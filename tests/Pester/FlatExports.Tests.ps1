# An admin exports what the module shows to CSV for a spreadsheet, and reads it in tables.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox -SandboxUserCount 40 -SandboxSeed 21
    $sandbox = $connection.Sandbox
    Set-DbxProvisioningSetting -DeletionThreshold 1 -Confirm:$false
    $null = Invoke-DbxProvisioningCycle
    $created = @(Get-DbxProvisioningLog -Action Create -Status Success -ObjectType User | Select-Object -First 2)
    foreach ($record in $created) { $sandbox.Directory.Unassign($record.SourceId) }
    $held = Invoke-DbxProvisioningCycle -WarningAction SilentlyContinue
    $work = Join-Path ([IO.Path]::GetTempPath()) ('dbx-exports-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
}

AfterAll { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'Export-Csv of the status' {
    It 'flattens the latest cycles, held deletions and quarantine to text, not type names' {
        $file = Join-Path $work 'status.csv'
        Get-DbxProvisioningStatus | Export-Csv -LiteralPath $file
        $row = Import-Csv -LiteralPath $file
        foreach ($property in $row.PSObject.Properties) { "$($property.Value)" | Should -Not -Match 'DropboxProvisioning\.|System\.Collections' -Because $property.Name }
        $row.LastCycle | Should -Match ('{0:yyyy-MM-dd HH:mm}' -f $held.StartTime.UtcDateTime)
        $row.StagedDeletions | Should -Match ([regex]::Escape($created[0].TargetIdentity))
        $row.Quarantine | Should -Match 'TooManyDeletes'
    }
}

Describe 'Export-Csv of the provisioning log' {
    It 'gives the modified properties as a text column' {
        $file = Join-Path $work 'log.csv'
        Get-DbxProvisioningLog -Action Create -ObjectType User | Export-Csv -LiteralPath $file
        $rows = @(Import-Csv -LiteralPath $file)
        $rows.Count | Should -BeGreaterThan 10
        $rows[0].ModifiedPropertiesText | Should -Match "userName: '' -> '.+@"
        $rows[0].Action | Should -Be 'Create'
        $rows[0].Status | Should -Be 'Success'
    }
}

Describe 'Table views' {
    It 'are wide enough for StagedDelete in the log' {
        $table = Get-DbxProvisioningLog -CycleId $held.CycleId -Action StagedDelete | Format-Table | Out-String -Width 200
        $table | Should -Match '\bStagedDelete\b'
        $table | Should -Not -Match 'StagedD…|StagedDe\.\.\.'
    }

    It 'are wide enough for StagedDelete in the planned changes' {
        Set-DbxProvisioningStatus -Status On -Confirm:$false
        $table = $held.Changes | Where-Object Action -eq 'StagedDelete' | Format-Table | Out-String -Width 200
        $table | Should -Match '\bStagedDelete\b'
    }
}
