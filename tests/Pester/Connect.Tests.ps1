# An admin rehearses on the sandbox: connect, look at what the connection says, disconnect.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox
}

Describe 'Connect-DbxTenant -Sandbox' {
    It 'returns a connection to a generated tenant over SCIM' {
        $connection.GetType().FullName | Should -Be 'DropboxProvisioning.Connection.DbxConnection'
        $connection.Api | Should -Be 'Scim'
        $connection.Sandbox | Should -Not -BeNullOrEmpty
    }

    It 'keeps its state in a new temporary directory of its own' {
        $connection.Store.DirectoryPath | Should -BeLike ([IO.Path]::GetTempPath().TrimEnd('/\') + '*')
        $other = Connect-DbxTenant -Sandbox
        $other.Store.DirectoryPath | Should -Not -Be $connection.Store.DirectoryPath
    }

    It 'makes the connection current, so the next cmdlet needs no -Connection' {
        $status = Get-DbxProvisioningStatus
        $status | Should -Not -BeNullOrEmpty
    }
}
