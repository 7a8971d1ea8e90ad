# Export-SnatMetric as an operator runs it: a .prom file for node_exporter's textfile collector,
# read by the real prometheus-node-exporter (Debian's package) inside the namespace it describes,
# and checked against the oracles conntrack -S / conntrack -C and Get-SnatRule.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:notRoot = -not (Test-IsRoot)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force

    # Exposition text -> one object per sample line: Name, Labels (hashtable), Value.
    function ConvertFrom-Exposition([string] $Text) {
        foreach ($line in $Text -split "`n") {
            if ($line -match '^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$') {
                $labels = @{}
                foreach ($pair in [regex]::Matches($Matches['labels'] ?? '', '(?<k>[a-zA-Z_][a-zA-Z0-9_]*)="(?<v>(?:[^"\\]|\\.)*)"')) {
                    $labels[$pair.Groups['k'].Value] = $pair.Groups['v'].Value
                }
                [pscustomobject]@{ Name = $Matches['name']; Labels = $labels; Value = [double]::Parse($Matches['value'], [cultureinfo]::InvariantCulture) }
            }
        }
    }

    # `conntrack -S` in the namespace: one hashtable per CPU (cpu=0 found=0 ... insert_failed=3 ...).
    function Get-ConntrackS([string] $Namespace) {
        foreach ($line in Invoke-InNamespace $Namespace conntrack @('-S')) {
            $fields = @{}
            foreach ($match in [regex]::Matches($line, '(\w+)=(\d+)')) { $fields[$match.Groups[1].Value] = [long] $match.Groups[2].Value }
            if ($fields.ContainsKey('cpu')) { $fields }
        }
    }

    function Get-ConntrackCount([string] $Namespace) { [long] (Invoke-InNamespace $Namespace conntrack @('-C')) }

    # An HTTP GET from inside the namespace, with bash's /dev/tcp (nothing to install).
    function Invoke-ScrapeInNamespace([string] $Namespace, [int] $Port) {
        & ip netns exec $Namespace bash -c "exec 3<>/dev/tcp/127.0.0.1/$Port && printf 'GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 && cat <&3" 2>$null
    }
}

