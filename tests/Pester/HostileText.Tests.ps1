BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:notRoot = -not (Test-IsRoot)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $script:schemas = Join-Path (Get-Module Pester).ModuleBase 'schemas'

    # The terminal attack a rule comment can carry: set the window title, ring, clear the screen.
    $script:esc = [char]27
    $script:comment = "evil$esc]0;pwned$([char]7)$esc[2J$([char]1)end"
    $script:shownComment = 'evil\x1b]0;pwned\x07\x1b[2J\x01end'
    $script:chain = "EV$esc[2JIL"
    $script:shownChain = 'EV\x1b[2JIL'

    # Control characters other than the line breaks and tabs formatting itself writes.
    function Get-ControlCharacter([string] $Text) {
        @([regex]::Matches($Text, '[\x00-\x08\x0b-\x1f\x7f-\x9f]') | ForEach-Object { '\x{0:x2} at {1}' -f [int][char] $_.Value, $_.Index })
    }
}

Describe 'Hostile text in rules: a comment or chain name holding terminal escapes' -Skip:$notRoot {
    BeforeAll {
        $script:ns = New-TestNamespace 'hostile'
        $script:work = Join-Path ([IO.Path]::GetTempPath()) "snattools-hostile-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = New-Item -ItemType Directory $work
        # As a new user would add them (issue 12.5), plus a chain whose name carries the escape.
        $null = Invoke-InNamespace $ns iptables-nft @('-t', 'nat', '-A', 'POSTROUTING', '-s', '198.18.90.0/24', '-m', 'comment', '--comment', $comment, '-j', 'MASQUERADE')
        $null = Invoke-InNamespace $ns iptables-nft @('-t', 'nat', '-N', $chain)
        $null = Invoke-InNamespace $ns iptables-nft @('-t', 'nat', '-A', 'POSTROUTING', '-j', $chain)
        $null = Invoke-InNamespace $ns iptables-nft @('-t', 'nat', '-A', $chain, '-s', '198.18.92.0/24', '-j', 'MASQUERADE')
        $script:save = (Invoke-InNamespace $ns iptables-nft-save @('-t', 'nat')) -join "`n"
    }

    AfterAll {
        Remove-TestNamespace $ns
        if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force }
    }

    It 'keeps the rule byte for byte: Text is the iptables-save line, Comment the comment' {
        $rules = @(Get-SnatRule -NetworkNamespace $ns)
        $rules | Should -HaveCount 2
        $commented = $rules | Where-Object Comment -EQ $comment
        $commented.Text | Should -BeExactly "-A POSTROUTING -s 198.18.90.0/24 -m comment --comment `"$comment`" -j MASQUERADE"
        $save -split "`n" | Should -Contain $commented.Text
        ($rules | Where-Object Chain -EQ $chain).Text | Should -BeExactly "-A $chain -s 198.18.92.0/24 -j MASQUERADE"
    }

    It 'shows them escaped in the default table and list views, with no control character' {
        $table = Get-SnatRule -NetworkNamespace $ns | Out-String -Width 250
        $list = Get-SnatRule -NetworkNamespace $ns | Format-List | Out-String -Width 250
        Get-ControlCharacter $table | Should -BeNullOrEmpty
        Get-ControlCharacter $list | Should -BeNullOrEmpty
        $table | Should -Match ([regex]::Escape($shownChain))
        $list | Should -Match ([regex]::Escape("Comment             : $shownComment"))
        $list | Should -Match ([regex]::Escape("Chain               : $shownChain"))
        $list | Should -Match ([regex]::Escape("--comment `"$shownComment`" -j MASQUERADE"))
    }

    It 'reaches the host of a fresh pwsh escaped: views, Set-SnatRule -WhatIf, and the audit''s console output' {
        $quoted = $ns -replace "'", "''"
        $finished = Invoke-TestPwsh -Command @"
`$ErrorActionPreference = 'Continue'
Get-SnatRule -NetworkNamespace '$quoted'
Get-SnatRule -NetworkNamespace '$quoted' | Format-List
Get-SnatRule -NetworkNamespace '$quoted' | Set-SnatRule -RandomFully -WhatIf -Verbose
Invoke-SnatAudit -NetworkNamespace '$quoted' -Interval 0.2
"@
        $all = $finished.Output + $finished.Errors
        $all | Should -Match ([regex]::Escape($shownComment))
        $all | Should -Match ([regex]::Escape("What if: Performing the operation"))
        $all | Should -Match 'every reachable MASQUERADE/SNAT rule sets random-fully'
        Get-ControlCharacter $all | Should -BeNullOrEmpty -Because "no raw control character may reach the terminal; output was:`n$all"
        $all.Contains($esc) | Should -BeFalse
    }

    It 'writes a well-formed <Format> report that names the rule' -ForEach @(
        @{ Format = 'JUnitXml'; Schema = 'JUnit4/junit_schema_4.xsd'; Failure = '//testcase/failure/@message' }
        @{ Format = 'NUnitXml'; Schema = 'NUnit25/nunit_schema_2.5.xsd'; Failure = '//test-case/failure/message' }
    ) {
        $report = Join-Path $work "$Format.xml"
        $quoted = $ns -replace "'", "''"
        $finished = Invoke-TestPwsh -Command "Invoke-SnatAudit -NetworkNamespace '$quoted' -Interval 0.2 -OutputFormat $Format -OutputPath '$report' -PassThru | ForEach-Object { `$_.Result; `$_.ReportPath }"
        $finished.Output | Should -Match 'Failed'
        $finished.Output | Should -Match ([regex]::Escape($report))
        $finished.Output + $finished.Errors | Should -Not -Match 'Sequence contains no elements|invalid character'

        [xml] $xml = Get-Content -Raw $report   # throws on malformed XML
        Test-XmlAgainstSchema $report (Join-Path $schemas $Schema) | Should -BeNullOrEmpty
        $failures = @($xml.SelectNodes($Failure) | ForEach-Object { if ($_ -is [Xml.XmlAttribute]) { $_.Value } else { $_.InnerText } })
        $named = $failures | Where-Object { $_ -match [regex]::Escape("-A POSTROUTING -s 198.18.90.0/24 -m comment --comment `"$shownComment`" -j MASQUERADE") }
        $named | Should -HaveCount 1 -Because 'the random-fully check names the rule, its comment escaped'
        $named | Should -Match ([regex]::Escape("-A $shownChain -s 198.18.92.0/24 -j MASQUERADE"))
        Get-ChildItem $work -Force -Filter ".$Format.xml.*.tmp" | Should -BeNullOrEmpty -Because 'the temporary report is renamed into place'
    }
}
