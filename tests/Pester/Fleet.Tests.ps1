# A fleet audit over PowerShell SSH remoting, as the README shows it: three "hosts" (network
# namespaces, each with its own sshd and pwsh subsystem and its own ruleset) audited from a
# controller namespace with one Invoke-Command. Everything stays inside the test's namespaces
# (198.18.0.0/15); keys, host keys and known_hosts are made by the test in a temp folder.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $isRoot = Test-IsRoot
    $sshd = '/usr/sbin/sshd'
    $canRun = $isRoot -and (Test-Path $sshd) -and (Get-Command ssh -ErrorAction Ignore) -and (Get-Command ssh-keygen -ErrorAction Ignore)
}

Describe 'A fleet audit over SSH remoting' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Get-ModuleUnderTest) -Force
        $script:namespaces = [Collections.Generic.List[string]]::new()
        $script:daemons = [Collections.Generic.List[Diagnostics.Process]]::new()
        $script:createdRunSshd = $false
        $script:tmp = $null
        $script:fleet = $null
    }

    AfterAll {
        foreach ($daemon in $daemons) {
            if (-not $daemon.HasExited) { $daemon.Kill($true); $null = $daemon.WaitForExit(5000) }
        }
        foreach ($name in $namespaces) { Remove-TestNamespace $name }
        if ($tmp -and (Test-Path $tmp)) { Remove-Item $tmp -Recurse -Force }
        if ($createdRunSshd) { Remove-Item /run/sshd -Force -ErrorAction Ignore }
    }

    It 'audits three hosts with one Invoke-Command and names each failing host and finding' -Skip:(-not $canRun) {
        $script:tmp = (New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "snattools-fleet-$([guid]::NewGuid().ToString('N').Substring(0, 8))")).FullName
        & chmod 700 $tmp
        if (-not (Test-Path /run/sshd)) {
            # sshd's privilege-separation directory (the package's service unit normally makes it).
            $null = New-Item -ItemType Directory /run/sshd
            $script:createdRunSshd = $true
        }

        $controller = New-TestNamespace 'fleetctl'
        $namespaces.Add($controller)
        $clientKey = Join-Path $tmp 'client_ed25519'
        & ssh-keygen -q -t ed25519 -N '' -C 'snattools-fleet-test' -f $clientKey
        Copy-Item "$clientKey.pub" (Join-Path $tmp 'authorized_keys')

        # The three hosts: a good one, a Docker-style one whose MASQUERADE lacks random-fully, and
        # a good ruleset on a host whose conntrack table is "too full" for this audit's threshold.
        $hosts = @(
            @{ Name = 'good'; Rule = 'ip saddr 198.18.0.0/16 oifname != "docker0" masquerade fully-random' }
            @{ Name = 'docker'; Rule = 'ip saddr 198.18.0.0/16 oifname != "docker0" masquerade' }
            @{ Name = 'busy'; Rule = 'ip saddr 198.18.0.0/16 oifname "eth1" snat to 198.19.0.1 fully-random'; Entries = 40 }
        )
        $knownHosts = [Collections.Generic.List[string]]::new()
        $pwsh = Get-PwshCommandLine
        for ($i = 0; $i -lt $hosts.Count; $i++) {
            $h = $hosts[$i]
            $h.Namespace = New-TestNamespace "fleet$($h.Name)"
            $namespaces.Add($h.Namespace)
            $h.Ip = "198.18.$(101 + $i).2"
            $controllerSide = "198.18.$(101 + $i).1"

            # A veth pair between the controller and the host namespaces: nothing in the host's own.
            & ip link add "to$($h.Name)" netns $controller type veth peer name eth0 netns $h.Namespace
            if ($LASTEXITCODE -ne 0) { throw "ip link add failed for $($h.Name)" }
            $null = Invoke-InNamespace $controller ip @('addr', 'add', "$controllerSide/24", 'dev', "to$($h.Name)")
            $null = Invoke-InNamespace $controller ip @('link', 'set', "to$($h.Name)", 'up')
            $null = Invoke-InNamespace $h.Namespace ip @('addr', 'add', "$($h.Ip)/24", 'dev', 'eth0')
            $null = Invoke-InNamespace $h.Namespace ip @('link', 'set', 'eth0', 'up')

            $dir = (New-Item -ItemType Directory (Join-Path $tmp $h.Name)).FullName
            $rules = Join-Path $dir 'ruleset.nft'
            Set-Content $rules "table ip nat {`n  chain postrouting {`n    type nat hook postrouting priority srcnat; policy accept;`n    $($h.Rule)`n  }`n}"
            $null = Invoke-InNamespace $h.Namespace nft @('-f', $rules)
            for ($entry = 0; $entry -lt [int] $h.Entries; $entry++) {
                $null = Invoke-InNamespace $h.Namespace conntrack @('-I', '-p', 'tcp', '-s', '198.18.200.1', '-d', '198.18.200.2', '--sport', (20000 + $entry), '--dport', '443', '--state', 'ESTABLISHED', '-u', 'ASSURED', '-t', '600')
            }

            $hostKey = Join-Path $dir 'ssh_host_ed25519_key'
            & ssh-keygen -q -t ed25519 -N '' -C $h.Name -f $hostKey
            $knownHosts.Add("$($h.Ip) $((Get-Content "$hostKey.pub").Split(' ')[0..1] -join ' ')")
            $config = Join-Path $dir 'sshd_config'
            Set-Content $config @"
ListenAddress $($h.Ip):22
HostKey $hostKey
PidFile $(Join-Path $dir 'sshd.pid')
AuthorizedKeysFile $(Join-Path $tmp 'authorized_keys')
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# The keys live in a temp folder under the world-writable /tmp.
StrictModes no
SetEnv PSModulePath=$(Get-TestPSModulePath)
Subsystem powershell $($pwsh -join ' ') -sshs -NoLogo -NoProfile
"@
            $info = [Diagnostics.ProcessStartInfo]::new('/usr/bin/ip')
            foreach ($argument in 'netns', 'exec', $h.Namespace, '/usr/sbin/sshd', '-D', '-f', $config, '-E', (Join-Path $dir 'sshd.log')) { $info.ArgumentList.Add($argument) }
            $info.UseShellExecute = $false
            $daemons.Add([Diagnostics.Process]::Start($info))
        }

        Set-Content (Join-Path $tmp 'known_hosts') $knownHosts
        foreach ($h in $hosts) {
            $deadline = [DateTime]::UtcNow.AddSeconds(15)
            while (-not (Invoke-InNamespace $h.Namespace ss @('-Htln', 'sport = :22'))) {
                if ([DateTime]::UtcNow -gt $deadline -or @($daemons | Where-Object HasExited).Count -gt 0) {
                    throw "sshd in $($h.Namespace) did not start: $(Get-Content -Raw (Join-Path $tmp $h.Name 'sshd.log') -ErrorAction Ignore)"
                }
                Start-Sleep -Milliseconds 100
            }
        }

        # The controller: the README's fleet example, run inside the controller namespace.
        $max = (Get-ConntrackStatistics).Max
        $threshold = 20.0 / $max # "busy" holds 40 entries; the others only their SSH connection
        $results = Join-Path $tmp 'fleet.clixml'
        $client = @"
