# An admin sends the week's cycles to a colleague: one HTML file that opens anywhere, without a network.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../DropboxProvisioning.psd1') -Force
    $connection = Connect-DbxTenant -Sandbox -SandboxUserCount 60 -SandboxSeed 21
    $sandbox = $connection.Sandbox

    # A week with trouble: the team runs out of licenses (failures, escrows), then a mass unassignment is held.
    $sandbox.Dropbox.LicenseLimit = $sandbox.Dropbox.Members.Count + 20
    $first = Invoke-DbxProvisioningCycle -WarningAction SilentlyContinue
    $second = Invoke-DbxProvisioningCycle -Force -WarningAction SilentlyContinue
    Set-DbxProvisioningSetting -DeletionThreshold 2 -Confirm:$false
    # Four provisioned users leave scope: unassigned, and not in scope through a group either (which creates succeed
    # under the license limit, and so which users come first, depends on the order the answers came back).
    $created = [System.Collections.Generic.List[object]]::new()
    foreach ($record in Get-DbxProvisioningLog -Action Create -Status Success -ObjectType User) {
        $sandbox.Directory.Unassign($record.SourceId)
        if (-not (Test-DbxAttributeMapping -UserId $record.SourceId).InScope) { $created.Add($record) }
        if ($created.Count -eq 4) { break }
    }
    $third = Invoke-DbxProvisioningCycle -Force -WarningAction SilentlyContinue
    $status = Get-DbxProvisioningStatus

    $artifacts = Join-Path $PSScriptRoot '../../TestResults'
    New-Item -ItemType Directory -Path $artifacts -Force | Out-Null
    $reportPath = Join-Path $artifacts 'provisioning-report.html'
    $screenshot = Join-Path $artifacts 'provisioning-report.png'
    $report = Export-DbxProvisioningReport -Path $reportPath
    $html = Get-Content -LiteralPath $reportPath -Raw

    # Debian's chromium, installed non-interactively when it is missing (the CI machine starts without it).
    $chromium = '/usr/bin/chromium'
    if ($IsLinux -and -not (Test-Path -LiteralPath $chromium)) {
        $env:DEBIAN_FRONTEND = 'noninteractive'
        # As root apt-get itself; otherwise through sudo without a prompt. (`& @prefix apt-get` with an empty prefix is not a
        # command at all in PowerShell, so the two are spelled out.)
        $apt = if ((& id -u) -eq '0') { { & apt-get @args } } else { { & sudo -n apt-get @args } }
        & $apt update -qq 2>&1 | Out-Null
        & $apt install -y -qq --no-install-recommends chromium 2>&1 | Out-Null
        if (-not (Test-Path -LiteralPath $chromium)) { throw "chromium could not be installed with apt-get (run as root, or with sudo that asks no password)." }
    }
    # One headless launch, offline and with a profile of its own: the DOM as parsed, and a screenshot kept as an artifact.
    $chromeProfile = Join-Path ([IO.Path]::GetTempPath()) ('dbx-chromium-' + [guid]::NewGuid().ToString('N'))
    $url = ([Uri]::new('file://' + (Resolve-Path -LiteralPath $reportPath).Path)).AbsoluteUri
    Remove-Item -LiteralPath $screenshot -ErrorAction SilentlyContinue
    $dom = (& $chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking `
        --disable-component-update --disable-sync "--user-data-dir=$chromeProfile" --window-size=1200,2000 "--screenshot=$screenshot" --dump-dom $url 2>$null) -join "`n"
    Remove-Item -LiteralPath $chromeProfile -Recurse -Force -ErrorAction SilentlyContinue
    # Chromium serializes HTML: its only void elements here are the two <meta>; without them the DOM reads as XML.
    $page = [xml]($dom -replace '<!DOCTYPE html>', '' -replace '<meta[^>]*>', '' -replace '&nbsp;', ' ')
}

