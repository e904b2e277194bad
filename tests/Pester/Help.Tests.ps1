# The help an admin reads: Get-Help -Full for every cmdlet (synopsis, description, every parameter, examples,
# inputs, outputs, related links), about_DropboxProvisioning, and every example run as it is against the sandbox.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $cmdlets = Get-Command -Module DropboxProvisioning -CommandType Cmdlet | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } }
    $examples = foreach ($cmdlet in $cmdlets) {
        $number = 0
        foreach ($example in (Get-Help $cmdlet.Name -Full).examples.example) {
            $number++
            @{ Name = $cmdlet.Name; Number = $number; Code = ($example.code -join "`n") }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

    # The examples of Connect-DbxTenant -SandboxUri connect to a sandbox served from its own process: the built dbxhost,
    # started here as an admin starts it; $SandboxUri is the address it prints.
    $dbxhost = Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '../../src/DropboxProvisioning.Host/bin') -Recurse -Filter dbxhost.dll |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($dbxhost.FullName, 'sandbox', '--port', '0', '--users', '50')) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $sandboxHost = [System.Diagnostics.Process]::Start($start)
    $SandboxUri = $null
    while ($null -eq $SandboxUri -and $null -ne ($line = $sandboxHost.StandardOutput.ReadLine())) {
        if ($line -match 'Connect-DbxTenant -SandboxUri (http://\S+)$') { $SandboxUri = $Matches[1] }
    }
}

AfterAll {
    if ($sandboxHost -and -not $sandboxHost.HasExited) { $sandboxHost.Kill(); $sandboxHost.WaitForExit() }
}

Describe 'Get-Help <Name> -Full' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
        $text = $help | Out-String -Width 200
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "*$Name *[<CommonParameters>]*"   # what Get-Help shows when there is no help
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $parameters = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }
        $described = @{}
        foreach ($parameter in $help.parameters.parameter) { $described[$parameter.name] = ($parameter.description.Text -join ' ') }
        foreach ($parameter in $parameters) {
            $described[$parameter] | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs a description"
        }
    }

    It 'says which parameters are positional and which take wildcards, as the cmdlet binds them' {
        foreach ($parameter in $help.parameters.parameter) {
            $metadata = (Get-Command $Name).Parameters[$parameter.name]
            $positions = @($metadata.ParameterSets.Values.Position | Where-Object { $_ -ge 0 })
            $expected = if ($positions.Count -gt 0) { "$(($positions | Measure-Object -Minimum).Minimum)" } else { 'named' }
            $parameter.position | Should -Be $expected -Because "-$($parameter.name) of $Name"
            $wildcards = [bool]($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            $parameter.globbing | Should -Be "$wildcards".ToLowerInvariant() -Because "-$($parameter.name) of $Name"
        }
    }

    It 'has at least two examples, each with code and remarks' {
        $help.examples.example.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $help.examples.example) {
            ($example.code -join '') | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join '') | Should -Not -BeNullOrEmpty
        }
    }

    It 'names its inputs and outputs, and links to related help' {
        $help.inputTypes.inputType.type.name | Should -Not -BeNullOrEmpty
        $help.returnValues.returnValue.type.name | Should -Not -BeNullOrEmpty
        $help.relatedLinks.navigationLink.linkText | Should -Contain 'about_DropboxProvisioning'
    }

    It 'shows all of it in the text of Get-Help -Full' {
        $text | Should -Match 'SYNOPSIS'
        $text | Should -Match '-------------------------- Example 1 --------------------------'
        $text | Should -Match 'INPUTS'
        $text | Should -Match 'OUTPUTS'
        $text | Should -Match 'RELATED LINKS'
        $firstParameter = @($help.parameters.parameter)[0]
        $text | Should -Match ([regex]::Escape(($firstParameter.description.Text -join ' ').Substring(0, [Math]::Min(40, ($firstParameter.description.Text -join ' ').Length))))
    }
}

Describe 'about_DropboxProvisioning' {
    It 'explains <_>' -ForEach 'CYCLES', 'SCOPE', 'MATCHING', 'QUARANTINE', 'STATE AND WHERE IT LIVES', 'THE SANDBOX' {
        Get-Help about_DropboxProvisioning | Out-String | Should -Match $_
    }
}

Describe 'Example <Number> of <Name>' -ForEach $examples {
    It 'runs as it is against the sandbox, without an error' {
        if ($Code -match '\$SandboxUri') { $SandboxUri | Should -Not -BeNullOrEmpty -Because 'dbxhost sandbox printed its address' }
        Connect-DbxTenant -Sandbox | Out-Null   # a new job: the example starts from the sandbox's first state
        Push-Location -LiteralPath $TestDrive
        try {
            $ErrorActionPreference = 'Stop'
            $output = & ([scriptblock]::Create($Code)) | Out-String -Width 200
        }
        finally {
            Pop-Location
        }
        $Error.Count | Should -Be 0 -Because ($Error | Out-String)
    }
    BeforeEach { $Error.Clear() }
}
