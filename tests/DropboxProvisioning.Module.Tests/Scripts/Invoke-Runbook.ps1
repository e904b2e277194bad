# Runs examples/Runbook.ps1 as an Automation job runs it (a fresh pwsh, the module imported by name from PSModulePath)
# and writes what the test reads back: the module's folder and the runbook's summary object as one JSON line.
param(
    [Parameter(Mandatory = $true)] [string] $Runbook,
    [Parameter(Mandatory = $true)] [string] $SandboxUri,
    [Parameter(Mandatory = $true)] [string] $StateLocation,
    [double] $DeadlineMinutes = 150
)
$ErrorActionPreference = 'Stop'
$summary = & $Runbook -SandboxUri $SandboxUri -StateLocation $StateLocation -DeadlineMinutes $DeadlineMinutes
'module=' + (Get-Module DropboxProvisioning).ModuleBase
'summary=' + ($summary | ConvertTo-Json -Compress -Depth 3)
