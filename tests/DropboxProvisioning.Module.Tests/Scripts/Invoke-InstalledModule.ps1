# A fresh session after Install-PSResource: import by name from the module path, then a sandbox cycle.
$ErrorActionPreference = 'Stop'
$sw = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module DropboxProvisioning
"import.ms=$($sw.ElapsedMilliseconds)"
$module = Get-Module DropboxProvisioning
"modulebase=$($module.ModuleBase)"
"version=$($module.Version)"
"projecturi=$($module.ProjectUri)"
"licenseuri=$($module.LicenseUri)"
"releasenotes=$($module.ReleaseNotes)"
"tags=$($module.Tags -join ',')"
"editions=$($module.CompatiblePSEditions -join ',')"
"formats=$(($module.ExportedFormatFiles | ForEach-Object { Split-Path -Leaf $_ }) -join ',')"
"commands=$($module.ExportedCmdlets.Count)"
foreach ($file in Get-ChildItem -LiteralPath $module.ModuleBase -Recurse -File) { "file=$([IO.Path]::GetRelativePath($module.ModuleBase, $file.FullName).Replace('\', '/'))" }
$connection = Connect-DbxTenant -Sandbox -SandboxUserCount 15
$result = Invoke-DbxProvisioningCycle -Connection $connection
"cycle.status=$($result.Status)"
"cycle.created=$($result.Created)"
"cycle.failed=$($result.Failed)"