Describe 'Export-SnatMetric' {
    It 'writes the exposition format: # HELP and # TYPE once before each family, every sample labelled with its namespace' -Skip:$notRoot {
        $ns = New-TestNamespace 'metric'
        try {
            "*nat`n:POSTROUTING ACCEPT [0:0]`n-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE`nCOMMIT`n" | & ip netns exec $ns iptables-nft-restore
            $lines = @(Export-SnatMetric -NetworkNamespace $ns)
            $lines | Should -BeOfType ([string])
            $lines.Count | Should -BeGreaterThan 10 -Because 'the text comes line by line'
            $text = $lines -join "`n"
            $declared = @{}
            $current = $null
            foreach ($line in $lines) {
                if ($line -match '^# HELP (\S+) \S') {
                    $declared.ContainsKey($Matches[1]) | Should -BeFalse -Because "$($Matches[1]) is described once"
                    $declared[$Matches[1]] = 'help'
                    $current = $Matches[1]
                }
                elseif ($line -match '^# TYPE (\S+) (counter|gauge)$') {
                    $Matches[1] | Should -Be $current -Because 'TYPE follows its HELP'
                    $declared[$current] = $Matches[2]
                }
                else {
                    $line | Should -Match "^$current(\{.*\})? \S+$" -Because 'a sample belongs to the family declared above it'
                    $line | Should -Match "namespace=`"$ns`""
                }
            }
            foreach ($family in 'snattools_conntrack_insert_failed_total', 'snattools_conntrack_drop_total', 'snattools_conntrack_clash_resolve_total') {
                $declared[$family] | Should -Be 'counter'
            }
            foreach ($family in 'snattools_conntrack_entries', 'snattools_conntrack_max', 'snattools_snat_rules', 'snattools_collector_success') {
                $declared[$family] | Should -Be 'gauge'
            }
            $samples = ConvertFrom-Exposition $text
            $rule = @($samples | Where-Object Name -EQ 'snattools_snat_rules')
            $rule | Should -HaveCount 1
            $rule[0].Labels.backend | Should -Be 'IptablesNft'
            $rule[0].Labels.owner | Should -Be 'Docker'
            $rule[0].Labels.random_fully | Should -Be 'false'
            @($samples | Where-Object { $_.Name -eq 'snattools_collector_success' -and $_.Value -ne 1 }) | Should -BeNullOrEmpty

            # The same namespace piped from /run/netns gets the same label.
            $piped = (Get-Item "/run/netns/$ns" | Export-SnatMetric) -join "`n"
            (ConvertFrom-Exposition $piped | Where-Object Name -EQ 'snattools_snat_rules').Labels.namespace | Should -Be $ns
        }
        finally {
            Remove-TestNamespace $ns
        }
    }

    It 'replaces the file by renaming a finished temporary file over it, so a reader never sees half a file' -Skip:$notRoot {
        $ns = New-TestNamespace 'metric'
        $dir = (New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "snattools-metric-$([guid]::NewGuid().ToString('N').Substring(0, 8))")).FullName
        try {
            $file = Join-Path $dir 'snattools.prom'
            Set-Content $file 'old content'
            $before = & stat -c %i $file
            # A reader that opened the old file keeps reading the old file whole.
            $reader = [IO.File]::OpenRead($file)
            try {
                Export-SnatMetric -NetworkNamespace $ns -Path $file
                [IO.StreamReader]::new($reader).ReadToEnd() | Should -Be "old content$([Environment]::NewLine)"
            }
            finally {
                $reader.Dispose()
            }
            (& stat -c %i $file) | Should -Not -Be $before -Because 'the new content is a new file renamed over the old name'
            (Get-Content -Raw $file) | Should -Match '^# HELP snattools_'
            (& stat -c %a $file) | Should -Be '644' -Because 'node_exporter runs as its own user'
            @(Get-ChildItem -Force $dir).Name | Should -Be @('snattools.prom') -Because 'no temporary file is left behind'

            { Export-SnatMetric -NetworkNamespace $ns -Path (Join-Path $dir 'missing/snattools.prom') -ErrorAction Stop } |
                Should -Throw -ErrorId 'MetricFileNotWritten,SnatTools.Cmdlets.ExportSnatMetricCommand'
            @(Get-ChildItem -Force $dir).Name | Should -Be @('snattools.prom')
        }
        finally {
            Remove-TestNamespace $ns
            Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'is read by prometheus-node-exporter''s textfile collector in the namespace it describes, with the values of conntrack -S and Get-SnatRule' -Skip:$notRoot {
        $exporter = Get-Command prometheus-node-exporter -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        $exporter | Should -Not -BeNullOrEmpty -Because 'the README''s apt-get line installs prometheus-node-exporter'
        $dir = (New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "snattools-metric-$([guid]::NewGuid().ToString('N').Substring(0, 8))")).FullName
        $lab = New-SnatRaceLab -Clients 8
        $node = $null
        try {
            $ns = $lab.NatNamespace
            # Bursts of 8 clients sharing a source port through a MASQUERADE without random-fully:
            # on this machine kind 13-97 % of bursts lose a SYN. Up to 15 runs of 10 bursts until
            # insert_failed moved: even at 13 % per burst all 150 stay clean with probability 1e-9.
            # Only a machine too busy to start the lab's CPUs together (the lab warns) can keep it
            # at 0; then the comparisons still run and the test is reported inconclusive, not failed.
            for ($round = 0; $round -lt 15 -and -not ((Get-ConntrackS $ns | ForEach-Object { $_.insert_failed } | Measure-Object -Sum).Sum); $round++) {
                $null = Test-SnatRace -Live -Lab $lab -Connections 8 -SharedSourcePort -Trials 10 -Algorithm KeepOriginal -WarningAction SilentlyContinue
            }

            $statsBefore = @(Get-ConntrackS $ns)
            $countBefore = Get-ConntrackCount $ns
            $usageBefore = @(Get-SnatPortUsage -NetworkNamespace $ns)
            Export-SnatMetric -NetworkNamespace $ns -Path (Join-Path $dir 'snattools.prom')
            $statsAfter = @(Get-ConntrackS $ns)
            $countAfter = Get-ConntrackCount $ns
            $usageAfter = @(Get-SnatPortUsage -NetworkNamespace $ns)
            $rules = @(Get-SnatRule -NetworkNamespace $ns | Where-Object Reachable -NE $false)
            $max = [long] (Invoke-InNamespace $ns sysctl @('-n', 'net.netfilter.nf_conntrack_max'))

            # node_exporter on loopback inside the NAT namespace, reading the folder; its own
            # conntrack collector (summed, this namespace's /proc/net) runs too, for comparison.
            $info = [Diagnostics.ProcessStartInfo]::new('/usr/bin/ip')
            foreach ($argument in 'netns', 'exec', $ns, $exporter.Source, '--web.listen-address=127.0.0.1:9100', '--collector.disable-defaults',
                '--collector.textfile', "--collector.textfile.directory=$dir", '--collector.conntrack') { $info.ArgumentList.Add($argument) }
            $info.RedirectStandardError = $true
            $info.RedirectStandardOutput = $true
            $node = [Diagnostics.Process]::Start($info)
            $log = $node.StandardError.ReadToEndAsync()
            $scrape = $null
            for ($wait = 0; $wait -lt 100 -and -not ($scrape -match 'node_textfile_scrape_error'); $wait++) {
                Start-Sleep -Milliseconds 100
                $node.HasExited | Should -BeFalse -Because "node_exporter should run: $(if ($node.HasExited) { $log.Result })"
                $scrape = (Invoke-ScrapeInNamespace $ns 9100) -join "`n"
            }
            $scrape | Should -Match 'HTTP/1\.[01] 200'
            $samples = @(ConvertFrom-Exposition $scrape)
            ($samples | Where-Object Name -EQ 'node_textfile_scrape_error').Value | Should -Be 0 -Because 'node_exporter accepted the file'
            function Get-Sample([string] $Name) { @($samples | Where-Object { $_.Name -eq $Name -and $_.Labels.namespace -eq $ns }) }

            # Per CPU as conntrack -S prints them (nothing ran between the two reads around the export).
            $insertFailed = Get-Sample 'snattools_conntrack_insert_failed_total'
            $insertFailed | Should -HaveCount $statsAfter.Count
            foreach ($counter in @{ Metric = 'snattools_conntrack_insert_failed_total'; Field = 'insert_failed' }, @{ Metric = 'snattools_conntrack_drop_total'; Field = 'drop' }, @{ Metric = 'snattools_conntrack_clash_resolve_total'; Field = 'clash_resolve' }) {
                foreach ($cpu in $statsAfter) {
                    $sample = Get-Sample $counter.Metric | Where-Object { $_.Labels.cpu -eq "$($cpu.cpu)" }
                    $sample | Should -HaveCount 1
                    $earlier = ($statsBefore | Where-Object { $_.cpu -eq $cpu.cpu })[$counter.Field]
                    $sample.Value | Should -BeGreaterOrEqual $earlier
                    $sample.Value | Should -BeLessOrEqual $cpu[$counter.Field]
                }
            }
            $sum = ($insertFailed | Measure-Object Value -Sum).Sum
            $sum | Should -Be (($statsAfter | ForEach-Object { $_.insert_failed }) | Measure-Object -Sum).Sum
            ($samples | Where-Object Name -EQ 'node_nf_conntrack_stat_insert_failed').Value | Should -Be $sum -Because 'node_exporter''s own sum agrees'

            $entries = (Get-Sample 'snattools_conntrack_entries').Value
            $entries | Should -BeGreaterOrEqual ([math]::Min($countBefore, $countAfter))
            $entries | Should -BeLessOrEqual ([math]::Max($countBefore, $countAfter))
            (Get-Sample 'snattools_conntrack_max').Value | Should -Be $max

            # Rules as Get-SnatRule counts them, and the lab's plain MASQUERADE among those without random-fully.
            $expected = $rules | Group-Object { '{0}/{1}/{2}/{3}' -f $_.Backend, $_.Family, $_.Owner, "$($_.RandomFully)".ToLowerInvariant() } -AsHashTable
            $scraped = Get-Sample 'snattools_snat_rules'
            $scraped | Should -HaveCount $expected.Count
            foreach ($sample in $scraped) {
                $key = '{0}/{1}/{2}/{3}' -f $sample.Labels.backend, $sample.Labels.family, $sample.Labels.owner, $sample.Labels.random_fully
                $sample.Value | Should -Be $expected[$key].Count -Because "Get-SnatRule finds $key"
            }
            (($scraped | Where-Object { $_.Labels.random_fully -eq 'false' }) | Measure-Object Value -Sum).Sum | Should -BeGreaterOrEqual 1

            # The lab's server is the busiest destination; its fill is what Get-SnatPortUsage says.
            $fill = Get-Sample 'snattools_snat_port_fill_ratio' | Where-Object { $_.Labels.destination -eq '198.19.0.2:8080' }
            $fill | Should -HaveCount 1
            $fill.Labels.nat_address | Should -Be '198.19.0.1'
            $fill.Labels.protocol | Should -Be 'tcp'
            $fill.Labels.port_range | Should -Be '1024-65535'
            $server = { param($usage) ($usage | Where-Object { $_.Destination -eq '198.19.0.2' -and $_.DestinationPort -eq 8080 }).FillRatio }
            $fill.Value | Should -BeLessOrEqual ((& $server $usageBefore) + 1e-12)
            $fill.Value | Should -BeGreaterOrEqual ((& $server $usageAfter) - 1e-12)
            $fill.Value | Should -BeGreaterThan 0
            if ($sum -eq 0) {
                Set-ItResult -Inconclusive -Because 'no lab burst lost a SYN in 150 tries (a very busy machine), so insert_failed was compared at 0 only'
            }
        }
        finally {
            if ($node -and -not $node.HasExited) { $node.Kill($true); $node.WaitForExit() }
            Remove-SnatRaceLab $lab
            Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'refuses an interval under one second with InvalidArgument' {
        { Export-SnatMetric -Interval 0.5 -Path /nonexistent/x.prom -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,SnatTools.Cmdlets.ExportSnatMetricCommand'
    }
}
