# What an admin's session does with the module, in one fresh process: a SCIM cycle and a second (incremental) one,
# the provisioning log, on-demand provisioning, the expression builder, configuration export, a Team API cycle, the
# activity log, and a cycle with the state in Azure Blob Storage. Then lists the assemblies in the module's load context ("alc=Name|Version|file").
param([Parameter(Mandatory)] [string] $Manifest, [string] $StateStorageUri)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
$scim = Connect-DbxTenant -Sandbox -SandboxUserCount 25 -SandboxSeed 5
$first = Invoke-DbxProvisioningCycle -Connection $scim
"scim.status=$($first.Status)"
"scim.created=$($first.Created)"
$second = Invoke-DbxProvisioningCycle -Connection $scim
"scim.again=$($second.Status)"
"log.records=$(@(Get-DbxProvisioningLog -Connection $scim -First 5).Count)"
$user = $scim.Sandbox.Directory.Users[0].Id
"ondemand.steps=$(@(Start-DbxProvisioningOnDemand -Connection $scim -UserId $user -Confirm:$false).Count)"
"preview=$((Test-DbxAttributeMapping -Connection $scim -UserId $user).Count)"
$export = Join-Path ([IO.Path]::GetTempPath()) ("dbx-export-" + [guid]::NewGuid().ToString('N') + '.json')
Export-DbxProvisioningConfiguration -Connection $scim -Path $export | Out-Null
"export.bytes=$((Get-Item $export).Length)"
Remove-Item $export
$team = Connect-DbxTenant -Sandbox -Api TeamApi -SandboxUserCount 25 -SandboxSeed 6
$teamCycle = Invoke-DbxProvisioningCycle -Connection $team
"teamapi.status=$($teamCycle.Status)"
"teamapi.created=$($teamCycle.Created)"
Connect-DbxActivity -Sandbox -Connection $scim | Out-Null
"activity.records=$(@(Get-DbxActivity -First 20).Count)"
if ($StateStorageUri) {
    # A job whose state is in Azure Blob Storage (Azurite): a cycle, then a second session's view of it.
    $key = [System.Net.NetworkCredential]::new('', $env:DBX_STATE_KEY).SecurePassword
    $blob = Connect-DbxTenant -Sandbox -SandboxUserCount 25 -SandboxSeed 7 -StateStorageUri $StateStorageUri -StateStorageAccountKey $key
    $blobCycle = Invoke-DbxProvisioningCycle -Connection $blob
    "blob.status=$($blobCycle.Status)"
    "blob.created=$($blobCycle.Created)"
    "blob.log=$(@(Get-DbxProvisioningLog -Connection $blob -First 5).Count)"
}
$context = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.GetType().Name -eq 'IsolatedLoadContext' }
foreach ($assembly in $context.Assemblies) { "alc=$($assembly.GetName().Name)|$($assembly.GetName().Version)|$($assembly.Location)" }
