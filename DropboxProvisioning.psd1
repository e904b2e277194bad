@{
    # The manifest at the repository root loads the module straight from the checkout after `dotnet build`:
    # the assemblies are built into out/DropboxProvisioning. build.ps1 -Task Package writes a flat copy.
    # The loader is a nested module, so PowerShell imports it before the cmdlets: it keeps the engine and its
    # third-party assemblies (Dependencies/) apart from other modules' copies of them.
    RootModule             = 'out/DropboxProvisioning/DropboxProvisioning.Commands.dll'
    NestedModules          = @('out/DropboxProvisioning/DropboxProvisioning.Loader.dll')
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Desktop', 'Core')
    GUID                   = '5d7c1f0e-3b8a-4f52-9d61-2c4e8a9b7d30'
    Author                 = 'DropboxProvisioning contributors'
    CompanyName            = 'DropboxProvisioning'
    Copyright              = '(c) DropboxProvisioning contributors. MIT License.'
    Description            = 'Provisions Entra ID users and groups into Dropbox for Business over SCIM 2.0, as the Entra provisioning service does, from PowerShell; with a built-in sandbox tenant to rehearse on.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('module/DropboxProvisioning.Format.ps1xml')
    FunctionsToExport      = @()
    CmdletsToExport        = @(
        'Connect-DbxTenant'
        'Disconnect-DbxTenant'
        'Get-DbxAttributeMapping'
        'Invoke-DbxProvisioningCycle'
        'Get-DbxProvisioningStatus'
        'Set-DbxProvisioningStatus'
        'Set-DbxAttributeMapping'
        'Add-DbxAttributeMapping'
        'Remove-DbxAttributeMapping'
        'Reset-DbxAttributeMapping'
        'Test-DbxAttributeMapping'
        'Get-DbxScopingFilter'
        'Add-DbxScopingFilter'
        'Remove-DbxScopingFilter'
        'Get-DbxOffboardingPolicy'
        'Set-DbxOffboardingPolicy'
        'Remove-DbxOffboardingPolicy'
        'Export-DbxProvisioningConfiguration'
        'Import-DbxProvisioningConfiguration'
        'Get-DbxProvisioningSetting'
        'Set-DbxProvisioningSetting'
        'Restart-DbxProvisioning'
        'Approve-DbxProvisioningDeletion'
        'Start-DbxProvisioningOnDemand'
        'Get-DbxProvisioningLog'
        'Connect-DbxActivity'
        'Test-DbxConnection'
        'Get-DbxActivity'
        'Export-DbxProvisioningReport'
        'Get-DbxTeamFolderAccess'
        'Set-DbxTeamFolderAccess'
        'Remove-DbxTeamFolderAccess'
    )
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Dropbox', 'EntraID', 'AzureAD', 'SCIM', 'Provisioning', 'Identity', 'MicrosoftGraph', 'PSEdition_Desktop', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/dropbox-provisioning/DropboxProvisioning'
            LicenseUri   = 'https://github.com/dropbox-provisioning/DropboxProvisioning/blob/main/LICENSE'
            ReleaseNotes = 'First release: SCIM 2.0 and Team API targets, mappings, scoping filters, quarantine, accidental-deletion prevention, on-demand provisioning, provisioning logs, the Dropbox activity log, a built-in sandbox tenant. Loads beside Microsoft.Graph, Az and other modules: its dependencies are isolated (PowerShell 7: its own load context; Windows PowerShell 5.1: a resolver limited to its own folder).'
        }
    }
}
