#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages DropboxProvisioning with the same dotnet commands the README and CI use.
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Sandbox')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

switch ($Task) {
    'Build' {
        Invoke-Dotnet build DropboxProvisioning.sln -c $Configuration
    }
    'Test' {
        Invoke-Dotnet test DropboxProvisioning.sln -c $Configuration
    }
    'Sandbox' {
        Invoke-Dotnet build src/DropboxProvisioning.Commands -c $Configuration
        & "$PSScriptRoot/examples/Invoke-SandboxCycle.ps1"
    }
    'Package' {
        # The same as the dotnet-only `dotnet build src/DropboxProvisioning.Commands -c Release`: every build of the
        # cmdlets writes the flat, versioned module folder (build/ModuleLayout.targets).
        Invoke-Dotnet build src/DropboxProvisioning.Commands -c Release
        $manifest = Import-PowerShellDataFile -LiteralPath "$PSScriptRoot/DropboxProvisioning.psd1"
        Write-Output (Get-Item -LiteralPath (Join-Path $PSScriptRoot "out/package/DropboxProvisioning/$($manifest.ModuleVersion)"))
    }
}
