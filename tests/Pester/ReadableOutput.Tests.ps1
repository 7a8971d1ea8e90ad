# Every output type, as an operator hands it to a dashboard or a spreadsheet: ConvertTo-Json at its
# default depth and at -Depth 5, and Export-Csv. Addresses, ranges, durations and enums must come
# out as readable text, nothing internal (locators, raw bytes, .NET type names, field dumps).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:notRoot = -not (Test-IsRoot)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force

    # Keys that only appear when an IPAddress, a TimeSpan or a rule locator is dumped field by field.
    $script:internalKeys = 'AddressFamily|ScopeId|IsIPv6\w*|IsIPv4MappedToIPv6|Locator|Ticks|TotalMilliseconds|TotalSeconds|Entry|BlobDigest|Rule'

    # Walks what ConvertFrom-Json made of the text and yields every leaf value with its path.
    function Get-JsonLeaf($Node, [string] $Path = '') {
        if ($null -eq $Node) { return }
        if ($Node -is [System.Collections.IList]) {
            for ($i = 0; $i -lt $Node.Count; $i++) { Get-JsonLeaf $Node[$i] "$Path[$i]" }
        }
        elseif ($Node -is [pscustomobject]) {
            foreach ($property in $Node.PSObject.Properties) { Get-JsonLeaf $property.Value "$Path.$($property.Name)" }
        }
        else {
            [pscustomobject]@{ Path = $Path; Value = $Node }
        }
    }

    # A value that is a .NET type name ("System.Collections.Generic.List`1[...]") or a record dump
    # ("NatRange { Flags = ... }") means an object was printed instead of its content.
    function Test-Unreadable([string] $Text) {
        $Text -match '^(System|SnatTools)\.[\w.`]+(\[.*\])?$' -or $Text -match '^\w+ \{ .* \}$'
    }

    # Checks JSON texts (default depth and -Depth 5) and a CSV text: no internal keys, no value
    # that is an object printed instead of its content. Returns both parsed.
    function Assert-ReadableText([string[]] $Json, [string] $Csv) {
        foreach ($text in $Json) {
            $text | Should -Not -Match "`"($internalKeys)`"\s*:"
            foreach ($leaf in Get-JsonLeaf ($text | ConvertFrom-Json -NoEnumerate)) {
                if ($leaf.Value -is [string]) {
                    Test-Unreadable $leaf.Value | Should -BeFalse -Because "$($leaf.Path) = '$($leaf.Value)' is an object printed, not its content"
                }
            }
        }

        $rows = @($Csv | ConvertFrom-Csv)
        foreach ($row in $rows) {
            $row.PSObject.Properties.Name | Should -Not -Contain 'Locator'
            foreach ($cell in $row.PSObject.Properties) {
                Test-Unreadable $cell.Value | Should -BeFalse -Because "the CSV column $($cell.Name) = '$($cell.Value)' is an object printed, not its content"
            }
        }
        [pscustomobject]@{ Json = @($Json[-1] | ConvertFrom-Json -NoEnumerate); Csv = $rows }
    }

    # The same for live objects, serialised here.
    function Assert-Readable([object[]] $Objects) {
        $Objects.Count | Should -BeGreaterThan 0
        $shallow = $Objects | ConvertTo-Json -WarningAction SilentlyContinue
        $deep = $Objects | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue
        $out = Assert-ReadableText -Json $shallow, $deep -Csv (($Objects | ConvertTo-Csv) -join "`n")
        $out.Csv.Count | Should -Be $Objects.Count
        $out
    }
}

