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
    $result | Out-Host
}

function Has([string] $Name) { [bool](Get-Command $Name -Module SnatTools -ErrorAction SilentlyContinue) }

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

    Step '1. Find: which SNAT rules lack random-fully?' 'Read from the kernel over netlink, as iptables-save / nft would show them.'
    if (Has 'Get-SnatRule') {
        Show "Get-SnatRule -NetworkNamespace $nat"
        Show "Get-SnatRule -NetworkNamespace $nat | Where-Object { -not `$_.RandomFully } | Select-Object Backend, Chain, Owner, RandomFully, Text"
    }
    else {
        Write-Host '(Get-SnatRule is not in this build yet.)' -ForegroundColor DarkGray
    }

    Step '2. Measure: is it hurting?' "Conntrack counters on the NAT host before traffic, then $Bursts bursts of 8 simultaneous connects that share one source port, the model beside what the lab saw."
    Show "Get-ConntrackStatistics -NetworkNamespace $nat -PerCpu"
    Show "Test-SnatRace -Live -Lab `$lab -Connections 8 -SharedSourcePort -Trials $Bursts"
    Show "Get-ConntrackStatistics -NetworkNamespace $nat -PerCpu"
    if (Has 'Get-SnatPortUsage') {
        Show "Get-SnatPortUsage -NetworkNamespace $nat"
    }

    Step '3. Predict: how bad for a burst of 100?' 'The port-allocation model of nf_nat_core.c: 100 clients with ports of their own, then 100 that share source ports (fixed ports, identical pods).'
    Show 'Test-SnatRace -Connections 100'
    Show 'Test-SnatRace -Connections 100 -SharedSourcePort'

    Step '4. Repair: set random-fully, atomically, nothing else changed' 'The rule keeps its place, counters and form (iptables-save shows --random-fully).'
    if (Has 'Set-SnatRule') {
        Show "Get-SnatRule -NetworkNamespace $nat | Where-Object { -not `$_.RandomFully } | Set-SnatRule -RandomFully -PassThru"
    }
    else {
        Write-Host '(Set-SnatRule is not in this build yet.)' -ForegroundColor DarkGray
    }

    Step '5. Prove: the same bursts again' 'No stalls, insert_failed flat.'
    if (Has 'Set-SnatRule') {
        Show "Test-SnatRace -Live -Lab `$lab -Connections 8 -SharedSourcePort -Trials $Bursts"
        Show "Get-ConntrackStatistics -NetworkNamespace $nat -PerCpu"
    }
    else {
        Write-Host '(needs Set-SnatRule.)' -ForegroundColor DarkGray
    }

    Step '6. Keep it fixed: the Pester audit' 'Runs on every node and in CI, with standard test-result output.'
    if (Has 'Invoke-SnatAudit') {
        Show "Invoke-SnatAudit -NetworkNamespace $nat -PassThru | Select-Object Result, PassedCount, FailedCount"
    }
    else {
        Write-Host '(Invoke-SnatAudit is not in this build yet.)' -ForegroundColor DarkGray
    }
}
finally {
    Step 'Tear down' 'The lab namespaces go; the host was never touched.'
    if ($lab) { Show 'Remove-SnatRaceLab $lab; $lab' }
}
