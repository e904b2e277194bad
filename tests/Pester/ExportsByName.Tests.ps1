# An admin hands every object the module writes to another tool: JSON that says names, not numbers, and CSV whose
# cells are text, not .NET type names. Neither needs a switch (-EnumsAsStrings) or a Select-Object first.
BeforeDiscovery {
    $cases = @('a cycle result', 'a cycle that held', 'the planned changes', 'log records', 'the status', 'held deletions', 'escrows',
        'the settings', 'attribute mappings', 'scoping filters', 'a mapping preview', 'an expression test', 'an on-demand result',
        'activity records', 'an activity connection test', 'the connection') | ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox -SandboxUserCount 40 -SandboxSeed 21
    $sandbox = $connection.Sandbox

    # A cycle with failures (the licenses run out: escrows), then a held mass unassignment (held deletions, quarantine).
    $sandbox.Dropbox.LicenseLimit = $sandbox.Dropbox.Members.Count + 10
    $first = Invoke-DbxProvisioningCycle -WarningAction SilentlyContinue
    Set-DbxProvisioningSetting -DeletionThreshold 1 -Confirm:$false
    # Two provisioned users leave scope (unassigned, and not in scope through a group either).
    $created = [System.Collections.Generic.List[object]]::new()
    foreach ($record in Get-DbxProvisioningLog -Action Create -Status Success -ObjectType User) {
        $sandbox.Directory.Unassign($record.SourceId)
        if (-not (Test-DbxAttributeMapping -UserId $record.SourceId).InScope) { $created.Add($record) }
        if ($created.Count -eq 2) { break }
    }
    $held = Invoke-DbxProvisioningCycle -Force -WarningAction SilentlyContinue
    Add-DbxScopingFilter -Name 'Not contractors' -SourceAttribute jobTitle -Operator NOT_EQUALS -Value Contractor | Out-Null
    $status = Get-DbxProvisioningStatus
    $null = Connect-DbxActivity -Sandbox

    # Every kind of object the cmdlets write, as an admin gets it.
    $outputs = [ordered]@{
        'a cycle result'           = $first
        'a cycle that held'        = $held
        'the planned changes'      = @(Invoke-DbxProvisioningCycle -WhatIf -Force 6>$null)
        'log records'              = @(Get-DbxProvisioningLog)
        'the status'               = $status
        'held deletions'           = @($status.StagedDeletions)
        'escrows'                  = @($status.Escrows)
        'the settings'             = Get-DbxProvisioningSetting
        'attribute mappings'       = @(Get-DbxAttributeMapping)
        'scoping filters'          = @(Get-DbxScopingFilter)
        'a mapping preview'        = Test-DbxAttributeMapping -UserId $created[0].SourceId
        'an expression test'       = Test-DbxAttributeMapping -Expression 'Join(" ", [givenName], [surname])' -SourceAttributes @{ givenName = 'Ana'; surname = 'García' }
        'an on-demand result'      = Start-DbxProvisioningOnDemand -UserId $created[1].SourceId -Confirm:$false
        'activity records'         = @(Get-DbxActivity -StartTime (Get-Date).AddDays(-3) | Select-Object -First 25)
        'an activity connection test' = Test-DbxConnection
        'the connection'           = $connection
    }

    # Every enum-valued property reachable from an object, with the path to it (lists and the module's own objects are
    # walked; the connection's sandbox is a rehearsal tool, not an export).
    function Get-EnumProperty ($Object, [string] $Path = '$', [int] $Depth = 0) {
        if ($null -eq $Object -or $Depth -gt 3) { return }
        if ($Object -is [System.Collections.IEnumerable] -and $Object -isnot [string]) {
            $i = 0
            foreach ($item in $Object) { Get-EnumProperty $item "$Path[$i]" ($Depth + 1); $i++ }
            return
        }
        foreach ($property in $Object.PSObject.Properties) {
            if ($property.Name -eq 'Sandbox') { continue }
            $value = $property.Value
            if ($null -eq $value) { continue }
            if ($value -is [enum]) { [pscustomobject]@{ Path = "$Path.$($property.Name)"; Name = $property.Name; Value = $value; Parent = $Path } }
            elseif ($value.GetType().Namespace -like 'DropboxProvisioning*' -or ($value -is [System.Collections.IList] -and $value -isnot [string])) {
                Get-EnumProperty $value "$Path.$($property.Name)" ($Depth + 1)
            }
        }
    }

    function Read-Path ($Root, [string] $Path) {
        $node = $Root
        foreach ($step in [regex]::Matches($Path.Substring(1), '\.(\w+)|\[(\d+)\]')) {
            if ($step.Groups[1].Success) { $node = $node.($step.Groups[1].Value) } else { $node = @($node)[[int]$step.Groups[2].Value] }
        }
        $node
    }
}

