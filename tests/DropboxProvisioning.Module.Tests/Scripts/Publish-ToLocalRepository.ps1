# As a maintainer publishes and an admin installs from the PowerShell Gallery, with a local file repository instead.
# Runs with HOME pointing at an empty folder, so the repository registration and the CurrentUser module path are new.
param(
    [Parameter(Mandatory)] [string] $Package,
    [Parameter(Mandatory)] [string] $Repository
)
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name DbxLocal -Uri $Repository -Trusted
Publish-PSResource -Path $Package -Repository DbxLocal
foreach ($file in Get-ChildItem -LiteralPath $Repository -Filter *.nupkg) { "published=$($file.Name)" }
Install-PSResource -Name DropboxProvisioning -Repository DbxLocal -Scope CurrentUser -TrustRepository -Reinstall
foreach ($resource in Get-InstalledPSResource -Name DropboxProvisioning) { "installed=$($resource.Version)|$($resource.InstalledLocation)" }
