# Tab completion as an admin meets it in the console: TabExpansion2 over the module's argument completers.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox
    $cycle = Invoke-DbxProvisioningCycle

    function Complete([string] $line) {
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
    }
}

Describe 'Completion of target attributes' {
    It 'offers the SCIM user attributes of the connected API' {
        $matches = Complete 'Add-DbxAttributeMapping -TargetAttribute name.'
        $matches.CompletionText | Should -Be @('name.familyName', 'name.formatted', 'name.givenName', 'name.middleName')
    }

    It 'quotes the attributes PowerShell would otherwise split' {
        (Complete 'Set-DbxAttributeMapping -TargetAttribute emails').CompletionText | Should -Contain "'emails[type eq `"work`"].value'"
    }

    It 'offers the group attributes with -ObjectType Group' {
        $texts = (Complete 'Remove-DbxAttributeMapping -ObjectType Group -TargetAttribute ').CompletionText
        $texts | Should -Be @('displayName', 'externalId', 'members')
    }

    It 'offers the Team API schema on a Team API connection, and SCIM for an explicit SCIM -Connection' {
        $global:scimConnection = $connection
        Connect-DbxTenant -Sandbox -Api TeamApi | Out-Null
        try {
            $teamApi = (Complete 'Add-DbxAttributeMapping -TargetAttribute ').CompletionText
            $teamApi | Should -Contain 'persistentId'
            $teamApi | Should -Contain 'role'
            $teamApi | Should -Not -Contain 'title'
            $teamApi | Should -Contain 'spaceLimitGb'
            $teamApi | Should -Contain 'secondaryEmails'
            $scim = (Complete 'Add-DbxAttributeMapping -Connection $scimConnection -TargetAttribute ').CompletionText
            $scim | Should -Contain 'title'
            $scim | Should -Not -Contain 'role'
            $scim | Should -Not -Contain 'spaceLimitGb'
            $scim | Should -Not -Contain 'secondaryEmails'
        }
        finally {
            Connect-DbxTenant -Sandbox -SandboxConnection $connection | Out-Null
            Remove-Variable -Name scimConnection -Scope Global
        }
    }
}

Describe 'Completion of source attributes' {
    It 'offers Graph user properties' {
        (Complete 'Add-DbxAttributeMapping -TargetAttribute title -SourceAttribute job').CompletionText | Should -Be @('jobTitle')
    }

    It 'offers group properties with -ObjectType Group' {
        $texts = (Complete 'Add-DbxScopingFilter -ObjectType Group -Name Groups -SourceAttribute mail').CompletionText
        $texts | Should -Contain 'mailNickname'
        $texts | Should -Contain 'mailEnabled'
        $texts | Should -Not -Contain 'userPrincipalName'
    }

    It 'offers the extension attributes the job already uses' {
        Connect-DbxTenant -Sandbox | Out-Null   # another job: the sandbox directory has no such extension for a cycle to read
        try {
            Add-DbxAttributeMapping -TargetAttribute nickName -SourceAttribute extension_0f1e2d3c4b5a_costCenter | Out-Null
            (Complete 'Add-DbxScopingFilter -Name Cost -SourceAttribute ext').CompletionText | Should -Be @('extension_0f1e2d3c4b5a_costCenter')
        }
        finally {
            Connect-DbxTenant -Sandbox -SandboxConnection $connection | Out-Null
        }
    }
}

Describe 'Completion of scoping operators' {
    It 'offers the 14 operators of Entra, quoting & and !&' {
        $texts = (Complete 'Add-DbxScopingFilter -Name Sales -SourceAttribute department -Operator ').CompletionText
        $texts.Count | Should -Be 14
        $texts | Should -Contain 'NOT_EQUALS'
        $texts | Should -Contain 'REGEX_MATCH'
        $texts | Should -Contain "'&'"
        $texts | Should -Contain "'!&'"
    }

    It 'completes a partly typed operator, and the completion is accepted by the cmdlet' {
        $text = (Complete 'Add-DbxScopingFilter -Name Sales -SourceAttribute department -Operator ENDS').CompletionText
        $text | Should -Be 'ENDS_WITH'
        Add-DbxScopingFilter -Name Sales -SourceAttribute department -Operator $text -Value s -WhatIf
    }
}

Describe 'Completion of cycle ids and identities' {
    It 'offers the cycles of the log, with what they did' {
        $matches = Complete 'Get-DbxProvisioningLog -CycleId '
        $matches.CompletionText | Should -Contain $cycle.CycleId
        ($matches | Where-Object CompletionText -eq $cycle.CycleId).ToolTip | Should -Match "Initial Succeeded: created $($cycle.Created)"
    }

    It 'offers the managed accounts of the state' {
        $managed = Get-DbxProvisioningLog -CycleId $cycle.CycleId -Action Create -ObjectType User -First 1
        $prefix = $managed.TargetIdentity.Substring(0, 6)
        (Complete "Get-DbxProvisioningLog -Identity $prefix").CompletionText | Should -Contain $managed.TargetIdentity
    }

    It 'offers the held deletions to Approve-DbxProvisioningDeletion' {
        Set-DbxProvisioningSetting -DeletionThreshold 1
        $blocked = Get-DbxProvisioningLog -CycleId $cycle.CycleId -Action Create -ObjectType User -First 2
        $blocked | ForEach-Object { $connection.Sandbox.Directory.UpdateUser($_.SourceId, [Action[object]] { param($user) $user.AccountEnabled = $false }) }
        Invoke-DbxProvisioningCycle -WarningAction SilentlyContinue | Out-Null
        (Complete 'Approve-DbxProvisioningDeletion -TargetIdentity ').CompletionText | Sort-Object | Should -Be ($blocked.TargetIdentity | Sort-Object)
    }
}

Describe 'Completion of activity names' {
    It 'offers every activity name of the team log' {
        # The engine loads in the module's own context, where type literals do not reach: its types come from an object's assembly.
        $eventTypes = $connection.GetType().Assembly.GetType('DropboxProvisioning.Activity.ActivityEventTypes', $true)
        $names = $eventTypes::All.Activity | Sort-Object -Unique
        $names.Count | Should -BeGreaterThan 500
        (Complete 'Get-DbxActivity -Activity ').Count | Should -Be $names.Count
    }

    It 'completes a name with spaces, quoted' {
        (Complete 'Get-DbxActivity -Activity Upload').CompletionText | Should -Contain "'Upload file'"
    }

    It 'finds names by a word inside them' {
        $texts = (Complete "Get-DbxActivity -Activity 'shared link").CompletionText
        $texts.Count | Should -BeGreaterThan 3
        $texts | ForEach-Object { $_ | Should -BeLike "*shared link*" }
    }

    It 'offers event types and categories' {
        (Complete 'Get-DbxActivity -EventType file_ad').CompletionText | Should -Contain 'file_add'
        (Complete 'Get-DbxActivity -Category shar').CompletionText | Should -Contain 'sharing'
    }
}