Describe 'ConvertTo-Json of every output' {
    It 'finds enums in the outputs, escrows and held deletions in the status' {
        (Get-EnumProperty $first).Path | Should -Contain '$.Status'
        (Get-EnumProperty $first).Path | Should -Contain '$.Changes[0].Action'
        (Get-EnumProperty $status).Path | Should -Contain '$.Code'
        (Get-EnumProperty $outputs['the settings']).Path | Should -Contain '$.Scope'
        (Get-EnumProperty $outputs['scoping filters']).Path | Should -Contain '$[0].Clauses[0].Operator'
        @($status.Escrows).Count | Should -BeGreaterThan 0 -Because 'the licenses ran out'
        @($status.StagedDeletions).Count | Should -Be 2
    }

    It 'writes <Name> with every enum as its name' -TestCases $cases {
        param($Name)
        $object = $outputs[$Name]
        # The connection holds the sandbox tenant, whose generated activity log is deeper than anyone exports.
        $depth = if ($Name -eq 'the connection') { 4 } else { 6 }
        $json = $object | ConvertTo-Json -Depth $depth -WarningAction SilentlyContinue
        $back = $json | ConvertFrom-Json
        # A single object piped in is one JSON object; a list is an array (its paths start at [0]).
        $root = if (@($object).Count -eq 1 -and $object -isnot [array]) { $back } else { , @($back) }
        foreach ($enum in Get-EnumProperty $object) {
            $written = Read-Path $root $enum.Path
            $written | Should -BeOfType [string] -Because "$($enum.Path) is an enum ($($enum.Value.GetType().Name))"
            $written | Should -BeExactly $enum.Value.ToString() -Because $enum.Path
        }
        # And no number where a name belongs (the sandbox's own internals aside).
        if ($Name -ne 'the connection') { $json | Should -Not -Match '"(Status|Action|ObjectType|Mode|Code|NextCycle|Scope|Type|Apply|Operator|Authentication|Api)":\s*\d' }
    }

    It 'a cycle result reads back as an admin compares it' {
        $back = $first | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $back.Status | Should -BeExactly 'CompletedWithFailures'
        $back.Mode | Should -BeExactly 'Initial'
        @($back.Changes | Where-Object Action -eq 'Create').Count | Should -Be ($first.Changes | Where-Object Action -eq 'Create').Count
        # The live objects keep their enums: comparisons with names work both ways.
        $first.Status -eq 'CompletedWithFailures' | Should -BeTrue
        $first.Status | Should -BeOfType [enum]
        $held.Changes.Where({ $_.Action -eq 'StagedDelete' }).Count | Should -Be 2
    }

    It 'the settings round-trip through JSON into Set-DbxProvisioningSetting' {
        Set-DbxProvisioningSetting -Scope AllUsersAndGroups -DeletionThreshold 42 -CycleInterval '01:30:00' -Confirm:$false
        $json = Get-DbxProvisioningSetting | ConvertTo-Json
        $json | Should -Match '"Scope":\s*"AllUsersAndGroups"'
        Set-DbxProvisioningSetting -Scope AssignedUsersAndGroups -DeletionThreshold 500 -CycleInterval '00:40:00' -Confirm:$false
        $json | ConvertFrom-Json | Set-DbxProvisioningSetting -Confirm:$false
        $after = Get-DbxProvisioningSetting
        "$($after.Scope)" | Should -Be 'AllUsersAndGroups'
        $after.DeletionThreshold | Should -Be 42
        $after.CycleInterval | Should -Be ([TimeSpan]'01:30:00')
    }
}

