# Compliance checks an admin keeps in a Pester file and runs before every change goes live: the mappings and
# scoping filters in force say what policy says, and the cycle does what they say.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox
    $directory = $connection.Sandbox.Directory
}

Describe 'The mappings in force' {
    It 'match users by userPrincipalName to userName, and by nothing else' {
        $matching = @(Get-DbxAttributeMapping -ObjectType User | Where-Object MatchingPrecedence -gt 0)
        $matching.Count | Should -Be 1
        $matching[0].TargetAttribute | Should -Be 'userName'
        $matching[0].Source | Should -Be 'userPrincipalName'
    }

    It 'write no constant into any user attribute' {
        Get-DbxAttributeMapping -ObjectType User | Where-Object Type -eq 'Constant' | Should -BeNullOrEmpty
    }

    It 'map every attribute to one the connected API takes' {
        # The engine loads in the module's own context, where type literals do not reach.
        $schema = $connection.GetType().Assembly.GetType('DropboxProvisioning.Mapping.TargetSchema', $true)::For($connection.Api)
        foreach ($mapping in Get-DbxAttributeMapping) {
            $schema.Attributes($mapping.ObjectType) | Should -Contain $mapping.TargetAttribute
        }
    }

    It 'are the defaults, except what the change request lists' {
        Set-DbxAttributeMapping -TargetAttribute externalId -SourceAttribute employeeId
        $changed = Compare-Object (Get-DbxAttributeMapping -ObjectType User -Default) (Get-DbxAttributeMapping -ObjectType User) -Property TargetAttribute, Source |
            Where-Object SideIndicator -eq '=>'
        $changed.TargetAttribute | Should -Be @('externalId')
        Reset-DbxAttributeMapping -ObjectType User -Confirm:$false
    }

    It 'send a user''s mail as the work e-mail, lower-cased by an expression when policy asks' {
        Set-DbxAttributeMapping -TargetAttribute 'emails[type eq "work"].value' -Expression 'ToLower([mail])'
        $preview = Test-DbxAttributeMapping -SourceAttributes @{ userPrincipalName = 'Adele.Vance@contoso.com'; mail = 'Adele.Vance@Contoso.com'; givenName = 'Adele'; surname = 'Vance'; displayName = 'Adele Vance'; mailNickname = 'adele' }
        ($preview.Attributes | Where-Object TargetAttribute -eq 'emails[type eq "work"].value').Value | Should -BeExactly 'adele.vance@contoso.com'
        Reset-DbxAttributeMapping -ObjectType User -Confirm:$false
    }
}

Describe 'A scoping filter on the department' {
    BeforeAll {
        Add-DbxScopingFilter -Name 'Sales only' -SourceAttribute department -Operator EQUALS -Value Sales | Out-Null
        $cycle = Invoke-DbxProvisioningCycle
        $managed = @(Get-DbxProvisioningLog -CycleId $cycle.CycleId -Action Create -ObjectType User)
    }

    It 'is the only user filter, and says what it checks' {
        $filters = @(Get-DbxScopingFilter -ObjectType User)
        $filters.Count | Should -Be 1
        ($filters | Out-String) | Should -Match 'department'
    }

    It 'lets only Sales users into Dropbox' {
        $managed.Count | Should -BeGreaterThan 0
        foreach ($record in $managed) {
            $directory.GetUser($record.SourceId).Department | Should -Be 'Sales'
        }
    }

    It 'says why another department is out of scope' {
        $engineer = $directory.Users | Where-Object { $_.Department -eq 'Engineering' -and $_.AccountEnabled } | Select-Object -First 1
        $preview = Test-DbxAttributeMapping -UserId $engineer.UserPrincipalName
        $preview.InScope | Should -BeFalse
        $preview.ScopeReason | Should -Match 'department'
    }

    It 'is written to the configuration file kept in git' {
        $file = Export-DbxProvisioningConfiguration -Path (Join-Path $TestDrive 'dropbox.json')
        $text = Get-Content -LiteralPath $file.FullName -Raw
        $text | Should -Match 'Sales only'
        $text | Should -Match '"department"'
    }
}
