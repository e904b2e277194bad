<#
.SYNOPSIS
    One provisioning cycle from Entra ID to Dropbox, as an Azure Automation runbook (PowerShell 7.x runtime).

.DESCRIPTION
    Paste this into a PowerShell 7.x runbook of an Automation account whose system-assigned managed identity has the
    Graph application permissions User.Read.All, Group.Read.All and Application.Read.All (README, "In Azure Automation").
    Import the DropboxProvisioning module into the account, store the Dropbox SCIM secret token (or the Team API refresh
    token) as the password of an Automation credential, and schedule the runbook (every 40 minutes, as Entra does).

    Nothing prompts: errors stop the job ($ErrorActionPreference = 'Stop'), every cmdlet that could ask is told not to,
    and the output is one summary object (the job's Output stream).

    State: a job's sandbox is thrown away when it ends, so the state must live outside it. -StateLocation takes either
    a blob container URL (https://<account>.blob.core.windows.net/<container>[/<prefix>], reached with the managed
    identity, which needs the Storage Blob Data Contributor role on it) or a local directory path (a Hybrid Runbook
    Worker's disk, or a rehearsal on one machine).

    Deadline: Automation stops a cloud job after 3 hours (fair share) and does not resume it. -DeadlineMinutes (150 by
    default, at most 175) is passed to Invoke-DbxProvisioningCycle -MaxDuration, so that a long initial cycle stops
    starting writes in time, saves what remains and ends Partial (RemainingChanges in the summary); the next job
    continues it. A job stopped part-way all the same converges on the next job.

    Rehearsal on one machine: start a served sandbox (dotnet run --project src/DropboxProvisioning.Host -- sandbox
    --port 8400), set IDENTITY_ENDPOINT and IDENTITY_HEADER as it prints them (as Automation sets them for a job), and
    run ./examples/Runbook.ps1 -SandboxUri http://127.0.0.1:8400 -StateLocation ./rehearsal-state.

.EXAMPLE
    ./Runbook.ps1 -StateLocation https://contosoprov.blob.core.windows.net/dropbox-provisioning -ServicePrincipalId <object id>

.EXAMPLE
    ./Runbook.ps1 -SandboxUri http://127.0.0.1:8400 -StateLocation ./rehearsal-state
#>
[CmdletBinding()]
param(
    # Where the job's state lives: a blob container URL (with the managed identity) or a local directory path.
    [Parameter(Mandatory = $true)]
    [string] $StateLocation,

    # How long the cycle may start writes, in minutes (fractions allowed); below Automation's 3-hour limit, with room to save and exit.
    [ValidateRange(0.05, 175)]
    [double] $DeadlineMinutes = 150,

    # Scim (the default: -TenantUrl and the SCIM secret token) or TeamApi (-AppKey and a refresh token).
    [ValidateSet('Scim', 'TeamApi')]
    [string] $Api = 'Scim',

    # The object id of the Dropbox for Business enterprise application (Entra admin center, Enterprise applications).
    [string] $ServicePrincipalId,

    # Dropbox's SCIM base URL.
    [string] $TenantUrl = 'https://www.dropbox.com/scim/v2',

    # The Automation credential whose password is the SCIM secret token (or, with -Api TeamApi, the refresh token).
    [string] $DropboxCredentialName = 'Dropbox',

    # Team API: the app key of the team-scoped Dropbox app.
    [string] $AppKey,

    # Rehearsal only: the address of a served sandbox (dbxhost sandbox) instead of the real tenant and team.
    [string] $SandboxUri
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'   # no progress records in the job's streams
$ConfirmPreference = 'None'                # nothing asks; each cmdlet that changes something also gets -Confirm:$false

Import-Module DropboxProvisioning

# The state: blob storage when a URL is given (authenticated by the managed identity), else a local directory.
$state = @{}
if ($StateLocation -match '^https?://') {
    $state.StateStorageUri = $StateLocation
}
else {
    $state.StatePath = $StateLocation
}

# Entra ID through the managed identity (IDENTITY_ENDPOINT and IDENTITY_HEADER, which Automation sets for the job).
if ($SandboxUri) {
    $connection = Connect-DbxTenant -SandboxUri $SandboxUri -Api $Api -ManagedIdentity @state
}
else {
    if (-not $ServicePrincipalId) { throw 'Pass -ServicePrincipalId: the object id of the Dropbox for Business enterprise application.' }
    $dropboxSecret = (Get-AutomationPSCredential -Name $DropboxCredentialName).Password
    if ($Api -eq 'TeamApi') {
        if (-not $AppKey) { throw 'Pass -AppKey with the key of the team-scoped Dropbox app (the credential holds its refresh token).' }
        $connection = Connect-DbxTenant -ManagedIdentity -Api TeamApi -AppKey $AppKey -RefreshToken $dropboxSecret -ServicePrincipalId $ServicePrincipalId @state
    }
    else {
        $connection = Connect-DbxTenant -ManagedIdentity -TenantUrl $TenantUrl -SecretToken $dropboxSecret -ServicePrincipalId $ServicePrincipalId @state
    }
}

try {
    $deadline = [TimeSpan]::FromMinutes($DeadlineMinutes)
    $result = Invoke-DbxProvisioningCycle -Connection $connection -MaxDuration $deadline -Confirm:$false

    [pscustomobject]@{
        CycleId   = $result.CycleId
        Mode      = "$($result.Mode)"
        Status    = "$($result.Status)"
        Created   = $result.Created
        Updated   = $result.Updated
        Suspended = $result.Suspended
        Deleted   = $result.Deleted
        Adopted   = $result.Adopted
        Skipped   = $result.Skipped
        Failed    = $result.Failed
        InScope   = $result.InScope
        Quarantine = $result.Quarantine
        # Partial: what the deadline left (the next job makes it); this job's part of the cycle, and the part it continued.
        RemainingChanges = if ($result.RemainingChanges) { $result.RemainingChanges.Total } else { 0 }
        Part      = $result.Part
        ResumedFrom = $result.ResumedFrom
        StartTime = $result.StartTime
        EndTime   = $result.EndTime
        Deadline  = $deadline
        State     = $StateLocation
    }
}
finally {
    Disconnect-DbxTenant
}
