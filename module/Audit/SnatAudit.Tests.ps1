<#
.SYNOPSIS
    The SnatTools audit: is this host, or this network namespace, exposed to the SNAT
    source-port race? Pester 5 or later.
.DESCRIPTION
    Invoke-SnatAudit runs this file once per target, passing the parameters below with
    New-PesterContainer -Data. You can run it yourself too:

        $audit = Join-Path (Get-Module SnatTools -ListAvailable)[0].ModuleBase 'Audit/SnatAudit.Tests.ps1'
        $container = New-PesterContainer -Path $audit -Data @{ NetworkNamespace = 'web'; Interval = [timespan]'0:0:5' }
        Invoke-Pester -Container $container -Output Detailed

    Each check is one It. A failed check says what is wrong and the command that fixes it.
    Checks whose cmdlet this version of SnatTools lacks are skipped, saying so.
#>
param(
    # A name under /run/netns or a path such as /proc/<pid>/ns/net; empty audits the namespace Pester runs in.
    [string] $NetworkNamespace,

    # How long insert_failed and drop are watched.
    [timespan] $Interval = [timespan]::FromSeconds(10),

    # Fail when the conntrack table is fuller than this (0.8 = 80 %).
    [ValidateRange(0.0, 1.0)]
    [double] $ConntrackFillThreshold = 0.8,

    # Fail when one destination uses more than this share of its SNAT source ports.
    [ValidateRange(0.0, 1.0)]
    [double] $PortUsageThreshold = 0.8,

    # Fail when insert_failed grows by more than this during the interval.
    [ValidateRange(0, [long]::MaxValue)]
    [long] $InsertFailedThreshold = 0,

    # Fail when drop grows by more than this during the interval.
    [ValidateRange(0, [long]::MaxValue)]
    [long] $DropThreshold = 0,

    # Rules for which this returns true ($_ is the SnatRule) are left out of the rule checks.
    [scriptblock] $Exclude,

    # Rules whose Owner matches one of these wildcard patterns are left out of the rule checks.
    [string[]] $ExcludeOwner
)

# Thrown by a failed check: the report shows "SnatAuditFinding: <what is wrong ... Fix: ...>".
class SnatAuditFinding : System.Exception {
    SnatAuditFinding([string] $message) : base($message) {}
}

if (-not (Get-Module SnatTools)) {
    Import-Module (Join-Path $PSScriptRoot '..' 'SnatTools.psd1') -ErrorAction Stop
}

# Names and rule texts come from the system and may hold any character: what this file prints or
# reports shows control characters escaped (\x1b), so no ESC reaches a terminal or an XML report.
$target = if ($NetworkNamespace) { "network namespace $([SnatTools.Core.SafeText]::Escape($NetworkNamespace)) on $([Environment]::MachineName)" } else { "host $([Environment]::MachineName)" }

