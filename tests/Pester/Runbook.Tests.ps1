# Scheduled, non-interactive use: a runbook-style script in a pwsh with no input, and several jobs in one process.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1')).Path
    # The pinned pwsh that runs this suite: the .NET tool is pwsh.dll under dotnet; an installed pwsh is an executable.
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path -LiteralPath $pwshDll) { $pwsh = 'dotnet'; $pwshArguments = @($pwshDll) }
    else { $pwsh = (Get-Process -Id $PID).Path; $pwshArguments = @() }

    function Invoke-Pwsh([string[]] $arguments) {
        $output = '' | & $pwsh @pwshArguments -NoLogo -NoProfile -NonInteractive @arguments 2>&1 | Out-String
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
    }
}

Describe 'A runbook-style script' {
    BeforeAll {
        $run = Invoke-Pwsh @('-File', (Join-Path $PSScriptRoot 'Runbooks/Sync-DropboxProvisioning.ps1'))
        $summary = ($run.Output -split "`n" | Where-Object { $_ -match '^\{' } | Select-Object -Last 1) | ConvertFrom-Json
    }

    It 'runs to the end without a prompt and exits 0' {
        $run.ExitCode | Should -Be 0 -Because $run.Output
    }

    It 'writes one JSON summary line: an initial cycle, then an incremental one with the change' {
        $summary.FirstCycle.Mode | Should -Be 'Initial'
        $summary.FirstCycle.Created | Should -BeGreaterThan 0
        $summary.SecondCycle.Mode | Should -Be 'Incremental'
        $summary.SecondCycle.Updated | Should -Be 1
    }

    It 'prints no progress bars and no secrets' {
        $run.Output | Should -Not -Match 'secret|token'
    }
}

Describe 'A cmdlet that would ask for confirmation, with no one to ask' {
    It 'fails at once with the non-interactive error instead of waiting, and changes nothing' {
        $script = "Import-Module '$manifest'; `$c = Connect-DbxTenant -Sandbox; Set-DbxAttributeMapping -TargetAttribute externalId -SourceAttribute employeeId; try { Reset-DbxAttributeMapping } catch { Write-Output ('caught: ' + `$_.Exception.Message) }; (Get-DbxAttributeMapping -ObjectType User -TargetAttribute externalId).Source"
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-Pwsh @('-Command', $script)
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 120
        $run.Output | Should -Match 'caught: .*NonInteractive'
        ($run.Output.Trim() -split "`n")[-1].Trim() | Should -Be 'employeeId'
    }
}

Describe 'Several jobs in one process, each in its own runspace (as Azure Automation runs them)' {
    It 'keeps each job''s connection and state to itself' {
        $results = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:manifest
            $mine = Connect-DbxTenant -Sandbox -SandboxSeed $_
            $cycle = Invoke-DbxProvisioningCycle
            [pscustomobject]@{ Seed = $_; StatePath = $mine.StatePath; Current = (Get-DbxProvisioningStatus).StatePath; Created = $cycle.Created }
        }
        $results.Count | Should -Be 3
        ($results.StatePath | Sort-Object -Unique).Count | Should -Be 3
        foreach ($result in $results) {
            $result.Current | Should -Be $result.StatePath
            $result.Created | Should -BeGreaterThan 0
        }
        (Get-DbxProvisioningStatus).StatePath | Should -Be $connection.StatePath
    }
}
