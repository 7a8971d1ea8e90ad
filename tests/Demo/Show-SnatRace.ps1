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
    # At least 120 columns, so the default views keep their last columns (Packets, Observed)
    # when the output is piped or redirected, where the host assumes 80.
    $width = [Math]::Max(120, $Host.UI.RawUI.BufferSize.Width)
    $result | Out-String -Width $width -Stream | ForEach-Object TrimEnd | Out-Host
    return $result
}

function Explain([object] $race) {
    # The lab run and the model's range in plain words: what a newcomer should take away.
    $range = $race.ProbabilityAnyDropRange
    $observed = $race.GetObservation()
    $windows = if ("$($race.Calibration.Source)" -eq 'Host') { "this host's calibrated race windows" } else { "the shipped calibration's race windows ($($race.Calibration.Runs) lab runs)" }
    $share = if ($range.High -eq 0) { 'none of them' } else { '{0:P0} to {1:P0} of them' -f $range.Low, $range.High }
    $verdict = if ($race.AgreesWithObservation) { 'inside that range, as expected' } else { 'outside that range (one correct run in ten is; a busy machine gives fewer stalls)' }
    Write-Host ('In words: {0} of {1} bursts ({2:P0}) had a connection that waited about 1 s for its SYN to be sent again.' -f $observed.BurstsWithStall, $observed.Bursts, $race.ObservedProbabilityAnyDrop) -ForegroundColor Green
    Write-Host ('With {0}, the model says a run of {1} bursts here stalls in {2}, nine runs in ten: this run is {3}.' -f $windows, $race.RunLength, $share, $verdict) -ForegroundColor Green
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
    $null = Show '$global:lab = New-SnatRaceLab -Clients 8 -Mode Plain; $lab'
    $nat = $lab.NatNamespace

    Step '1. Find: which SNAT rules lack random-fully?' 'Read from the kernel over netlink (no iptables or nft is run), with the rule as iptables-save prints it and who installed it.'
    $null = Show "Get-SnatRule -NetworkNamespace $nat"
    $null = Show "Get-SnatRule -NetworkNamespace $nat | Where-Object { -not `$_.RandomFully } | Format-List Backend, Table, Chain, Owner, OwnerEvidence, RandomFully, Text"

    Step '2. Measure: is it hurting?' "Conntrack counters on the NAT host, then $Bursts bursts of 8 simultaneous connects that share one source port: the model beside what the lab saw, and the counters again."
    $null = Show "Get-ConntrackStatistics -NetworkNamespace $nat -PerCpu"
    Write-Host 'The race window (how long a new connection stays invisible to the other CPU) varies from run to run; the model takes it from a calibration:' -ForegroundColor Gray
    $null = Show 'Get-SnatRaceCalibration'
    # Said once above; the model's later runs would repeat the same warning.
    $PSDefaultParameterValues['Test-SnatRace:WarningAction'] = 'SilentlyContinue'
    Explain (Show "Test-SnatRace -Live -Lab `$lab -Connections 8 -SharedSourcePort -Trials $Bursts")
    $null = Show "Get-ConntrackStatistics -NetworkNamespace $nat -PerCpu"
    $null = Show "Get-SnatPortUsage -NetworkNamespace $nat"

    Step '3. Predict: how bad for a burst of 100?' "The port-allocation model of nf_nat_core.c: 100 clients with ports of their own, then 100 that share source ports (fixed ports, identical pods). P(stall) is the average over many runs; '90% of runs' is where the share of stalled bursts in your next 100 bursts will fall, because the race window itself varies from run to run."
    $null = Show 'Test-SnatRace -Connections 100'
    $null = Show 'Test-SnatRace -Connections 100 -SharedSourcePort'

    Step '4. Repair: set random-fully, atomically, nothing else changed' 'One generation-checked nf_tables batch; the rule keeps its place, counter and iptables-nft form.'
    $null = Show "Get-SnatRule -NetworkNamespace $nat | Where-Object { -not `$_.RandomFully } | Set-SnatRule -RandomFully -PassThru"
    $null = Show "ip netns exec $nat iptables-save -t nat | Select-String MASQUERADE"

    Step '5. Prove: the same bursts again' 'No stalls, insert_failed flat.'
    Explain (Show "Test-SnatRace -Live -Lab `$lab -Connections 8 -SharedSourcePort -Trials $Bursts")
    $null = Show "Get-ConntrackStatistics -NetworkNamespace $nat -PerCpu"

    Step '6. Keep it fixed: the Pester audit' 'Runs on every node and in CI pipelines; -OutputFormat JUnitXml writes a report CI systems read.'
    $null = Show "Invoke-SnatAudit -NetworkNamespace $nat -Interval 3 -PassThru"

    Step '7. Watch it: Prometheus metrics' 'For node_exporter''s textfile collector (-Path, atomically replaced): the lost SYNs per CPU and the rules by random-fully, labelled with the namespace.'
    $null = Show "Export-SnatMetric -NetworkNamespace $nat | Select-String -Pattern '^snattools_(conntrack_insert_failed_total|snat_rules)\b' -Raw"
}
finally {
    Step 'Tear down' 'The lab namespaces go; the host was never touched.'
    if ($lab) { $null = Show 'Remove-SnatRaceLab $lab; $lab' }
}