Describe "SNAT audit of $target" {
    BeforeAll {
        function ConvertTo-SafeText([string] $Text, [switch] $KeepLineBreaks) {
            [SnatTools.Core.SafeText]::Escape($Text, $KeepLineBreaks.IsPresent)
        }

        $scope = @{}
        $scopeText = ''
        if ($NetworkNamespace) {
            $scope.NetworkNamespace = $NetworkNamespace
            $scopeText = " -NetworkNamespace '$($NetworkNamespace -replace "'", "''")'"
        }

        # Get-SnatPortUsage comes in a later version of SnatTools than the rest.
        function Skip-WithoutCommand([string] $Name) {
            if (-not (Get-Command $Name -Module SnatTools -ErrorAction Ignore)) {
                Set-ItResult -Skipped -Because "$Name is not in this version of SnatTools ($((Get-Module SnatTools).Version))"
                return $true
            }

            return $false
        }

        function Assert-Finding([string[]] $Problems, [string] $Summary, [string] $Fix) {
            if ($Problems.Count -gt 0) {
                $nl = [Environment]::NewLine
                throw [SnatAuditFinding]::new((ConvertTo-SafeText -KeepLineBreaks "$Summary$nl$(($Problems | ForEach-Object { "  - $_" }) -join $nl)$($nl)Fix: $Fix"))
            }
        }

        function Format-Rule($Rule) {
            $where = if ($null -ne $Rule.Handle -and "$($Rule.Backend)" -ne 'IptablesLegacy') { "handle $($Rule.Handle)" } else { "rule $($Rule.Position)" }
            $owner = if ($Rule.Owner -and "$($Rule.Owner)" -ne 'Unknown') { ", owner $($Rule.Owner)" } else { '' }
            $decoded = if ($Rule.Decoded -eq $false) { ' (not fully decoded: check it by hand)' } else { '' }
            ConvertTo-SafeText "$($Rule.Backend) $($Rule.Family) $($Rule.Table)/$($Rule.Chain) $where$($owner): $($Rule.Text)$decoded"
        }

        # The command that selects exactly this rule again, for the fix.
        function Format-RuleSelector($Rule) {
            $key = if ($null -ne $Rule.Handle -and "$($Rule.Backend)" -ne 'IptablesLegacy') { "`$_.Handle -eq $($Rule.Handle)" } else { "`$_.Position -eq $($Rule.Position)" }
            ConvertTo-SafeText "Get-SnatRule$scopeText | Where-Object { `$_.Backend -eq '$($Rule.Backend)' -and `$_.Family -eq '$($Rule.Family)' -and `$_.Table -eq '$($Rule.Table)' -and `$_.Chain -eq '$($Rule.Chain)' -and $key }"
        }

        # SnatRule.ToPorts ("1024-65535" or "8080") as First/Last; null when the rule sets no range (the kernel default applies).
        function Get-PortRange([string] $ToPorts) {
            if ($ToPorts -match '^\s*(\d+)\s*(?:-\s*(\d+))?\s*$') {
                $last = if ($Matches[2]) { [int] $Matches[2] } else { [int] $Matches[1] }
                return [pscustomobject]@{ First = [int] $Matches[1]; Last = $last }
            }

            return $null
        }
    }

    Context 'SNAT rules' {
        BeforeAll {
            # Reachable is $null when reachability could not be resolved: such a rule may translate packets, so it counts.
            # Action is Unknown when a rule could not be read far enough to see its NAT target: it may lack the flag, so it counts.
            $excluded = @()
            $all = @(Get-SnatRule @scope -ErrorAction Stop | Where-Object { $_.Reachable -ne $false -and "$($_.Action)" -in 'Masquerade', 'Snat', 'Unknown' })
            $rules = [Collections.Generic.List[object]]::new()
            foreach ($rule in $all) {
                $byOwner = @($ExcludeOwner | Where-Object { $_ -and "$($rule.Owner)" -like $_ }).Count -gt 0
                $byFilter = $Exclude -and @($rule | Where-Object -FilterScript $Exclude).Count -gt 0
                if ($byOwner -or $byFilter) { $excluded += $rule } else { $rules.Add($rule) }
            }
        }

        It 'every reachable MASQUERADE/SNAT rule sets random-fully' {
            $lacking = @($rules | Where-Object { -not $_.RandomFully })
            $problems = foreach ($rule in $lacking) {
                "$(Format-Rule $rule)$([Environment]::NewLine)    fix: $(Format-RuleSelector $rule) | Set-SnatRule -RandomFully"
            }
            $all = if ($excluded.Count -eq 0) { "all at once: Get-SnatRule$scopeText | Where-Object { -not `$_.RandomFully } | Set-SnatRule -RandomFully" } else { "each rule as shown above ($($excluded.Count) excluded rule(s) left alone)" }
            Assert-Finding $problems `
                "$($lacking.Count) reachable SNAT rule(s) lack random-fully: concurrent connections through them can be given the same source port, and all but one lose their SYN (insert_failed) and stall for a second." `
                "set random-fully, $all"
        }

        It 'SNAT rules are not split between iptables-legacy and nf_tables' {
            $legacy = @($rules | Where-Object { "$($_.Backend)" -eq 'IptablesLegacy' })
            $tables = @($rules | Where-Object { "$($_.Backend)" -ne 'IptablesLegacy' })
            $problems = if ($legacy.Count -gt 0 -and $tables.Count -gt 0) {
                @($legacy | ForEach-Object { Format-Rule $_ }) + @($tables | ForEach-Object { Format-Rule $_ })
            }
            $tools = (@($legacy | ForEach-Object { if ("$($_.Family)" -eq 'IPv6') { 'ip6tables' } else { 'iptables' } }) | Sort-Object -Unique)
            $moves = ($tools | ForEach-Object { "$_-legacy-save -t nat | $_-nft-restore --noflush; $_-legacy -t nat -F; update-alternatives --set $_ /usr/sbin/$_-nft" }) -join '; '
            Assert-Finding $problems `
                "SNAT rules are in both iptables-legacy ($($legacy.Count)) and nf_tables ($($tables.Count)): the kernel applies both, but iptables-legacy and nft each show only their own, so a fix made with one tool misses the other's rules." `
                "move the legacy rules to nf_tables and make iptables mean iptables-nft: $moves"
        }

        It 'every SNAT port range is at least as large as the local port range' {
            $local = [SnatTools.Core.Linux.LocalPortRange]::Read($NetworkNamespace)
            $problems = foreach ($rule in $rules) {
                $range = Get-PortRange $rule.ToPorts
                if ($range -and ($range.Last - $range.First + 1) -lt $local.Count) {
                    "$(Format-Rule $rule): $($range.Last - $range.First + 1) ports ($($range.First)-$($range.Last))"
                }
            }
            Assert-Finding $problems `
                "SNAT rule(s) map to fewer ports than ip_local_port_range $local ($($local.Count) ports): connections with distinct local ports must share fewer NAT ports, so source-port clashes and port exhaustion come sooner." `
                "give each rule a range of at least $($local.Count) ports (iptables: --to-ports $($local.First)-$($local.Last); nft: masquerade to :$($local.First)-$($local.Last)), or drop the range so the kernel uses 1024-65535."
        }
    }

    Context 'Conntrack' {
        BeforeAll {
            $growth = Get-ConntrackStatistics @scope -Interval $Interval -ErrorAction Stop
            $seconds = '{0:0.0} s' -f ([timespan] $growth.Interval).TotalSeconds
        }

        It 'insert_failed did not grow during the sampling interval' {
            Assert-Finding @(if ($growth.InsertFailed -gt $InsertFailedThreshold) {
                    "insert_failed grew by $($growth.InsertFailed) in $seconds ($('{0:0.##}' -f $growth.PerSecond.InsertFailed)/s); at most $InsertFailedThreshold allowed"
                }) `
                'Connections lost a source-port race at conntrack confirm: their SYN was dropped and the client waits at least a second for the retransmission.' `
                "set random-fully on the SNAT rules: Get-SnatRule$scopeText | Where-Object { -not `$_.RandomFully } | Set-SnatRule -RandomFully; then watch: Get-ConntrackStatistics$scopeText -PerCpu -Interval 10"
        }

        It 'drop did not grow during the sampling interval' {
            Assert-Finding @(if ($growth.Drop -gt $DropThreshold) {
                    "drop grew by $($growth.Drop) in $seconds ($($growth.InsertFailed) of them lost a source-port race: insert_failed); at most $DropThreshold allowed"
                }) `
                'Conntrack dropped packets: each lost SNAT source-port race counts here, and so does a full table.' `
                "set random-fully on the SNAT rules (Get-SnatRule$scopeText | Where-Object { -not `$_.RandomFully } | Set-SnatRule -RandomFully); if the table is nearly full, raise its limit on the host: sysctl -w net.netfilter.nf_conntrack_max=$(2 * $growth.Max)"
        }

        It 'the conntrack table is not fuller than the threshold' {
            Assert-Finding @(if ($growth.FillRatio -gt $ConntrackFillThreshold) {
                    '{0:0.0} % full: {1} of {2} entries; the threshold is {3:0.#} %' -f (100 * $growth.FillRatio), $growth.Count, $growth.Max, (100 * $ConntrackFillThreshold)
                }) `
                'The conntrack table is nearly full: when it is full, new connections are dropped.' `
                "raise the limit on the host (it is shared by all network namespaces): sysctl -w net.netfilter.nf_conntrack_max=$(2 * $growth.Max), and keep it in /etc/sysctl.d/90-conntrack.conf"
        }
    }

    Context 'SNAT port usage' {
        It 'no destination uses more than the threshold of its SNAT source ports' {
            if (Skip-WithoutCommand 'Get-SnatPortUsage') { return }
            $full = @(Get-SnatPortUsage @scope -ErrorAction Stop | Where-Object { $_.FillRatio -gt $PortUsageThreshold })
            $problems = foreach ($usage in $full) {
                '{0} {1} -> {2}:{3}: {4} of {5} ports in use ({6:0.0} %)' -f $usage.Protocol, $usage.NatAddress, $usage.Destination, $usage.DestinationPort,
                    $usage.PortsInUse, $usage.RangeSize, (100 * $usage.FillRatio)
            }
            Assert-Finding $problems `
                ("Connections to these destinations use more than {0:0.#} % of the SNAT source ports one NAT address has for them: new connections collide more often and fail when none is left." -f (100 * $PortUsageThreshold)) `
                'spread the connections over more NAT addresses (nft: snat to 203.0.113.1-203.0.113.4 fully-random; iptables: -j SNAT --to-source 203.0.113.1-203.0.113.4 --random-fully), widen the rule''s port range, or reuse connections (keep-alive, pooling) to these destinations.'
        }
    }
}
