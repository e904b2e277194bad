#Requires -Version 7.0
<#
.SYNOPSIS
    Runs (or only discovers) the Pester 5 suites in tests/Pester under the pinned pwsh, and writes every test's
    result as JSON for the xunit project that reports them (tests/DropboxProvisioning.Pester.Tests).
.DESCRIPTION
    By hand, after `dotnet build DropboxProvisioning.sln` (which also downloads Pester 5.7.1 and restores pwsh):
        dotnet pwsh tests/Pester/Invoke-PesterSuite.ps1                       # every suite
        dotnet pwsh tests/Pester/Invoke-PesterSuite.ps1 -Path tests/Pester/Connect.Tests.ps1
    The exit code is the number of failed tests.
.PARAMETER Path
    Suite files (or folders) to run; all of tests/Pester by default.
.PARAMETER PesterModule
    Pester.psd1 to import; by default Pester 5.7.1 from the NuGet package folder (the PackageDownload of the project).
.PARAMETER ResultFile
    Where to write the JSON results (one object per test: File, Path, Result, Skip, Message).
.PARAMETER Discover
    Only discover the tests (Pester's Run.SkipRun), without running them.
#>
[CmdletBinding()]
param(
    [string[]] $Path = @($PSScriptRoot),
    [string] $PesterModule,
    [string] $ResultFile,
    [switch] $Discover
)

$ErrorActionPreference = 'Stop'
# pwsh -File passes "a,b" as one string: a comma-separated list names several suites.
$Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })

if (-not $PesterModule) {
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $PesterModule = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
}
if (-not (Test-Path -LiteralPath $PesterModule)) {
    throw "Pester 5.7.1 not found at ${PesterModule}: run 'dotnet build tests/DropboxProvisioning.Pester.Tests' (its PackageDownload fetches it)."
}
Import-Module -Name $PesterModule -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Run.SkipRun = [bool] $Discover
$configuration.Output.Verbosity = if ($Discover) { 'None' } else { 'Detailed' }
$configuration.Output.RenderMode = 'Plaintext'
$configuration.Should.ErrorAction = 'Stop'

# The error and the suite's own stack lines (Pester's frames say nothing about the failure).
function Format-Failure($record) {
    $frames = "$($record.ScriptStackTrace)" -split "`n" | Where-Object { $_ -notmatch '[\\/]pester[\\/]' }
    (@("$record") + $frames) -join "`n"
}

$run = Invoke-Pester -Configuration $configuration

if ($ResultFile) {
    $tests = foreach ($test in $run.Tests) {
        [pscustomobject]@{
            File    = [IO.Path]::GetFileName($test.ScriptBlock.File)
            Path    = $test.Path -join '.'   # as discovered: a -ForEach test's name before its data fills it in
            Result  = "$($test.Result)"
            Skip    = [bool] $test.Skip
            Message = ($test.ErrorRecord | ForEach-Object { Format-Failure $_ }) -join "`n"
        }
    }
    # Failures outside any test (discovery, BeforeAll, AfterAll) belong to the file.
    $containers = foreach ($container in $run.Containers) {
        $errors = @($container.ErrorRecord) + @($container.Blocks | ForEach-Object { $_.ErrorRecord })
        [pscustomobject]@{
            File    = [IO.Path]::GetFileName("$($container.Item)")
            Result  = "$($container.Result)"
            Message = ($errors | Where-Object { $_ } | ForEach-Object { Format-Failure $_ }) -join "`n"
        }
    }
    [pscustomobject]@{ Tests = @($tests); Containers = @($containers) } |
        ConvertTo-Json -Depth 5 |
        Set-Content -LiteralPath $ResultFile -Encoding utf8
}

if (-not $Discover) { exit $run.FailedCount }
