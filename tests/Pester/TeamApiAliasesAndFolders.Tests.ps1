# A Dropbox admin on the Team API: Entra's alias addresses as Dropbox secondary e-mails, and provisioned groups given
# access to team folders. Written as an admin checks a job: cmdlets, -WhatIf, the log, and the team itself.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
}

Describe 'Aliases from proxyAddresses become secondary e-mails' {
    BeforeAll {
        $connection = Connect-DbxTenant -Sandbox -Api TeamApi -SandboxUserCount 12 -SandboxSeed 65
        $dropbox = $connection.Sandbox.Dropbox
        $directory = $connection.Sandbox.Directory
        $null = Invoke-DbxProvisioningCycle
        $dropbox.AcceptInvitations(1.0)
        $created = @(Get-DbxProvisioningLog -ObjectType User -Action Create -Status Success | Sort-Object TargetIdentity)
        $alias = $created[0]
        $other = $created[1]
        $aliasUpn = $directory.GetUser($alias.SourceId).UserPrincipalName
        function Get-SecondaryEmail([string] $userName) {
            @($dropbox.FindByEmail($userName).SecondaryEmails | ForEach-Object { $_.Email.ToLowerInvariant() } | Sort-Object)
        }
        $directory.UpdateUser($alias.SourceId, [Action[object]] { param($user) $user.ProxyAddresses = [string[]] @("SMTP:$aliasUpn", 'smtp:first.alias@fabrikam.example', 'x500:/o=Contoso/cn=first') })
        # An address the member added in Dropbox by hand: not the mapping's, never touched.
        $null = $dropbox.AddSecondaryEmail($dropbox.FindByEmail($aliasUpn).TeamMemberId, 'hand@elsewhere.example', [ref] $null)
        Add-DbxAttributeMapping -TargetAttribute secondaryEmails -SourceAttribute proxyAddresses
    }

    It 'shows the alias it would add under -WhatIf and adds nothing' {
        $look = @(Invoke-DbxProvisioningCycle -WhatIf | Where-Object { $_.Action -eq 'Update' -and $_.SourceId -eq $alias.SourceId })
        $look.Count | Should -Be 1
        ($look[0].ModifiedProperties | Where-Object Name -eq 'secondaryEmails').NewValue | Should -Match 'first\.alias@fabrikam\.example'
        Get-SecondaryEmail $aliasUpn | Should -Be @('hand@elsewhere.example')
    }

    It 'adds the smtp: alias only (not the primary, not x500:) and keeps the address added by hand' {
        $cycle = Invoke-DbxProvisioningCycle
        $cycle.Failed | Should -Be 0
        Get-SecondaryEmail $aliasUpn | Should -Be @('first.alias@fabrikam.example', 'hand@elsewhere.example')
        $otherUpn = $directory.GetUser($other.SourceId).UserPrincipalName
        Get-SecondaryEmail $otherUpn | Should -Not -Contain 'first.alias@fabrikam.example'
        @(Get-DbxProvisioningLog -CycleId $cycle.CycleId -Action Update | Where-Object SourceId -eq $alias.SourceId).Count | Should -Be 1
    }

    It 'deletes the alias once it is gone from Entra, and only that one' {
        $directory.UpdateUser($alias.SourceId, [Action[object]] { param($user) $user.ProxyAddresses = [string[]] @("SMTP:$aliasUpn") })
        $cycle = Invoke-DbxProvisioningCycle
        $cycle.Updated | Should -Be 1
        Get-SecondaryEmail $aliasUpn | Should -Be @('hand@elsewhere.example')
        (Invoke-DbxProvisioningCycle).Updated | Should -Be 0
    }
}

Describe 'Provisioned groups get access to team folders' {
    BeforeAll {
        $connection = Connect-DbxTenant -Sandbox -Api TeamApi -SandboxUserCount 30 -SandboxSeed 61
        $dropbox = $connection.Sandbox.Dropbox
        # Sharing calls are made as the authorizing admin (token/get_authenticated_admin): the team needs one.
        $admin = $dropbox.AddMember('it-admin@contoso.example', 'Ida', 'Admin', 'Active')
        $dropbox.UpdateMember($admin.TeamMemberId, [Action[object]] { param($member) $member.Role = 'team_admin' })
        $null = Invoke-DbxProvisioningCycle
        $group = (Get-DbxProvisioningLog -ObjectType Group -Action Create -Status Success | Select-Object -First 1).TargetIdentity
        function Get-FolderAccess([string] $folder) {
            $teamFolder = $dropbox.TeamFolders.FindByName($folder)
            if ($teamFolder) { $dropbox.TeamFolders.AccessOf($teamFolder.TeamFolderId, $dropbox.FindGroupByName($group).GroupId) }
        }
    }

    It 'shows the grant and the new team folder under -WhatIf and creates nothing' {
        Set-DbxTeamFolderAccess -Group $group -TeamFolder 'Projects 2027' -AccessLevel Editor -Create
        $look = @(Invoke-DbxProvisioningCycle -WhatIf | Where-Object { $_.PSObject.Properties['TeamFolder'] -and $_.TeamFolder -eq 'Projects 2027' })
        $look.Count | Should -Be 1
        "$($look[0].Action)" | Should -Be 'Grant'
        $look[0].CreatesTeamFolder | Should -BeTrue
        $dropbox.TeamFolders.FindByName('Projects 2027') | Should -BeNullOrEmpty
    }

    It 'creates the team folder, grants the group editor access, and logs the grant' {
        $cycle = Invoke-DbxProvisioningCycle
        $cycle.TeamFolderAccessGranted | Should -Be 1
        $cycle.Failed | Should -Be 0
        Get-FolderAccess 'Projects 2027' | Should -Be 'editor'
        (Get-DbxTeamFolderAccess -TeamFolder 'Projects 2027').State | Should -Be 'Granted'
        @(Get-DbxProvisioningLog -ObjectType TeamFolderAccess -Action Create -Status Success).Count | Should -Be 1
    }

    It 'changes the level and then removes its own grant when the row goes' {
        Set-DbxTeamFolderAccess -Group $group -TeamFolder 'Projects 2027' -AccessLevel Viewer
        (Invoke-DbxProvisioningCycle).TeamFolderAccessChanged | Should -Be 1
        Get-FolderAccess 'Projects 2027' | Should -Be 'viewer'
        Remove-DbxTeamFolderAccess -Group $group -TeamFolder 'Projects 2027' -Confirm:$false
        (Invoke-DbxProvisioningCycle).TeamFolderAccessRevoked | Should -Be 1
        Get-FolderAccess 'Projects 2027' | Should -BeNullOrEmpty
        $dropbox.TeamFolders.FindByName('Projects 2027') | Should -Not -BeNullOrEmpty   # the folder and its files stay
    }
}
