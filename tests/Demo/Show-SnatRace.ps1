<#
.SYNOPSIS
    The SnatTools demo: find, measure, predict, repair, prove and audit the SNAT source-port race
    in a throw-away lab, using the module's real cmdlets and printing their real output.
.DESCRIPTION
    build.ps1 Demo runs this after building. Needs root: the lab is three network namespaces
    (clients, a Docker-style NAT host, a server) with 198.18.0.0/15 addresses only; nothing
    touches the host's own network, and the lab is removed at the end, even on Ctrl+C.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Bursts = 50
)

$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest -Force

function Step([string] $Title, [string] $Explanation) {
    Write-Host ''
    Write-Host ('=' * 78) -ForegroundColor DarkCyan
    Write-Host $Title -ForegroundColor Cyan
    Write-Host $Explanation -ForegroundColor Gray
}

function Show([string] $Command) {
    Write-Host "PS> $Command" -ForegroundColor Yellow
    $result = Invoke-Expression $Command
    # At least 100 columns, so the default views keep their last columns (Packets, Observed)
    # when the output is piped or redirected, where the host assumes 80.
    $width = [Math]::Max(100, $Host.UI.RawUI.BufferSize.Width)
    $result | Out-String -Width $width -Stream | ForEach-Object TrimEnd | Out-Host
}

if ((& id -u) -ne '0') {
    Write-Error 'The demo builds a network-namespace lab and needs root. Run it as root (for example with sudo).'
    exit 1
}

Step 'SnatTools demo: the SNAT source-port race' @'
When containers behind one MASQUERADE rule open connections to the same server at the same
instant, two CPUs can give two of them the same NAT source port. Conntrack then refuses the
second (insert_failed), its SYN is dropped and the client waits for a retransmission: 1 second.
We build a lab: 8 "containers" (client addresses) behind a Docker-style NAT host, one server.
'@
$global:lab = $null
try {
    Show '$global:lab = New-SnatRaceLab -Clients 8 -Mode Plain; $lab'
    $nat = $lab.NatNamespace

    Step '1. Find: which SNAT rules lack random-fully?' 'Read from the kernel over netlink (no iptables or nft is run), with the rule as iptables-save prints it and who installed it.'
    Show "Get-SnatRule -NetworkNamespace $nat"
    Show "Get-SnatRule -NetworkNamespace $nat | Where-Object { -not `$_.RandomFully } | Format-List Backend, Table, Chain, Owner, OwnerEvidence, RandomFully, Text"

    Step '2. Measure: is it hurting?' "Conntrack counters on the NAT host, then $Bursts bursts of 8 simultaneous connects that share one source port: the model beside what the lab saw, and the counters again."
    Show "Get-ConntrackStatistics -NetworkNamespace $nat -PerCpu"
    Show "Test-SnatRace -Live -Lab `$lab -Connections 8 -SharedSourcePort -Trials $Bursts"
    Show "Get-ConntrackStatistics -NetworkNamespace $nat -PerCpu"
    Show "Get-SnatPortUsage -NetworkNamespace $nat"

    Step '3. Predict: how bad for a burst of 100?' 'The port-allocation model of nf_nat_core.c: 100 clients with ports of their own, then 100 that share source ports (fixed ports, identical pods).'
    Show 'Test-SnatRace -Connections 100'
    Show 'Test-SnatRace -Connections 100 -SharedSourcePort'

    Step '4. Repair: set random-fully, atomically, nothing else changed' 'One generation-checked nf_tables batch; the rule keeps its place, counter and iptables-nft form.'
    Show "Get-SnatRule -NetworkNamespace $nat | Where-Object { -not `$_.RandomFully } | Set-SnatRule -RandomFully -PassThru"
    Show "ip netns exec $nat iptables-save -t nat | Select-String MASQUERADE"

    Step '5. Prove: the same bursts again' 'No stalls, insert_failed flat.'
    Show "Test-SnatRace -Live -Lab `$lab -Connections 8 -SharedSourcePort -Trials $Bursts"
    Show "Get-ConntrackStatistics -NetworkNamespace $nat -PerCpu"

    Step '6. Keep it fixed: the Pester audit' 'Runs on every node and in CI pipelines; -OutputFormat JUnitXml writes a report CI systems read.'
    Show "Invoke-SnatAudit -NetworkNamespace $nat -Interval 3 -PassThru"

    Step '7. Watch it: Prometheus metrics' 'For node_exporter''s textfile collector (-Path, atomically replaced): the lost SYNs per CPU and the rules by random-fully, labelled with the namespace.'
    Show "Export-SnatMetric -NetworkNamespace $nat | Select-String -Pattern '^snattools_(conntrack_insert_failed_total|snat_rules)\b' -Raw"
}
finally {
    Step 'Tear down' 'The lab namespaces go; the host was never touched.'
    if ($lab) { Show 'Remove-SnatRaceLab $lab; $lab' }
}