Describe 'Export-DbxProvisioningReport' {
    It 'writes one HTML file and returns it' {
        $report | Should -BeOfType ([IO.FileInfo])
        $report.FullName | Should -Be (Resolve-Path -LiteralPath $reportPath).Path
        $report.Length | Should -BeGreaterThan 2000
    }

    It 'needs no network: no script, no external style, image, font or link' {
        $html | Should -Not -Match '<script|<link|<img|<iframe|@import|url\('
        $html | Should -Not -Match '(src|href)\s*='
        $html | Should -Match "default-src 'none'"
    }

    It 'opens in headless Chromium and keeps a screenshot' {
        $dom | Should -Match '<h1>Dropbox provisioning report</h1>'
        Test-Path -LiteralPath $screenshot | Should -BeTrue
        (Get-Item -LiteralPath $screenshot).Length | Should -BeGreaterThan 10000
    }

    It 'charts the last cycles: created, updated, suspended, deleted and failed per cycle, and the duration' {
        $svg = $page.html.body.svg
        $svg.id | Should -Be 'cycle-chart'
        $cycles = @($status.LastExecutions).Count
        foreach ($series in 'created', 'updated', 'suspended', 'deleted', 'failed') {
            @($svg.rect | Where-Object { "$($_.class)" -match "\bbar $series\b" }).Count | Should -Be $cycles
        }
        @($svg.circle).Count | Should -Be $cycles
        $failedBars = @($svg.rect | Where-Object { "$($_.class)" -match '\bbar failed\b' } | ForEach-Object { $_.title })
        $failedBars | Should -Contain ('{0:yyyy-MM-dd HH:mm} Failed: {1}' -f $first.StartTime.UtcDateTime, $first.Failed)
        $table = $page.SelectSingleNode("//table[@id='cycle-table']")
        @($table.tbody.tr).Count | Should -Be $cycles
        $table.tbody.tr[-1].td[1] | Should -Be $first.CycleId
    }

    It 'shows the quarantine' {
        $status.Quarantine | Should -Not -BeNullOrEmpty
        $page.SelectSingleNode("//h2[@id='quarantine']/following-sibling::p[1]").InnerText | Should -Match ([regex]::Escape($status.Quarantine.Reason))
    }

    It 'lists the held deletions' {
        $rows = @($page.SelectNodes("//table[@id='held-table']/tbody/tr"))
        $rows.Count | Should -Be 4
        ($rows | ForEach-Object { $_.td[0] } | Sort-Object) | Should -Be ($status.StagedDeletions.TargetIdentity | Sort-Object)
    }

    It 'counts the escrows due' {
        $status.Escrows.Count | Should -BeGreaterThan 0
        $due = @($status.Escrows | Where-Object { $_.NextAttempt -le [DateTimeOffset]::UtcNow }).Count
        $page.SelectSingleNode("//h2[@id='escrows']").InnerText | Should -Match "Escrows \($due due of $($status.Escrows.Count)\)"
        @($page.SelectNodes("//table[@id='escrow-table']/tbody/tr")).Count | Should -Be $status.Escrows.Count
    }

    It 'names the top failure reasons with the users affected' {
        $failures = @(Get-DbxProvisioningLog -Status Failure)
        $failures.Count | Should -BeGreaterThan 0
        $top = $page.SelectSingleNode("//table[@id='failure-table']/tbody/tr[1]")
        $top.td[0] | Should -Match 'licen[cs]e'
        [int]($top.td[1] -replace '[^0-9]', '') | Should -Be $failures.Count
        $top.td[2] | Should -Match ([regex]::Escape(($failures | Select-Object -First 1).SourceIdentity))
    }

    It 'shows the mappings in force' {
        $rows = @($page.SelectNodes("//table[@id='mapping-table']/tbody/tr"))
        $rows.Count | Should -Be @(Get-DbxAttributeMapping).Count
        ($rows | Where-Object { $_.td[1] -eq 'userName' }).td[3] | Should -Be 'userPrincipalName'
    }
}
