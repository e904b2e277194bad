# Runs one provisioning cycle against the built-in sandbox tenant and shows its result.
# Under pwsh:  ./examples/Invoke-SandboxCycle.ps1   (after `dotnet build`)
# Without pwsh: dotnet run --project src/DropboxProvisioning.Host -- examples/Invoke-SandboxCycle.ps1
param(
    [int] $UserCount = 50,
    [int] $Seed = 1
)

if (-not (Get-Module -Name DropboxProvisioning)) {
    Import-Module "$PSScriptRoot/../DropboxProvisioning.psd1" -ErrorAction Stop
}

# Each result goes through Out-Default on its own, so each type gets its own format view.
$connection = Connect-DbxTenant -Sandbox -SandboxUserCount $UserCount -SandboxSeed $Seed
$connection | Out-Default

$result = Invoke-DbxProvisioningCycle -Connection $connection
$result | Out-Default

'Dropbox team now has {0} member(s); the cycle created {1}, adopted {2}, skipped {3}.' -f $connection.Sandbox.Dropbox.Members.Count, $result.Created, $result.Adopted, $result.Skipped

# What the cycle did, by action and object type, from its provisioning log.
Get-DbxProvisioningLog -Connection $connection -CycleId $result.CycleId |
    Group-Object Action, ObjectType -NoElement | Sort-Object Count -Descending |
    Format-Table @{ Label = 'Action, ObjectType'; Expression = { $_.Name } }, Count -AutoSize | Out-Default

$again = Invoke-DbxProvisioningCycle -Connection $connection
'A second cycle with no change in Entra ID: created {0}, updated {1}, suspended {2}, status {3}.' -f $again.Created, $again.Updated, $again.Suspended, $again.Status
