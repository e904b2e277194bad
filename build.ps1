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
        Invoke-Dotnet build src/DropboxProvisioning.Commands -c Release
        $manifest = Import-PowerShellDataFile -LiteralPath "$PSScriptRoot/DropboxProvisioning.psd1"
        $target = Join-Path $PSScriptRoot "out/package/DropboxProvisioning/$($manifest.ModuleVersion)"
        if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Recurse -Force }
        New-Item -ItemType Directory -Path $target | Out-Null
        Copy-Item -Path "$PSScriptRoot/out/DropboxProvisioning/*.dll" -Destination $target
        Copy-Item -Path "$PSScriptRoot/module/*" -Destination $target -Recurse
        # The packaged manifest points at its own folder instead of the build output.
        (Get-Content -LiteralPath "$PSScriptRoot/DropboxProvisioning.psd1" -Raw) `
            -replace "out/DropboxProvisioning/", '' `
            -replace "module/", '' |
            Set-Content -LiteralPath (Join-Path $target 'DropboxProvisioning.psd1') -Encoding utf8
        Write-Output (Get-Item -LiteralPath $target)
    }
}