`$options = @{ UserKnownHostsFile = '$(Join-Path $tmp 'known_hosts')'; StrictHostKeyChecking = 'yes'; GlobalKnownHostsFile = '/dev/null'; IdentitiesOnly = 'yes'; BatchMode = 'yes' }
`$fleet = Invoke-Command -HostName $(($hosts.Ip) -join ', ') -UserName root -KeyFilePath '$clientKey' -Options `$options -ConnectingTimeout 20000 -ScriptBlock {
    Invoke-SnatAudit -Interval 1 -ConntrackFillThreshold $threshold -PassThru
}
`$fleet | Export-Clixml -Depth 5 -Path '$results'
`$fleet | Where-Object Result -EQ 'Failed' | ForEach-Object { foreach (`$finding in `$_.Failures) { 'FINDING ' + `$_.PSComputerName + ' | ' + `$finding.Name } }
"@
        $started = [DateTime]::UtcNow
        $run = Invoke-TestPwsh -Namespace $controller -Command $client -TimeoutSeconds 120
        $elapsed = [DateTime]::UtcNow - $started
        Write-Host "Fleet audit of $($hosts.Count) hosts over SSH took $([int] $elapsed.TotalSeconds) s"
        $run.ExitCode | Should -Be 0 -Because "the controller ran cleanly: $($run.Errors)"
        $run.Errors | Should -BeNullOrEmpty

        $fleet = @(Import-Clixml $results)
        $fleet.Count | Should -Be 3
        ($fleet.PSComputerName | Sort-Object) | Should -Be ($hosts.Ip | Sort-Object)
        $byHost = @{}
        foreach ($result in $fleet) { $byHost[$result.PSComputerName] = $result }
        $good, $docker, $busy = $hosts | ForEach-Object { $byHost[$_.Ip] }

        # Each remote audit ran in its own namespace, the host it was asked about.
        foreach ($result in $fleet) {
            $result.NetworkNamespace | Should -BeNullOrEmpty
            ($result.Checks | Where-Object Name -EQ 'insert_failed did not grow during the sampling interval').Result | Should -Be 'Passed'
        }

        $busy.Result | Should -Be 'Failed'
        @($busy.Failures.Name) | Should -Be @('the conntrack table is not fuller than the threshold')
        $busy.Failures[0].Message | Should -Match ': 4\d of \d+ entries'
        $good.Result | Should -Be 'Passed'
        $docker.Result | Should -Be 'Failed'
        @($docker.Failures.Name) | Should -Be @('every reachable MASQUERADE/SNAT rule sets random-fully')
        $docker.Failures[0].Message | Should -Match 'oifname != "docker0" masquerade'
        $docker.Failures[0].Message | Should -Not -Match 'fully-random'
        $run.Output | Should -Match ([regex]::Escape("FINDING $($docker.PSComputerName) | every reachable MASQUERADE/SNAT rule sets random-fully"))
        $run.Output | Should -Match ([regex]::Escape("FINDING $($busy.PSComputerName) | the conntrack table is not fuller than the threshold"))
    }
}
