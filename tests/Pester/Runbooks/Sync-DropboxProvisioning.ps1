<#
.SYNOPSIS
    A runbook-style script, as an Azure Automation job runs it: no host to prompt, progress off, every error
    terminating, one JSON line of output for the job log, a non-zero exit code when the cycle failed.
    It rehearses on the sandbox; a production runbook connects with Connect-DbxTenant -ManagedIdentity instead.
#>
param(
    [int] $UserCount = 50,
    [int] $MaxFailures = 0
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Import-Module (Join-Path $PSScriptRoot '../../../DropboxProvisioning.psd1')
$connection = Connect-DbxTenant -Sandbox -SandboxUserCount $UserCount

$status = Get-DbxProvisioningStatus
if ($status.Code -eq 'Quarantine') {
    Write-Warning "The job is in quarantine ($($status.Quarantine)); no cycle this time."
    exit 0
}

$first = Invoke-DbxProvisioningCycle -Confirm:$false
# A change arrives in Entra ID between two scheduled runs.
$user = $connection.Sandbox.Directory.GetUser((Get-DbxProvisioningLog -CycleId $first.CycleId -Action Create -ObjectType User -First 1).SourceId)
$connection.Sandbox.Directory.UpdateUser($user.Id, [Action[object]] { param($u) $u.GivenName = 'Runbook' })
$second = Invoke-DbxProvisioningCycle -Confirm:$false

[pscustomobject]@{
    FirstCycle  = [pscustomobject]@{ Mode = "$($first.Mode)"; Created = $first.Created; Failed = $first.Failed }
    SecondCycle = [pscustomobject]@{ Mode = "$($second.Mode)"; Updated = $second.Updated; Failed = $second.Failed }
    StatePath   = $connection.StatePath
} | ConvertTo-Json -Compress

if ($first.Failed + $second.Failed -gt $MaxFailures) {
    Write-Error "Provisioning failed for $($first.Failed + $second.Failed) change(s); see Get-DbxProvisioningLog -Status Failure."
    exit 1
}
