# The README's first command: dbxhost (over Microsoft.PowerShell.SDK, the full PowerShell) runs the example script,
# and the cmdlets an admin's script uses besides the module's are there.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $dbxhost = Get-ChildItem -LiteralPath (Join-Path $root 'src/DropboxProvisioning.Host/bin') -Recurse -Filter dbxhost.dll |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1

    function Invoke-Dbxhost {
        Push-Location -LiteralPath $root
        try { $output = & dotnet $dbxhost.FullName @args 2>&1 | Out-String }
        finally { Pop-Location }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
    }
}

Describe "dotnet run --project src/DropboxProvisioning.Host -- examples/Invoke-SandboxCycle.ps1" {
    It 'finds the built dbxhost' {
        $dbxhost | Should -Not -BeNullOrEmpty
    }

    It 'runs the example to the end, through the format views and Format-Table' {
        $run = Invoke-Dbxhost 'examples/Invoke-SandboxCycle.ps1'
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'CycleId\s+:'
        $run.Output | Should -Match 'Create, User\s+\d+'
        $run.Output | Should -Match 'A second cycle with no change in Entra ID: created 0, updated 0, suspended 0, status Succeeded'
    }

    It 'has Select-Object, ConvertTo-Json, Export-Csv, Import-Csv and Format-List, as pwsh has' {
        $csv = Join-Path $TestDrive 'log.csv'
        $script = @"
Connect-DbxTenant -Sandbox | Out-Null
`$cycle = Invoke-DbxProvisioningCycle
`$cycle | Select-Object Created, Skipped | ConvertTo-Json -Compress
Get-DbxProvisioningLog -CycleId `$cycle.CycleId | Export-Csv -LiteralPath '$csv' -NoTypeInformation
'rows: ' + (Import-Csv -LiteralPath '$csv' | Measure-Object).Count
Get-DbxProvisioningSetting | Format-List DeletionThreshold
"@
        $run = Invoke-Dbxhost -Command $script
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match '\{"Created":\d+,"Skipped":\d+\}'
        $run.Output | Should -Match 'rows: [1-9]\d*'
        $run.Output | Should -Match 'DeletionThreshold : 500'
    }

    It 'exits with 1 and prints the error when the script fails' {
        $run = Invoke-Dbxhost -Command 'Get-DbxProvisioningLog -First 0'
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match 'First'
    }
}
