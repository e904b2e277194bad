# An admin previews the first cycle of a large tenant, and setting changes, before anything is written.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox -SandboxUserCount 2000 -SandboxSeed 3

    # What the console shows (What if: lines go to the host, not to a stream): the transcript keeps it.
    function Get-HostText([scriptblock] $Script) {
        $file = Join-Path ([IO.Path]::GetTempPath()) ("dbx-whatif-" + [guid]::NewGuid().ToString('N') + '.txt')
        Start-Transcript -LiteralPath $file -Force | Out-Null
        try { $output = @(& $Script) } finally { Stop-Transcript | Out-Null }
        $text = Get-Content -LiteralPath $file -Raw
        Remove-Item -LiteralPath $file
        [pscustomobject]@{ Output = $output; Text = $text }
    }
}

Describe 'Invoke-DbxProvisioningCycle -WhatIf on 2,000 users' {
    BeforeAll {
        $membersBefore = $connection.Sandbox.Dropbox.Members.Count
        $preview = Get-HostText { Invoke-DbxProvisioningCycle -WhatIf }
        $creates = @($preview.Output | Where-Object { $_.Action -eq 'Create' -and $_.ObjectType -eq 'User' }).Count
    }

    It 'prints one summary, not a What if: line per change' {
        ([regex]::Matches($preview.Text, 'What if:')).Count | Should -Be 1
        $preview.Output.Count | Should -BeGreaterThan 1500
    }

    It 'counts the changes per action and object type' {
        $preview.Text | Should -Match ("Create {0:N0} Dropbox users" -f $creates).Replace(',', '[,.]')
        foreach ($kind in $preview.Output | Group-Object Action, ObjectType) {
            $action, $type = $kind.Name -split ', '
            $preview.Text | Should -Match ("\b{0}\s+{1}\s+{2}\b" -f ('{0:N0}' -f $kind.Count).Replace(',', '[,.]'), $action, $type)
        }
    }

    It 'shows the first changes and says how to get every change' {
        $preview.Text | Should -Match 'The first 10 of'
        $first = $preview.Output | Where-Object Action -ne 'Skip' | Select-Object -First 1
        $preview.Text | Should -Match ([regex]::Escape("Create Dropbox user '$($first.TargetIdentity)'"))
        $preview.Text | Should -Match ([regex]::Escape('$changes = Invoke-DbxProvisioningCycle -WhatIf'))
    }

    It 'writes nothing to Dropbox or to the state' {
        $connection.Sandbox.Dropbox.Members.Count | Should -Be $membersBefore
        (Get-DbxProvisioningStatus).LastCycle | Should -BeNullOrEmpty
        @(Get-DbxProvisioningLog).Count | Should -Be 0
    }

    It 'returns objects that export whole' {
        $file = Join-Path ([IO.Path]::GetTempPath()) ("dbx-plan-" + [guid]::NewGuid().ToString('N') + '.csv')
        $preview.Output | Export-Csv -LiteralPath $file
        $rows = Import-Csv -LiteralPath $file
        Remove-Item -LiteralPath $file
        $rows.Count | Should -Be $preview.Output.Count
        ($rows | Where-Object Action -eq 'Create' | Select-Object -First 1).Description | Should -Match '^Create Dropbox user'
    }
}

Describe 'The Set- cmdlets under -WhatIf' {
    It 'Set-DbxProvisioningSetting names each setting with its old and new value, and no common parameter' {
        $shown = Get-HostText { Set-DbxProvisioningSetting -DeletionThreshold 300 -CycleInterval '01:00:00' -WhatIf -Verbose }
        $shown.Text | Should -Match 'DeletionThreshold from 500 to 300'
        $shown.Text | Should -Match 'CycleInterval from 00:40:00 to 01:00:00'
        $shown.Text | Should -Not -Match 'Set[^\r\n]*\b(WhatIf|Verbose)\b'
        (Get-DbxProvisioningSetting).DeletionThreshold | Should -Be 500
    }

    It 'Set-DbxAttributeMapping names what the mapping had and gets' {
        $shown = Get-HostText { Set-DbxAttributeMapping -TargetAttribute displayName -Expression 'Join(" ", [givenName], [surname])' -WhatIf }
        $shown.Text | Should -Match "Type from Direct to Expression"
        $shown.Text | Should -Match "SourceAttribute from 'displayName' to \(none\)"
        (Get-DbxAttributeMapping -ObjectType User -TargetAttribute displayName).Type | Should -Be 'Direct'
    }

    It 'Set-DbxProvisioningStatus says from which status to which' {
        $shown = Get-HostText { Set-DbxProvisioningStatus -Status Off -WhatIf }
        $shown.Text | Should -Match 'from On to Off'
        (Get-DbxProvisioningStatus).Status | Should -Be 'On'
    }
}
