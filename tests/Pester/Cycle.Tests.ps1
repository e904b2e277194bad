# An admin's rehearsal of the lifecycle: first cycle, nothing to do, a change in Entra ID, a blocked sign-in,
# a user removed from the app, a user deleted for good, a pause.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox
    $directory = $connection.Sandbox.Directory
    $dropbox = $connection.Sandbox.Dropbox
    $foreign = @($dropbox.Members | ForEach-Object { $_.Clone() })   # accounts that were there before the engine

    function Get-TeamMember([string] $email) { $dropbox.Members | Where-Object Email -eq $email }
    $first = Invoke-DbxProvisioningCycle
    $created = @(Get-DbxProvisioningLog -CycleId $first.CycleId -Action Create -ObjectType User)
}

Describe 'The first cycle' {
    It 'is an initial cycle that succeeds and creates the assigned users' {
        $first.Mode | Should -Be 'Initial'
        $first.Status | Should -Be 'Succeeded'
        $first.Created | Should -BeGreaterThan 0
        $created.Count | Should -Be $first.Created
    }

    It 'creates each user in Dropbox with the mapped values' {
        foreach ($record in $created) {
            $user = $directory.GetUser($record.SourceId)
            $member = Get-TeamMember $user.UserPrincipalName
            $member | Should -Not -BeNullOrEmpty -Because "$($user.UserPrincipalName) was created"
            $member.GivenName | Should -BeExactly $user.GivenName
            $member.Surname | Should -BeExactly $user.Surname
        }
    }

    It 'leaves the accounts it did not create or match as they were' {
        $managed = @(Get-DbxProvisioningLog -CycleId $first.CycleId -ObjectType User).TargetId
        foreach ($before in $foreign | Where-Object { $_.TeamMemberId -notin $managed }) {
            $now = $dropbox.Members | Where-Object TeamMemberId -eq $before.TeamMemberId
            $now.Version | Should -Be $before.Version -Because "$($before.Email) is not the engine's"
        }
    }

    It 'skips users without a surname, saying why' {
        $skipped = @(Get-DbxProvisioningLog -CycleId $first.CycleId -Action Skip)
        $skipped.Count | Should -Be $first.Skipped
        $skipped | ForEach-Object { $_.StatusDetails | Should -Not -BeNullOrEmpty }
    }
}

Describe 'Later cycles' {
    It 'find nothing to do when nothing changed' {
        $again = Invoke-DbxProvisioningCycle
        $again.Mode | Should -Be 'Incremental'
        $again.Created + $again.Updated + $again.Suspended + $again.Deleted | Should -Be 0
    }

    It 'update what changed in Entra ID, attribute by attribute' {
        $user = $directory.GetUser($created[0].SourceId)
        $directory.UpdateUser($user.Id, [Action[object]] { param($u) $u.GivenName = 'Renée' })
        $cycle = Invoke-DbxProvisioningCycle
        $cycle.Updated | Should -Be 1
        (Get-TeamMember $user.UserPrincipalName).GivenName | Should -BeExactly 'Renée'
        $record = Get-DbxProvisioningLog -CycleId $cycle.CycleId -Action Update
        $record.ModifiedPropertiesText | Should -Match "name.givenName: '.+' -> 'Renée'"
    }

    It 'suspend a user whose sign-in is blocked' {
        $user = $directory.GetUser($created[1].SourceId)
        $dropbox.AcceptInvitation((Get-TeamMember $user.UserPrincipalName).TeamMemberId)   # an invited member cannot be suspended
        $directory.UpdateUser($user.Id, [Action[object]] { param($u) $u.AccountEnabled = $false })
        $cycle = Invoke-DbxProvisioningCycle
        $cycle.Suspended | Should -Be 1
        (Get-TeamMember $user.UserPrincipalName).Status | Should -Be 'Suspended'
    }

    It 'suspend a user removed from the app' {
        $user = $directory.Assignments | Where-Object { $_.PrincipalId -in $created.SourceId -and $_.PrincipalId -ne $created[1].SourceId } | Select-Object -First 1
        $upn = $directory.GetUser($user.PrincipalId).UserPrincipalName
        $dropbox.AcceptInvitation((Get-TeamMember $upn).TeamMemberId)
        $directory.Unassign($user.PrincipalId)
        $cycle = Invoke-DbxProvisioningCycle
        $cycle.Suspended | Should -Be 1
        (Get-TeamMember $upn).Status | Should -Be 'Suspended'
    }

    It 'delete a user deleted for good in Entra ID' {
        $user = $directory.GetUser($created[2].SourceId)
        $directory.HardDeleteUser($user.Id)
        $cycle = Invoke-DbxProvisioningCycle
        $cycle.Deleted | Should -Be 1
        Get-TeamMember $user.UserPrincipalName | Should -BeNullOrEmpty
    }

    It 'delete an invited user instead of suspending it, since Dropbox cannot suspend an invitation' {
        $user = $directory.GetUser($created[4].SourceId)
        (Get-TeamMember $user.UserPrincipalName).Status | Should -Be 'Invited'
        $directory.UpdateUser($user.Id, [Action[object]] { param($u) $u.AccountEnabled = $false })
        $cycle = Invoke-DbxProvisioningCycle
        $cycle.Deleted | Should -Be 1
        Get-TeamMember $user.UserPrincipalName | Should -BeNullOrEmpty
    }
}

