# One process, as an admin's session: other modules' assemblies (Add-Type -Path, as a module's RequiredAssemblies
# load them) before or after this module, a sandbox cycle through this module, and the other assemblies' own types
# in use. Writes "name=value" lines that the test reads; any error stops the script with a non-zero exit code.
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [string] $Others,
    [Parameter(Mandatory)] [ValidateSet('OthersFirst', 'ModuleFirst')] [string] $Order,
    [Parameter(Mandatory)] [ValidateSet('CurrentModules', 'OlderModules')] [string] $Set,
    # A container in Azurite: the cycles keep their state there (the module's own Azure.Core and Azure.Storage.Blobs at work).
    [string] $StateStorageUri
)
$ErrorActionPreference = 'Stop'

function Import-Others {
    # PowerShell's own copies (Newtonsoft.Json 13 in pwsh 7), already in the default context, stay PowerShell's: skipped.
    $loaded = [System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | ForEach-Object { $_.GetName().Name }
    foreach ($dll in Get-ChildItem -LiteralPath $Others -Filter *.dll) {
        if ($dll.BaseName -in $loaded -or $dll.BaseName -eq $Set) { "skipped=$($dll.BaseName)"; continue }
        Add-Type -LiteralPath $dll.FullName
        "loaded=$($dll.BaseName)"
    }
}

function Version-Of([type] $type) { $type.Assembly.GetName().Version.ToString() }

function Use-Others {
    if ($Set -eq 'CurrentModules') {
        # Microsoft.Graph's pipeline: Graph.Core 4 building its Kiota 2 middleware chain.
        $client = [Microsoft.Graph.GraphClientFactory]::Create()
        "graphcore=$(Version-Of ([Microsoft.Graph.GraphClientFactory]))"
        "graphcore.kiota=$(Version-Of ([Microsoft.Kiota.Http.HttpClientLibrary.Middleware.RetryHandler]))"
        "graphcore.client=$($client.GetType().Name)"
        $client.Dispose()
        "azurecore=$(Version-Of ([Azure.Core.HttpHeader]))"
        $header = [Azure.Core.HttpHeader]::new('x-ms-client-request-id', 'abc')
        "azurecore.header=$($header.Name)"
        $app = [Microsoft.Identity.Client.ConfidentialClientApplicationBuilder]::Create('11111111-2222-3333-4444-555555555555').WithClientSecret('not-a-secret').WithTenantId('contoso.onmicrosoft.com').Build()
        "msal=$(Version-Of ([Microsoft.Identity.Client.ConfidentialClientApplicationBuilder]))"
        "msal.authority=$($app.Authority)"
    }
    else {
        $handlers = [Microsoft.Kiota.Http.HttpClientLibrary.KiotaClientFactory]::CreateDefaultHandlers()
        "kiota=$(Version-Of ([Microsoft.Kiota.Http.HttpClientLibrary.KiotaClientFactory]))"
        "kiota.handlers=$($handlers.Count)"
        "azurecore=$(Version-Of ([Azure.Core.HttpHeader]))"
        $header = [Azure.Core.HttpHeader]::new('x-ms-client-request-id', 'abc')
        "azurecore.header=$($header.Name)"
    }
}

function Invoke-ModuleCycle([string] $label) {
    if (-not (Get-Module DropboxProvisioning)) { Import-Module $Manifest }
    $where = @{}
    if ($StateStorageUri) {
        $where = @{ StateStorageUri = "$StateStorageUri/$label"; StateStorageAccountKey = [System.Net.NetworkCredential]::new('', $env:DBX_STATE_KEY).SecurePassword }
    }
    $connection = Connect-DbxTenant -Sandbox -SandboxUserCount 12 -SandboxSeed 3 @where
    "$label.state=$($connection.StatePath)"
    $result = Invoke-DbxProvisioningCycle -Connection $connection
    "$label.status=$($result.Status)"
    "$label.created=$($result.Created)"
    "$label.failed=$($result.Failed)"
    "$label.members=$($connection.Sandbox.Dropbox.Members.Count)"
}

if ($Order -eq 'OthersFirst') {
    Import-Others
    Use-Others
    Invoke-ModuleCycle 'cycle'
    Use-Others
}
else {
    Invoke-ModuleCycle 'cycle'
    Import-Others
    Use-Others
    Invoke-ModuleCycle 'again'
}
# Where this module's engine and its dependencies came from.
foreach ($assembly in [AppDomain]::CurrentDomain.GetAssemblies()) {
    $name = $assembly.GetName()
    if ($name.Name -in 'DropboxProvisioning.Engine', 'Microsoft.Graph.Core', 'Newtonsoft.Json', 'Microsoft.Kiota.Http.HttpClientLibrary', 'Microsoft.Kiota.Abstractions', 'Azure.Core', 'Azure.Storage.Blobs') {
        "assembly=$($name.Name)|$($name.Version)|$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).GetType().Name)|$($assembly.Location)"
    }
}
