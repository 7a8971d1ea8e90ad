# Watch-SnatRule as an operator (and systemd) runs it: a child pwsh that watches a namespace,
# repairs what dockerd writes again, and ends cleanly on SIGTERM, leaving nothing behind.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:notRoot = -not (Test-IsRoot)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $script:docker = "*nat`n:POSTROUTING ACCEPT [0:0]`n:DOCKER - [0:0]`n-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE`nCOMMIT`n"

    # NETLINK_NETFILTER sockets with multicast groups in the namespace (the guard's listener).
    function Get-ListenerSocket([string] $Namespace) {
        @(& ip netns exec $Namespace cat /proc/net/netlink | Select-Object -Skip 1 | Where-Object {
            $fields = @($_ -split '\s+' | Where-Object { $_ })
            $fields[1] -eq '12' -and $fields[3] -ne '00000000'
        })
    }

    function Wait-Until([scriptblock] $Condition, [double] $Seconds) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while ([DateTime]::UtcNow -lt $deadline) {
            if (& $Condition) { return $true }
            Start-Sleep -Milliseconds 50
        }
        return [bool](& $Condition)
    }

    function Test-RandomFully([string] $Namespace) {
        (& ip netns exec $Namespace iptables-nft-save -t nat) -contains '-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE --random-fully'
    }
}

Describe 'Watch-SnatRule' {
    It 'refuses to guard an owner that has its own setting, with that setting in the message' {
        { Watch-SnatRule -RandomFully -Owner KubeProxy -ErrorAction Stop } | Should -Throw -ErrorId 'OwnerHasSetting,*'
        try { Watch-SnatRule -RandomFully -Owner Calico -ErrorAction Stop } catch { $_.Exception.Message | Should -Match 'FeatureDetectOverride' }
    }

    It 'says which flag to keep when none is given' {
        { Watch-SnatRule -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,*'
    }

    It 'repairs at start, repairs again when dockerd restores its rules, and ends cleanly on SIGTERM leaving nothing behind' -Skip:$notRoot {
        $ns = New-TestNamespace 'pesterwatch'
        $started = $null
        try {
            $docker | & ip netns exec $ns iptables-nft-restore
            $started = Start-TestPwsh -Command "Import-Module SnatTools; Watch-SnatRule -RandomFully -NetworkNamespace $ns -WarningAction SilentlyContinue | ForEach-Object { 'REPAIRED {0} {1} {2}' -f `$_.Chain, `$_.Trigger, `$_.Applied }"
            $childPid = $started.Process.Id
            Wait-Until { Test-RandomFully $ns } 60 | Should -BeTrue -Because 'the start pass repairs the rule'
            Wait-Until { (Get-ListenerSocket $ns).Count -eq 1 } 10 | Should -BeTrue -Because 'the guard listens to nf_tables events in the namespace'

            # dockerd restarts and writes its rules again, without the flag.
            $docker | & ip netns exec $ns iptables-nft-restore
            Wait-Until { Test-RandomFully $ns } 5 | Should -BeTrue -Because 'the guard puts the flag back'

            & kill -TERM $childPid
            $result = Wait-TestPwsh $started -TimeoutSeconds 15
            $started = $null
            $result.ExitCode | Should -Be 0 -Because "SIGTERM ends the watch cleanly: $($result.Errors)"
            $result.Output | Should -Match 'REPAIRED POSTROUTING Start True'
            $result.Output | Should -Match 'REPAIRED POSTROUTING RulesetChanged True'
            Get-ListenerSocket $ns | Should -BeNullOrEmpty
            Get-Process -Id $childPid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            # .NET's diagnostic IPC socket and anything else named after the process are gone with it.
            Get-ChildItem ([IO.Path]::GetTempPath()) -ErrorAction SilentlyContinue | Where-Object Name -Match "(^|\D)$childPid(\D|$)" | Should -BeNullOrEmpty
        }
        finally {
            if ($started) { $started.Process.Kill($true) }
            Remove-TestNamespace $ns
        }
    }

    It 'with -WhatIf only says what it would repair' -Skip:$notRoot {
        $ns = New-TestNamespace 'pesterwatchwi'
        $started = $null
        try {
            $docker | & ip netns exec $ns iptables-nft-restore
            $started = Start-TestPwsh -Command "Import-Module SnatTools; Watch-SnatRule -RandomFully -NetworkNamespace $ns -WhatIf -WarningAction SilentlyContinue | ForEach-Object { 'WOULD {0} {1}' -f `$_.Chain, `$_.Applied }"
            $childPid = $started.Process.Id
            Wait-Until { (Get-ListenerSocket $ns).Count -eq 1 } 60 | Should -BeTrue
            Start-Sleep -Milliseconds 500
            & kill -TERM $childPid
            $result = Wait-TestPwsh $started -TimeoutSeconds 15
            $started = $null
            $result.ExitCode | Should -Be 0
            $result.Output | Should -Match 'What if: .*add --random-fully'
            $result.Output | Should -Match 'WOULD POSTROUTING False'
            Test-RandomFully $ns | Should -BeFalse
        }
        finally {
            if ($started) { $started.Process.Kill($true) }
            Remove-TestNamespace $ns
        }
    }

    It 'ships a systemd unit that runs it' {
        $unit = Join-Path (Split-Path (Get-ModuleUnderTest)) 'systemd/snattools-guard.service'
        Test-Path $unit | Should -BeTrue
        $text = Get-Content -Raw $unit
        $text | Should -Match '(?m)^ExecStart=.*pwsh -NoProfile -NonInteractive -Command "Import-Module SnatTools; Watch-SnatRule -RandomFully"'
        $text | Should -Match '(?m)^Restart=on-failure'
        $text | Should -Match '(?m)^After=.*network-online\.target.*docker\.service'
        $text | Should -Match '(?m)^WantedBy=multi-user\.target'
    }
}