Describe 'ConvertTo-Json and Export-Csv of every output type' {
    It 'SnatRule: backends, families, owners and flags by name, addresses and ranges as text, protocol by name and number' -Skip:$notRoot {
        $ns = New-TestNamespace 'readable'
        try {
            "*nat`n:POSTROUTING ACCEPT [0:0]`n-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE`n-A POSTROUTING -p tcp -j SNAT --to-source 198.18.0.1-198.18.0.9:1024-65535 --random`nCOMMIT`n" |
                & ip netns exec $ns iptables-nft-restore
            "table ip6 v6nat {`n chain post {`n  type nat hook postrouting priority srcnat`n  oifname `"eth9`" snat to 2001:db8::1 fully-random`n }`n}`n" |
                & ip netns exec $ns nft -f -
            $rules = @(Get-SnatRule -NetworkNamespace $ns)
            $rules | Should -HaveCount 3

            $out = Assert-Readable $rules
            $masquerade = $out.Json[0] | Where-Object Action -EQ 'Masquerade'
            $snat = $out.Json[0] | Where-Object { $_.Action -eq 'Snat' -and $_.Family -eq 'IPv4' }
            $v6 = $out.Json[0] | Where-Object Family -EQ 'IPv6'
            $masquerade.Backend | Should -Be 'IptablesNft'
            $masquerade.Family | Should -Be 'IPv4'
            $masquerade.Action | Should -Be 'Masquerade'
            $masquerade.Owner | Should -Be 'Docker'
            $masquerade.Flags | Should -Be 'None'
            $masquerade.Unknown | Should -HaveCount 0
            $snat.ToAddresses | Should -Be '198.18.0.1-198.18.0.9'
            $snat.ToPorts | Should -Be '1024-65535'
            $snat.Flags | Should -Be 'MapIps, ProtoSpecified, ProtoRandom'
            $snat.Protocol | Should -Be 'tcp'
            $snat.ProtocolNumber | Should -Be 6
            $v6.Backend | Should -Be 'Nftables'
            $v6.Family | Should -Be 'IPv6'
            $v6.ToAddresses | Should -Be '2001:db8::1'
            $v6.RandomFully | Should -BeTrue

            $snatRow = $out.Csv | Where-Object { $_.Action -eq 'Snat' -and $_.Family -eq 'IPv4' }
            $snatRow.ToAddresses | Should -Be '198.18.0.1-198.18.0.9'
            $snatRow.Protocol | Should -Be 'tcp'
            $snatRow.Owner | Should -Be 'Unknown'
            $snatRow.Unknown | Should -Be ''
            ($out.Csv | Where-Object Family -EQ 'IPv6').ToAddresses | Should -Be '2001:db8::1'

            # Still the typed object the pipeline needs.
            $rules[0] | Should -BeOfType ([SnatTools.Core.Rules.SnatRule])
            $rules[0].Backend | Should -BeOfType ([SnatTools.Core.Rules.SnatBackend])
        }
        finally {
            Remove-TestNamespace $ns
        }
    }

    It 'ConntrackStatistics: the interval as hh:mm:ss text, rates as numbers' -Skip:$notRoot {
        $ns = New-TestNamespace 'readable'
        try {
            $stats = @(Get-ConntrackStatistics -NetworkNamespace $ns -PerCpu -Interval 0.2)
            $out = Assert-Readable $stats
            foreach ($cpu in $out.Json[0]) {
                $cpu.Interval | Should -Match '^00:00:00\.\d+$'
                ([timespan] $cpu.Interval).TotalSeconds | Should -BeGreaterThan 0.1
                $cpu.PerSecond.InsertFailed | Should -Be 0
                $cpu.Cpu | Should -BeOfType ([long])
            }
            $out.Csv[0].Interval | Should -Be $out.Json[0][0].Interval
            $out.Csv[0].Unknown | Should -Be ''
        }
        finally {
            Remove-TestNamespace $ns
        }
    }

    It 'SnatPortUsage: NAT and destination addresses as text, IPv4 and IPv6, the range as text, ports as runs' -Skip:$notRoot {
        $ns = New-TestNamespace 'readable'
        try {
            foreach ($command in @(
                    'link add d0 type veth peer name d1', 'link set d0 up', 'link set d1 up',
                    'addr add 198.18.0.1/24 dev d0', 'addr add 2001:db8::1/64 dev d0 nodad',
                    'neigh replace 198.18.0.2 lladdr 02:00:00:00:00:02 dev d0 nud permanent',
                    'neigh replace 2001:db8::2 lladdr 02:00:00:00:00:02 dev d0 nud permanent')) {
                & ip -n $ns @($command -split ' ')
                $LASTEXITCODE | Should -Be 0 -Because "ip $command"
            }
            "table inet nat {`n chain post {`n  type nat hook postrouting priority srcnat`n  ip daddr 198.18.0.2 snat ip to 198.18.0.9`n  ip6 daddr 2001:db8::2 snat ip6 to 2001:db8::9`n }`n}`n" |
                & ip netns exec $ns nft -f -
            # Unanswered UDP sends from bash: each one a source-NATed conntrack entry.
            & ip netns exec $ns bash -c 'for i in 1 2 3 4; do echo x > /dev/udp/198.18.0.2/53; echo x > /dev/udp/2001:db8::2/53; done'

            $usage = @(Get-SnatPortUsage -NetworkNamespace $ns)
            $usage | Should -HaveCount 2
            $out = Assert-Readable $usage
            $v4 = $out.Json[0] | Where-Object NatAddress -EQ '198.18.0.9'
            $v6 = $out.Json[0] | Where-Object NatAddress -EQ '2001:db8::9'
            $v4.Destination | Should -Be '198.18.0.2'
            $v6.Destination | Should -Be '2001:db8::2'
            $v4.Protocol | Should -Be 'udp'
            $v4.ProtocolNumber | Should -Be 17
            $v4.PortRange | Should -Be '1024-65535'
            $v4.NatPorts | Should -HaveCount 4
            $row = $out.Csv | Where-Object NatAddress -EQ '2001:db8::9'
            $row.Destination | Should -Be '2001:db8::2'
            $row.PortRange | Should -Be '1024-65535'
            $row.NatPorts | Should -Match '^\d+(-\d+)?(,\d+(-\d+)?)*$'
        }
        finally {
            Remove-TestNamespace $ns
        }
    }

    It 'SnatRaceResult: algorithm and kernel by name, durations as hh:mm:ss text, the port range as text' {
        $results = @(Test-SnatRace -Connections 10 -Trials 1000 -Seed 1 -PortRange 1024-2000 -Algorithm KeepOriginal, RandomFully -WarningAction SilentlyContinue)
        $out = Assert-Readable $results
        $plain = $out.Json[0][0]
        $plain.Algorithm | Should -Be 'KeepOriginal'
        $out.Json[0][1].Algorithm | Should -Be 'RandomFully'
        $plain.Kernel | Should -BeIn 'Current', 'Legacy'
        $plain.PortRange | Should -Be '1024-2000'
        foreach ($name in 'RaceWindow', 'ExpectedDelay', 'P99ConnectLatency', 'WorstConnectLatency') {
            $plain.$name | Should -Match '^\d\d:\d\d:\d\d(\.\d+)?$' -Because "$name is a duration"
            { [timespan] $plain.$name } | Should -Not -Throw
        }
        $plain.ProbabilityAnyDropInterval.Low | Should -BeLessOrEqual $plain.ProbabilityAnyDropInterval.High
        $plain.LossHistogram | Should -HaveCount $results[0].LossHistogram.Count
        $out.Csv[0].LossHistogram | Should -Match '^\d+(; \d+)+$'
        $out.Csv[0].ProbabilityAnyDropInterval | Should -Match '^\[.*%, .*%\]$'
        $out.Csv[0].RaceWindow | Should -Be $plain.RaceWindow
        $plain.ProbabilityAnyDropRange.Low | Should -BeLessOrEqual $plain.ProbabilityAnyDropRange.High
        $out.Csv[0].ProbabilityAnyDropRange | Should -Match '^\[.*%, .*%\]$'
        $plain.Calibration.Source | Should -Be 'Shipped'
        $out.Csv[0].Calibration | Should -Match '^shipped default \(\d+ lab runs'
    }

    It 'SnatRaceCalibration: the source by name, windows as durations, the runs as a readable list' {
        $calibration = Get-SnatRaceCalibration -Shipped
        $out = Assert-Readable @($calibration)
        $json = $out.Json[0]
        $json.Source | Should -Be 'Shipped'
        foreach ($name in 'MedianRaceWindow', 'RaceWindowLow', 'RaceWindowHigh') {
            $json.$name | Should -Match '^\d\d:\d\d:\d\d\.\d+$' -Because "$name is a duration"
        }
        ([timespan] $json.RaceWindowLow) | Should -BeLessThan ([timespan] $json.RaceWindowHigh)
        $json.LabRuns.Count | Should -Be $calibration.LabRuns.Count
        $json.LabRuns[0].Bursts | Should -BeGreaterThan 0
        $out.Csv[0].LabRuns | Should -Match '^[^;]+: \d+ of \d+ bursts stalled(; [^;]+: \d+ of \d+ bursts stalled( \(busy\))?)+$'
    }

    It 'SnatRaceLab: the mode by name' -Skip:$notRoot {
        $lab = New-SnatRaceLab -Clients 2 -Mode Random
        try {
            $out = Assert-Readable @($lab)
            $out.Json[0].Mode | Should -Be 'Random'
            $out.Json[0].NatNamespace | Should -Be $lab.NatNamespace
            $out.Csv[0].Mode | Should -Be 'Random'
        }
        finally {
            Remove-SnatRaceLab $lab
        }
    }

    It 'SnatAuditResult: checks with their results and durations as text' -Skip:$notRoot {
        $ns = New-TestNamespace 'readable'
        $work = Join-Path ([IO.Path]::GetTempPath()) "snattools-readable-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = New-Item -ItemType Directory $work
        try {
            "*nat`n:POSTROUTING ACCEPT [0:0]`n-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE`nCOMMIT`n" |
                & ip netns exec $ns iptables-nft-restore
            # Invoke-SnatAudit runs Pester, which cannot run inside this Pester run: a child pwsh
            # serialises the live result, and hands it back as CLIXML too, as remoting would.
            $finished = Invoke-TestPwsh -Command ("`$r = Invoke-SnatAudit -NetworkNamespace $ns -Interval 0.5 -PassThru; `$r | Export-Clixml -Depth 5 '$work/audit.clixml'; " +
                "`$r | ConvertTo-Json | Set-Content '$work/2.json'; `$r | ConvertTo-Json -Depth 5 | Set-Content '$work/5.json'; `$r | Export-Csv '$work/audit.csv'")
            Test-Path "$work/audit.csv" | Should -BeTrue -Because "the audit ran: $($finished.Output) $($finished.Errors)"
            $result = Import-Clixml "$work/audit.clixml"
            $out = Assert-ReadableText -Json (Get-Content -Raw "$work/2.json"), (Get-Content -Raw "$work/5.json") -Csv (Get-Content -Raw "$work/audit.csv")
            (Get-Content -Raw "$work/2.json" | ConvertFrom-Json).Result | Should -Be 'Failed'
            $deep = $out.Json[0]
            $deep.Result | Should -Be 'Failed'
            $deep.Duration | Should -Match '^\d\d:\d\d:\d\d(\.\d+)?$'
            $failed = @($deep.Failures)
            $failed.Count | Should -BeGreaterThan 0
            $failed[0].Result | Should -Be 'Failed'
            $failed[0].Duration | Should -Match '^\d\d:\d\d:\d\d(\.\d+)?$'
            $row = $out.Csv[0]
            $row.Result | Should -Be 'Failed'
            $row.Failures | Should -Match 'Failed: every reachable MASQUERADE/SNAT rule sets random-fully'

            # The CLIXML (remoting) form keeps names too.
            $result.Result | Should -Be 'Failed'
            $result.Duration | Should -Match '^\d\d:\d\d:\d\d'
        }
        finally {
            Remove-TestNamespace $ns
            Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Output enums through remoting and Export-Clixml' {
    It 'arrive as their names, so Where-Object and Set-SnatRule can read them' -Skip:$notRoot {
        $ns = New-TestNamespace 'readable'
        try {
            "*nat`n:POSTROUTING ACCEPT [0:0]`n-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE`nCOMMIT`n" |
                & ip netns exec $ns iptables-nft-restore
            $file = Join-Path ([IO.Path]::GetTempPath()) "snattools-readable-$([guid]::NewGuid().ToString('N')).clixml"
            try {
                Get-SnatRule -NetworkNamespace $ns | Export-Clixml $file
                $back = Import-Clixml $file
            }
            finally {
                Remove-Item $file -ErrorAction SilentlyContinue
            }
            $back.Backend | Should -Be 'IptablesNft'
            $back.Owner | Should -Be 'Docker'
            @($back | Where-Object Owner -EQ Docker) | Should -HaveCount 1
            $back.PSObject.Properties.Name | Should -Not -Contain 'Locator'
        }
        finally {
            Remove-TestNamespace $ns
        }
    }
}