Describe 'Export-Csv of every output' {
    It 'writes <Name> with text in every cell, no type name' -TestCases ($cases | Where-Object { $_.Name -ne 'the connection' }) {
        param($Name)
        $file = Join-Path $TestDrive (($Name -replace '\W', '-') + '.csv')
        $outputs[$Name] | Export-Csv -LiteralPath $file -NoTypeInformation
        $rows = @(Import-Csv -LiteralPath $file)
        $rows.Count | Should -Be @($outputs[$Name]).Count
        foreach ($row in $rows) {
            foreach ($cell in $row.PSObject.Properties) {
                $cell.Value | Should -Not -Match '\bSystem\.[A-Z]\w*\.|\bDropboxProvisioning\.[A-Z]|`1\[' -Because "$Name, column $($cell.Name)"
            }
        }
    }

    It 'gives modified properties, steps and changes as text columns' {
        $file = Join-Path $TestDrive 'log-text.csv'
        Get-DbxProvisioningLog -Action Create -Status Success -ObjectType User | Export-Csv -LiteralPath $file
        $row = @(Import-Csv -LiteralPath $file)[0]
        $row.ModifiedProperties | Should -Match "^userName: '' -> '.+@.+'; "
        $row.ModifiedProperties | Should -Be $row.ModifiedPropertiesText

        $cycleRow = $first | ConvertTo-Csv | ConvertFrom-Csv
        $failed = @($first.Changes | Where-Object { $_.Action -eq 'Create' -and $_.ObjectType -eq 'User' -and $_.Status -eq 'Failure' }).Count
        $failed | Should -BeGreaterThan 0 -Because 'the licenses ran out'
        $cycleRow.Changes | Should -Match "^Create User: $($first.Created + $failed) \($($first.Created) Success, $failed Failure\); "
        $cycleRow.Status | Should -Be 'CompletedWithFailures'

        $stepRow = $outputs['an on-demand result'] | ConvertTo-Csv | ConvertFrom-Csv
        $stepRow.Steps | Should -Match '^1\. Import user: Success'
    }

    It 'keeps typed access for scripts: lists index and their items keep their properties' {
        $record = Get-DbxProvisioningLog -Action Create -Status Success -ObjectType User -First 1
        $record.ModifiedProperties.Count | Should -BeGreaterThan 3
        $record.ModifiedProperties[0].Name | Should -Be 'userName'
        $record.ModifiedProperties[0].NewValue | Should -Be $record.TargetIdentity
        ($first.Changes | Where-Object Action -eq 'Create')[0].ModifiedProperties.Name | Should -Contain 'name.familyName'
        $outputs['an on-demand result'].Steps[0].Name | Should -Be 'Import user'
    }
}

Describe 'Table views of what the status holds' {
    It 'show held deletions, escrows and the latest cycles with their values in full' {
        $held = $status.StagedDeletions | Format-Table | Out-String -Width 160
        $held | Should -Match ([regex]::Escape($status.StagedDeletions[0].TargetIdentity))
        $held | Should -Match '\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ Disable'
        $escrows = $status.Escrows | Format-Table | Out-String -Width 160
        # Guest UPNs run long (user_domain#EXT#@tenant.onmicrosoft.com): the column holds the sandbox's longest.
        foreach ($escrow in $status.Escrows) {
            $escrows | Should -Match ('{0}\s+{1} {2:yyyy-MM-dd HH:mm:ss}Z' -f [regex]::Escape($escrow.Identity), $escrow.Attempts, $escrow.NextAttempt.UtcDateTime)
        }
        $cycles = $status.LastExecutions | Format-Table | Out-String -Width 160
        $cycles | Should -Match '\bCompletedWithFailures\b'
    }
}

Describe 'The engine''s types in a script (PowerShell 7: they live in the module''s own load context)' {
    It 'are not found as type literals, and are reached the supported ways' {
        { & ([scriptblock]::Create('$first -is [DropboxProvisioning.Sync.CycleResult]')) } | Should -Throw -ExpectedMessage '*Unable to find type*DropboxProvisioning.Sync.CycleResult*'
        $first.PSObject.TypeNames[0] | Should -Be 'DropboxProvisioning.Sync.CycleResult'
        $type = $connection.GetType().Assembly.GetType('DropboxProvisioning.Sync.CycleResult', $true)
        $first -is $type | Should -BeTrue
        [Enum]::GetNames($first.Status.GetType()) | Should -Contain 'CompletedWithFailures'
        $first.Status -eq 'CompletedWithFailures' | Should -BeTrue
    }
}
