# A Dropbox admin on the Team API: a team short of licenses, and invitations nobody accepts.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox -Api TeamApi -SandboxUserCount 30 -SandboxSeed 51
    $dropbox = $connection.Sandbox.Dropbox
    $dropbox.LicenseLimit = $dropbox.MemberCount + 4
    # Dropbox invites everyone the first cycle creates "twelve days ago" (its own clock: invited_on). The team's clock is
    # read on the engine's threads, where no runspace runs a script block: a compiled method stands in.
    Add-Type -TypeDefinition 'public static class TwelveDaysAgo { public static System.DateTimeOffset Now() { return System.DateTimeOffset.UtcNow.AddDays(-12); } }'
    $dropbox.Clock = [Func[DateTimeOffset]] [TwelveDaysAgo]::Now
    Set-DbxProvisioningSetting -CheckLicenses $true
    $first = Invoke-DbxProvisioningCycle -WarningVariable seatWarnings -WarningAction SilentlyContinue
    $dropbox.Clock = [Func[DateTimeOffset]] [DateTimeOffset]::get_UtcNow
}

Describe 'A team short of licenses' {
    It 'creates what fits and holds the rest in escrow with one warning, without failures' {
        $first.Created | Should -Be 4
        $first.Failed | Should -Be 0
        $first.LicenseDeferred | Should -BeGreaterThan 0
        @($seatWarnings | Where-Object { "$_" -like '*LicenseLimit*' }).Count | Should -Be 1
    }

    It 'shows the licenses and who waits for one in the status view' {
        $text = Get-DbxProvisioningStatus | Out-String
        $text | Should -Match "Licenses\s*:\s*$($dropbox.LicenseLimit) of $($dropbox.LicenseLimit) used, 0 free; $($first.LicenseDeferred) new account\(s\) waiting"
        (Get-DbxProvisioningStatus).WaitingForLicense | Should -Be $first.LicenseDeferred
    }

    It 'names each held account and why in the log' {
        $held = @(Get-DbxProvisioningLog -CycleId $first.CycleId -Action Skip | Where-Object StatusDetails -like 'LicenseLimit:*')
        $held.Count | Should -Be $first.LicenseDeferred
    }

    It 'creates the held accounts once licenses are free' {
        $dropbox.LicenseLimit = 0
        $next = Invoke-DbxProvisioningCycle
        $next.Created | Should -Be $first.LicenseDeferred
        (Get-DbxProvisioningStatus).WaitingForLicense | Should -Be 0
    }
}

Describe 'Invitations nobody accepts' {
    It 'sends the invitation again after the days set, shows the pending invitations, and withdraws them later' {
        Set-DbxProvisioningSetting -InviteReminderAfterDays 10
        $look = @(Invoke-DbxProvisioningCycle -WhatIf | Where-Object Action -eq 'Remind')
        $look.Count | Should -Be 4   # the four created by the first cycle, invited twelve days ago
        $reminded = Invoke-DbxProvisioningCycle
        $reminded.InvitesResent | Should -Be 4
        $status = Get-DbxProvisioningStatus
        $status.PendingInvites.Count | Should -BeGreaterOrEqual 4
        ($status | Out-String) | Should -Match 'PendingInvites\s*:\s*\d+ not accepted; oldest .+ \(12 day\(s\)\)'
        Set-DbxProvisioningSetting -WithdrawInviteAfterDays 11
        $withdrawn = Invoke-DbxProvisioningCycle -Confirm:$false
        $withdrawn.InvitesWithdrawn | Should -Be 4
        (Get-DbxProvisioningStatus).WithdrawnInvites | Should -Be 4
    }
}