Describe 'A paused job' {
    It 'changes nothing in Dropbox until it is turned On again' {
        Set-DbxProvisioningStatus -Status Off
        $user = $directory.GetUser($created[3].SourceId)
        $directory.UpdateUser($user.Id, [Action[object]] { param($u) $u.Surname = 'Paused' })
        { Invoke-DbxProvisioningCycle } | Should -Throw -ExpectedMessage '*Provisioning is Off*Set-DbxProvisioningStatus -Status On*'
        (Get-TeamMember $user.UserPrincipalName).Surname | Should -Not -Be 'Paused'
        (Get-DbxProvisioningStatus).Code | Should -Be 'Paused'

        Set-DbxProvisioningStatus -Status On
        Invoke-DbxProvisioningCycle | Out-Null
        (Get-TeamMember $user.UserPrincipalName).Surname | Should -BeExactly 'Paused'
    }
}

Describe 'Drift repair' {
    It 'puts back a surname an admin edited in the Dropbox console, shows it under -WhatIf first, and logs it as drift' {
        Set-DbxProvisioningSetting -FullReconciliationInterval (New-TimeSpan -Days 1)
        (Get-DbxProvisioningStatus | Out-String) | Should -Match 'FullReconciliation\s*:\s*last never; next due \d{4}-\d\d-\d\d'
        $user = $directory.GetUser($created[6].SourceId)
        $member = Get-TeamMember $user.UserPrincipalName
        $dropbox.UpdateMember($member.TeamMemberId, { param($m) $m.Surname = 'ByHand' }) | Out-Null   # an admin's edit in the console

        $look = @(Invoke-DbxProvisioningCycle -WhatIf | Where-Object Drift)
        $look.Count | Should -Be 1
        $look[0].Reason | Should -BeLike "drift: changed in Dropbox by hand (*name.familyName: the engine wrote '$($user.Surname)', Dropbox held 'ByHand')*"
        (Get-TeamMember $user.UserPrincipalName).Surname | Should -BeExactly 'ByHand'

        $cycle = Invoke-DbxProvisioningCycle
        $cycle.Mode | Should -Be 'Initial'
        (Get-TeamMember $user.UserPrincipalName).Surname | Should -BeExactly $user.Surname
        $drift = @(Get-DbxProvisioningLog -Drift)
        $drift.Count | Should -Be 1
        $drift[0].CycleId | Should -Be $cycle.CycleId
        $drift[0].ModifiedPropertiesText | Should -BeLike "*name.familyName: 'ByHand' -> '$($user.Surname)'*"
        $status = Get-DbxProvisioningStatus
        $status.NextFullReconciliation | Should -Be $status.LastFullReconciliation.AddDays(1)
        ($status | Out-String) | Should -Match ('last {0}; next due {1}' -f $status.LastFullReconciliation.ToString('u'), $status.NextFullReconciliation.ToString('u'))
        Set-DbxProvisioningSetting -FullReconciliationInterval 0
        (Get-DbxProvisioningStatus).NextFullReconciliation | Should -BeNullOrEmpty
    }
}
